"""What fetching mail keeps in the store: per mailbox (server and user of an
account) the messages delivered into every inbox, and per account how its
runs went. The listing of a mailbox lives in a temporary table, so memory
does not grow with the number of messages on the server."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from types import TracebackType
from typing import Literal

from ..records import FetchStatus, ListedMessage
from . import encode_document

Transaction = Callable[[], AbstractContextManager[sqlite3.Connection]]
"""The store's own: BEGIN IMMEDIATE, COMMIT, errors as StoreError."""


class Listing:
    """One run's view of a mailbox: what the server lists (UIDL, LIST) and,
    for each message, whether it was delivered before."""

    def __init__(
        self, db: sqlite3.Connection, transaction: Transaction, number: str, mailbox: str
    ) -> None:
        self._db = db
        self._transaction = transaction
        self.number = number
        self.mailbox = mailbox

    def __enter__(self) -> Listing:
        self._db.execute("DROP TABLE IF EXISTS temp.fetch_listing")
        self._db.execute(
            "CREATE TEMP TABLE fetch_listing (msgno INTEGER PRIMARY KEY, uid TEXT, size INTEGER)"
        )
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._db.execute("DROP TABLE IF EXISTS temp.fetch_listing")

    def add_uids(self, pairs: Iterable[tuple[int, str]]) -> None:
        self._db.executemany(
            "INSERT INTO temp.fetch_listing (msgno, uid) VALUES (?, ?) "
            "ON CONFLICT (msgno) DO UPDATE SET uid = excluded.uid",
            pairs,
        )

    def add_sizes(self, pairs: Iterable[tuple[int, int]]) -> None:
        self._db.executemany(
            "INSERT INTO temp.fetch_listing (msgno, size) VALUES (?, ?) "
            "ON CONFLICT (msgno) DO UPDATE SET size = excluded.size",
            pairs,
        )

    def drop_repeated_uids(self) -> bool:
        """When the server gave two messages one id (RFC 1939 forbids it,
        servers do it), no id tells its messages apart: all are forgotten,
        and True. (Taken for one message, the second would be deleted
        without ever being delivered.)"""
        repeated = self._db.execute(
            "SELECT 1 FROM temp.fetch_listing WHERE uid IS NOT NULL "
            "GROUP BY uid HAVING count(*) > 1 LIMIT 1"
        ).fetchone()
        if repeated is None:
            return False
        self._db.execute("UPDATE temp.fetch_listing SET uid = NULL")
        return True

    def first_without(self, column: Literal["uid", "size"]) -> int | None:
        """The first message number the listing has no *column* ("uid":
        UIDL did not name it, "size": LIST did not) for; None if none."""
        where = {"uid": "uid IS NULL", "size": "size IS NULL"}[column]
        query = f"SELECT min(msgno) FROM temp.fetch_listing WHERE {where}"
        row = self._db.execute(query).fetchone()
        return None if row[0] is None else int(row[0])

    def count(self) -> tuple[int, int]:
        """Messages and octets listed."""
        row = self._db.execute(
            "SELECT count(*), coalesce(sum(size), 0) FROM temp.fetch_listing"
        ).fetchone()
        return int(row[0]), int(row[1])

    def batch(self, after: int, limit: int = 200) -> list[ListedMessage]:
        """The next messages after message number *after*, with when each
        was delivered (None: not yet)."""
        rows = self._db.execute(
            "SELECT l.msgno, l.uid, coalesce(l.size, 0), s.delivered_at "
            "FROM temp.fetch_listing l LEFT JOIN fetch_seen s "
            "ON s.number = ? AND s.mailbox = ? AND s.uid = l.uid "
            "WHERE l.msgno > ? ORDER BY l.msgno LIMIT ?",
            (self.number, self.mailbox, after, limit),
        )
        return [ListedMessage(*row) for row in rows]

    def was_delivered(self, uid: str) -> bool:
        row = self._db.execute(
            "SELECT 1 FROM fetch_seen WHERE number = ? AND mailbox = ? AND uid = ?",
            (self.number, self.mailbox, uid),
        ).fetchone()
        return row is not None

    def delivered(self, uids: Iterable[tuple[str, str]]) -> None:
        """Record (uid, time) pairs as delivered into every inbox: one
        transaction, made durable before any of them is removed."""
        with self._transaction():
            self._db.executemany(
                "INSERT INTO fetch_seen (number, mailbox, uid, delivered_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (number, mailbox, uid) DO NOTHING",
                [(self.number, self.mailbox, uid, at) for uid, at in uids],
            )

    def forget_gone(self) -> None:
        """Forget messages no longer on the server (after a full listing)."""
        with self._transaction():
            self._db.execute(
                "DELETE FROM fetch_seen WHERE number = ? AND mailbox = ? "
                "AND uid NOT IN (SELECT uid FROM temp.fetch_listing WHERE uid IS NOT NULL)",
                (self.number, self.mailbox),
            )


