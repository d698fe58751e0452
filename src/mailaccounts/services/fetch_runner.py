"""Fetching several accounts at once: a bounded number of workers, each
with a service (store connection, keyring) of its own; a failing account
never stops the others. Each run is recorded in the account's status."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..fetch.account_run import FetchJob, FetchResult, Progress, fetch_account
from ..keyring.backend import SecretsError
from ..model.messages import describe
from ..model.problems import Problem
from ..model.rules import fetching_switched_on
from ..net.transport import CancelToken
from ..store.errors import AccountDeleted

if TYPE_CHECKING:
    from .accounts import AccountService

__all__ = [
    "DISABLE_AFTER",
    "WORKERS",
    "Outcome",
    "describe_result",
    "due_accounts",
    "fetch_account",
    "fetch_accounts",
    "fetches",
]

logger = logging.getLogger(__name__)

WORKERS = 4
"""Accounts fetched at the same time: servers throttle many connections
from one client, and the inboxes share one disk."""

DISABLE_AFTER = 10
"""Failed scheduled runs in a row after which an account's fetching is
switched off, until an admin switches it on again."""
Outcome = FetchResult | Exception
"""What one account's run gave: its result, or what kept it from running."""


def fetches(data: dict[str, Any]) -> bool:
    """Whether an account (its JSON form) is fetched without being named: a
    POP3 account (not Exchange) whose fetching is switched on."""
    return not data.get("exchange") and fetching_switched_on(data.get("fetch"))


def describe_result(result: FetchResult) -> str:
    """One line on an account's run, in English: ``serve`` prints it, the
    log keeps it."""
    if result.problem is None:
        outcome = (
            f"ok fetched={result.fetched} copies={result.copies} "
            f"removed={result.removed_from_server}"
        )
    else:
        outcome = f"failed {result.problem.code}: {describe(result.problem)}"
    return f"account {result.number} {outcome} ({result.seconds:.1f} s)"


def due_accounts(service: AccountService) -> list[str]:
    """The accounts a plain ``fetch`` takes: POP3 accounts that fetch."""
    return [data["number"] for data in service.accounts() if fetches(data)]


def fetch_accounts(
    numbers: list[str],
    open_service: Callable[[], AccountService],
    mail_root: Path,
    now: Callable[[], datetime],
    *,
    scheduled: bool = False,
    cancel: CancelToken | None = None,
    progress: Progress | None = None,
    timeout: float = 30.0,
    workers: int = WORKERS,
    on_start: Callable[[str], None] | None = None,
    on_result: Callable[[str, Outcome], None] | None = None,
) -> list[FetchResult]:
    """Fetch *numbers*; results in the same order. An account not started
    when *cancel* is set is ``cancelled`` at once (and, like every cancelled
    run, not recorded).

    *on_start* is told (on a worker thread) when an account starts, and
    *on_result* its outcome as soon as it is known: its result, or the
    exception that kept it from running (say, the store could not be
    opened). Without *on_result* such an exception ends the call: it is
    raised, and accounts not started yet are dropped. With it, the other
    accounts go on, and the first such exception is raised once all have
    ended."""
    cancel = cancel or CancelToken()

    def run(number: str) -> FetchResult:
        if cancel.cancelled:  # before the store, the keyring and the lock
            return FetchResult(number, problem=Problem("cancelled"))
        if on_start is not None:
            on_start(number)
        service = open_service()
        try:
            result = _fetch_one(
                service, number, mail_root, now, scheduled, cancel, progress, timeout
            )
        finally:
            service.close()
        logger.info("%s", describe_result(result))
        return result

    def one(number: str) -> Outcome:
        if on_result is None:
            return run(number)
        outcome: Outcome
        try:
            outcome = run(number)
        except Exception as exc:
            outcome = exc
        on_result(number, outcome)
        return outcome

    if not numbers:
        return []
    with ThreadPoolExecutor(max_workers=min(workers, len(numbers))) as pool:
        outcomes = list(pool.map(one, numbers))
    for outcome in outcomes:  # only with on_result; without it, pool.map raised it
        if isinstance(outcome, Exception):
            raise outcome
    return [outcome for outcome in outcomes if isinstance(outcome, FetchResult)]


def _fetch_one(
    service: AccountService,
    number: str,
    mail_root: Path,
    now: Callable[[], datetime],
    scheduled: bool,
    cancel: CancelToken,
    progress: Progress | None,
    timeout: float,
) -> FetchResult:
    stored = service.find(number)
    if stored is None:
        return FetchResult(number, problem=Problem("account_missing"))
    try:
        password = service.pop3_credential(stored, cancel)  # a refresh ends with the run
    except SecretsError as exc:
        result = FetchResult(number, problem=Problem("keyring_failed", params={"reason": str(exc)}))
    else:
        job = FetchJob(
            stored.data,
            password,
            service.store,
            mail_root,
            now,
            cancel,
            timeout,
            progress,
        )
        result = fetch_account(job)
    if not _not_a_run(result):
        try:
            service.store.record_fetch(
                number,
                now().isoformat(timespec="seconds"),
                result.problem,
                result.fetched,
                scheduled,
                DISABLE_AFTER,
            )
        except AccountDeleted:  # what was delivered stays delivered; it is said
            result.problem = result.problem or Problem("account_deleted")
    return result


def _not_a_run(result: FetchResult) -> bool:
    """Another run had the account, or the run was cancelled: nothing to
    count for or against the account."""
    return result.problem is not None and result.problem.code in ("busy", "cancelled")
