"""When accounts are fetched on their own ("Zeitsteuerung"): every
``fetch.interval_minutes`` after the last run, and at each of ``fetch.times``
(local time). ``mailaccounts serve`` runs this until it is stopped."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..model.messages import describe_problem
from ..net.transport import CancelToken
from .engine import FetchResult
from .runner import fetch_accounts, fetches

if TYPE_CHECKING:
    from ..records import FetchStatus
    from ..services import AccountService

TICK = 15.0
"""Seconds between looks at the schedule; a stop is noticed at once."""


def is_due(settings: dict[str, Any], last_run: datetime | None, now: datetime) -> bool:
    """Whether an account with these ``fetch`` settings is due at *now*."""
    if not settings.get("enabled", True):
        return False
    interval = settings.get("interval_minutes")
    if interval and (last_run is None or now - last_run >= timedelta(minutes=interval)):
        return True
    local = now.astimezone()
    for time in settings.get("times") or []:
        hour, minute = (int(part) for part in time.split(":"))
        at = local.replace(hour=hour, minute=minute, second=0, microsecond=0)
        if at <= local and (last_run is None or last_run < at):
            return True
    return False


def due_now(
    accounts: Iterable[dict[str, Any]], statuses: dict[str, FetchStatus], now: datetime
) -> list[str]:
    """The numbers of the accounts the schedule fetches at *now*."""
    due = []
    for data in filter(fetches, accounts):
        status = statuses.get(data["number"])
        last = datetime.fromisoformat(status.last_run) if status else None
        if is_due(data.get("fetch") or {}, last, now):
            due.append(data["number"])
    return due


class Scheduler:
    """Fetches due accounts until *stop* is set; *log* gets one line a run."""

    def __init__(
        self,
        open_service: Callable[[], AccountService],
        mail_root: Path,
        now: Callable[[], datetime],
        log: Callable[[str], None],
    ) -> None:
        self.open_service = open_service
        self.mail_root = mail_root
        self.now = now
        self.log = log
        self.stop = threading.Event()
        self.cancel = CancelToken()

    def request_stop(self) -> None:
        """From a signal handler: running fetches end within a second."""
        self.stop.set()
        self.cancel.cancel()

    def run(self) -> None:
        """Until stopped. A store that cannot be read or written (busy with
        another long write, a full disk, replaced by a restore) is logged
        and tried again at the next look, instead of ending the service."""
        from ..store import StoreError

        while not self.stop.is_set():
            try:
                numbers = self._due()
            except StoreError as exc:
                self.log(f"{self._at()} the schedule could not be read: {exc}; trying again")
                numbers = []
            if numbers:
                with contextlib.suppress(StoreError):  # logged per account as it ended
                    fetch_accounts(
                        numbers,
                        self.open_service,
                        self.mail_root,
                        self.now,
                        scheduled=True,
                        cancel=self.cancel,
                        on_result=self._ended,
                    )
            self.stop.wait(TICK)

    def _due(self) -> list[str]:
        service = self.open_service()
        try:
            return due_now(service.accounts(), service.store.fetch_statuses(), self.now())
        finally:
            service.close()

    def _ended(self, number: str, outcome: FetchResult | Exception) -> None:
        """One line per account as soon as its run has ended."""
        from ..store import StoreError

        if isinstance(outcome, FetchResult):
            self.log(self.line(outcome))
        elif isinstance(outcome, StoreError):
            self.log(f"{self._at()} account {number} not fetched: the store failed: {outcome}")
        # anything else is a defect: fetch_accounts raises it, and the service ends

    def _at(self) -> str:
        return self.now().astimezone().isoformat(timespec="seconds")

    def line(self, result: FetchResult) -> str:
        at = self._at()
        if result.problem is None:
            outcome = (
                f"ok fetched={result.fetched} copies={result.copies} "
                f"removed={result.removed_from_server}"
            )
        else:
            outcome = f"failed {result.problem['code']}: {describe_problem(result.problem)}"
        return f"{at} account {result.number} {outcome} ({result.seconds:.1f} s)"
