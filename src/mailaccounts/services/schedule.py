"""When accounts are fetched on their own ("Zeitsteuerung"): every
``fetch.interval_minutes`` after the last run, and at each of ``fetch.times``
(local time). ``mailaccounts serve`` runs this until it is stopped."""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..fetch.account_run import STORE_FAILURES, FetchResult
from ..model.rules import fetching_switched_on
from ..net.transport import CancelToken
from ..store import StoreTooNew
from .fetch_runner import describe_result, fetch_accounts, fetches

if TYPE_CHECKING:
    from ..model.records import FetchStatus
    from .accounts import AccountService

logger = logging.getLogger(__name__)
"""``serve``'s lines: one a run, and what kept a look at the schedule from
working (``logs.log_for_serve`` writes them to stdout)."""

TICK = 15.0
"""Seconds between looks at the schedule; a stop is noticed at once."""
MAX_BACKOFF = 600.0
"""The longest wait after looks at which the store failed, one after another."""


def _reason(exc: Exception) -> str:
    return str(exc) or type(exc).__name__


def is_due(settings: dict[str, Any], last_run: datetime | None, now: datetime) -> bool:
    """Whether an account with these ``fetch`` settings is due at *now*."""
    if not fetching_switched_on(settings):
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
    """Fetches due accounts until *stop* is set; *log* (by default the
    module's logger) gets one line a run."""

    def __init__(
        self,
        open_service: Callable[[], AccountService],
        mail_root: Path,
        now: Callable[[], datetime],
        log: Callable[[str], None] = logger.info,
    ) -> None:
        self.open_service = open_service
        self.mail_root = mail_root
        self.now = now
        self.log = log
        self.stop = threading.Event()
        self.cancel = CancelToken()
        self._log_lock = threading.Lock()

    def request_stop(self) -> None:
        """From a signal handler: running fetches end within a second."""
        self.stop.set()
        self.cancel.cancel()

    def run(self) -> None:
        """Until stopped. A store that cannot be read or written for a while
        (busy with another long write, a full disk, a restore in progress) is
        logged and tried again, each time after a longer wait (up to
        ``MAX_BACKOFF``), instead of ending the service; so is a run that
        could not be recorded (else the account would be due at once again).
        A store of a newer release ends the service, and so does a defect."""
        failures = 0
        while not self.stop.is_set():
            failed = self._look()
            failures = failures + 1 if failed else 0
            self.stop.wait(min(TICK * 2**failures, MAX_BACKOFF) if failures else TICK)

    def _look(self) -> bool:
        """Fetch what is due; whether the store failed on the way."""
        try:
            numbers = self._due()
        except STORE_FAILURES as exc:
            if isinstance(exc, StoreTooNew):
                raise
            self._log(
                f"{self._at()} the schedule could not be read: {_reason(exc)}; trying again later"
            )
            return True
        if not numbers:
            return False
        store_failed: list[str] = []
        defects: list[Exception] = []

        def ended(number: str, outcome: FetchResult | Exception) -> None:
            if isinstance(outcome, FetchResult):
                self._log(self.line(outcome))
            elif isinstance(outcome, STORE_FAILURES):
                store_failed.append(number)
                self._log(
                    f"{self._at()} account {number}: the store failed during the run "
                    f"(it is not recorded): {_reason(outcome)}"
                )
            else:
                defects.append(outcome)

        with contextlib.suppress(*STORE_FAILURES):  # each logged as its run ended
            fetch_accounts(
                numbers,
                self.open_service,
                self.mail_root,
                self.now,
                scheduled=True,
                cancel=self.cancel,
                on_result=ended,
            )
        if defects:
            raise defects[0]
        return bool(store_failed)

    def _due(self) -> list[str]:
        service = self.open_service()
        try:
            return due_now(service.accounts(), service.store.fetch_statuses(), self.now())
        finally:
            service.close()

    def _log(self, line: str) -> None:
        """One whole line at a time: runs end on several threads."""
        with self._log_lock:
            self.log(line)

    def _at(self) -> str:
        return self.now().astimezone().isoformat(timespec="seconds")

    def line(self, result: FetchResult) -> str:
        return f"{self._at()} {describe_result(result)}"