_SELECT_STATUS = (
    "SELECT number, last_run, ok, problem, fetched, failures, disabled_reason FROM fetch_status"
)
"""The columns ``_status`` takes apart, in its order."""


def status(db: sqlite3.Connection, number: str) -> FetchStatus | None:
    row = db.execute(f"{_SELECT_STATUS} WHERE number = ?", (number,)).fetchone()
    return None if row is None else _status(row)


def statuses(db: sqlite3.Connection) -> dict[str, FetchStatus]:
    return {row[0]: _status(row) for row in db.execute(_SELECT_STATUS)}


def _status(row: tuple[object, ...]) -> FetchStatus:
    number, last_run, ok, problem, fetched, failures, disabled = row
    return FetchStatus(
        str(number),
        str(last_run),
        bool(ok),
        json.loads(str(problem)) if problem else None,
        int(str(fetched)),
        int(str(failures)),
        str(disabled),
    )


MESSAGE_PROBLEMS = frozenset(
    {"retrieve_rejected", "message_too_large", "delete_rejected", "delete_not_committed"}
)
"""Problems with single messages: the run reached the mailbox and fetched the
rest, so they are shown but never count towards switching fetching off."""
TEMPORARY_PROBLEMS = frozenset({"mailbox_in_use"})
"""Conditions that pass by themselves (another session holds the mailbox):
shown, but they neither count towards switching fetching off nor end a
count of failures."""


def record_run(
    db: sqlite3.Connection,
    transaction: Transaction,
    number: str,
    at: str,
    problem: dict[str, object] | None,
    fetched: int,
    scheduled: bool,
    disable_after: int,
) -> FetchStatus:
    """Record a run. Consecutive failures are counted; after *disable_after*
    failed scheduled runs in a row the account's fetching is switched off
    (``fetch.enabled`` false in the account, with the reason) until an admin
    switches it on again. Runs an admin started count as well, but never
    switch anything off."""
    with transaction():
        before = status(db, number)
        reached = problem is None or problem.get("code") in MESSAGE_PROBLEMS
        failures = 0 if reached else (before.failures if before else 0) + 1
        if problem is not None and problem.get("code") in TEMPORARY_PROBLEMS:
            failures = before.failures if before else 0
        disabled = before.disabled_reason if before else ""
        if problem is not None and scheduled and failures >= disable_after and not disabled:
            disabled = json.dumps({"failures": failures, **problem}, ensure_ascii=False)
            _switch_off(db, number)
        db.execute(
            "INSERT INTO fetch_status (number, last_run, ok, problem, fetched, failures, "
            "disabled_reason) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (number) DO UPDATE SET "
            "last_run = excluded.last_run, ok = excluded.ok, problem = excluded.problem, "
            "fetched = excluded.fetched, failures = excluded.failures, "
            "disabled_reason = excluded.disabled_reason",
            (
                number,
                at,
                int(problem is None),
                json.dumps(problem, ensure_ascii=False) if problem else "",
                fetched,
                failures,
                disabled,
            ),
        )
    found = status(db, number)
    assert found is not None
    return found


def _switch_off(db: sqlite3.Connection, number: str) -> None:
    row = db.execute("SELECT data FROM accounts WHERE number = ?", (number,)).fetchone()
    if row is None:
        return
    data = json.loads(row[0])
    data["fetch"] = {**(data.get("fetch") or {}), "enabled": False}
    db.execute(
        "UPDATE accounts SET data = ?, fetch_on = 0, revision = revision + 1 WHERE number = ?",
        (encode_document(data), number),
    )


def switched_on(db: sqlite3.Connection, number: str, data: dict[str, object]) -> None:
    """An admin saved the account with fetching on: the count starts again."""
    fetch = data.get("fetch")
    if isinstance(fetch, dict) and fetch.get("enabled"):
        db.execute(
            "UPDATE fetch_status SET failures = 0, disabled_reason = '' WHERE number = ? "
            "AND disabled_reason != ''",
            (number,),
        )
