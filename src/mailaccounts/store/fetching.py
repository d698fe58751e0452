"""What fetching mail keeps in the SQLite store (base.Store's fetching
part): per mailbox (server and user of an account) the messages delivered
into every inbox, and per account how its runs went. The listing of a
mailbox lives in a temporary table, so memory does not grow with the number
of messages on the server."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from types import TracebackType
from typing import Literal

from ..model.problems import Problem
from ..model.records import FetchStatus, ListedMessage
from ..model.rules import fetching_switched_on
from .base import FORGET_AFTER, FORGET_AFTER_LISTINGS, count_run
from .encoding import encode_document, from_json, to_json
from .errors import AccountDeleted

Transaction = Callable[[], AbstractContextManager[sqlite3.Connection]]
"""The store's own: BEGIN IMMEDIATE, COMMIT, errors as StoreError."""


class Listing:
    """One run's view of a mailbox (base.FetchListing): what the server lists
    (UIDL, LIST) and, for each message, whether it was delivered before."""

    def __init__(
        self,
        db: sqlite3.Connection,
        transaction: Transaction,
        number: str,
        mailbox: str,
        now: datetime | None = None,
    ) -> None:
        self._db = db
        self._transaction = transaction
        self.number = number
        self.mailbox = mailbox
        self.now = now or datetime.now(UTC)
        """When the server was listed (the run's clock)."""

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
            try:
                self._db.executemany(
                    "INSERT INTO fetch_seen (number, mailbox, uid, delivered_at) "
                    "VALUES (?, ?, ?, ?) ON CONFLICT (number, mailbox, uid) DO NOTHING",
                    [(self.number, self.mailbox, uid, at) for uid, at in uids],
                )
            except sqlite3.IntegrityError:
                _require_account(self._db, self.number)
                raise

    def forget_gone(self) -> None:
        """After a full listing: a delivered message listed again is no
        longer missing; one not listed has been missing once more; the
        record of one missing long enough (FORGET_AFTER_LISTINGS,
        FORGET_AFTER) goes."""
        mine = "number = ? AND mailbox = ?"
        listed = "uid IN (SELECT uid FROM temp.fetch_listing WHERE uid IS NOT NULL)"
        key = (self.number, self.mailbox)
        with self._transaction():
            self._db.execute(
                f"UPDATE fetch_seen SET missing_runs = 0, missing_since = NULL "
                f"WHERE {mine} AND missing_runs > 0 AND {listed}",
                key,
            )
            self._db.execute(
                f"UPDATE fetch_seen SET missing_runs = missing_runs + 1, "
                f"missing_since = coalesce(missing_since, ?) WHERE {mine} AND NOT {listed}",
                (_utc_text(self.now), *key),
            )
            self._db.execute(
                f"DELETE FROM fetch_seen WHERE {mine} AND missing_runs >= ? AND missing_since <= ?",
                (*key, FORGET_AFTER_LISTINGS, _utc_text(self.now - FORGET_AFTER)),
            )


def _utc_text(at: datetime) -> str:
    """A time in UTC as ISO 8601 text: such texts sort as their times do."""
    return at.astimezone(UTC).isoformat(timespec="seconds")


def _require_account(db: sqlite3.Connection, number: str) -> None:
    """AccountDeleted unless the account is (still) in the store."""
    if db.execute("SELECT 1 FROM accounts WHERE number = ?", (number,)).fetchone() is None:
        raise AccountDeleted(number)


_SELECT_STATUS = (
    "SELECT number, last_run, ok, problem, fetched, failures, disabled_reason FROM fetch_status"
)
"""The columns ``_status`` takes apart, in its order."""


class FetchRecords:
    """The fetch records and run statuses of one SQLite store connection:
    what ``SqliteStore``'s fetching methods do (base.Store states each
    one's contract). Made on first use, so the list never loads it."""

    def __init__(self, db: sqlite3.Connection, transaction: Transaction) -> None:
        self._db = db
        self._transaction = transaction

    def fetch_listing(self, number: str, mailbox: str, now: datetime | None = None) -> Listing:
        return Listing(self._db, self._transaction, number, mailbox, now)

    def fetch_status(self, number: str) -> FetchStatus | None:
        row = self._db.execute(f"{_SELECT_STATUS} WHERE number = ?", (number,)).fetchone()
        return None if row is None else _status(row)

    def fetch_statuses(self) -> dict[str, FetchStatus]:
        return {row[0]: _status(row) for row in self._db.execute(_SELECT_STATUS)}

    def record_fetch(
        self,
        number: str,
        at: str,
        problem: Problem | None,
        fetched: int,
        scheduled: bool,
        disable_after: int,
    ) -> FetchStatus:
        with self._transaction() as db:
            _require_account(db, number)
            before = self.fetch_status(number)
            failures, disabled, switch_off = count_run(before, problem, scheduled, disable_after)
            if switch_off:
                _switch_off(db, number)
            db.execute(
                "INSERT INTO fetch_status (number, last_run, ok, problem, fetched, failures, "
                "disabled_reason) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (number) DO UPDATE "
                "SET last_run = excluded.last_run, ok = excluded.ok, "
                "problem = excluded.problem, fetched = excluded.fetched, "
                "failures = excluded.failures, disabled_reason = excluded.disabled_reason",
                (
                    number,
                    at,
                    int(problem is None),
                    to_json(problem.to_json()) if problem is not None else "",
                    fetched,
                    failures,
                    disabled,
                ),
            )
        found = self.fetch_status(number)
        assert found is not None
        return found

    def account_saved(self, number: str, data: dict[str, object]) -> None:
        """Inside a save's transaction: an admin saved the account with
        fetching on, so the count starts again."""
        fetch = data.get("fetch")
        if fetching_switched_on(fetch if isinstance(fetch, dict) else None):
            self._db.execute(
                "UPDATE fetch_status SET failures = 0, disabled_reason = '' WHERE number = ? "
                "AND disabled_reason != ''",
                (number,),
            )


def _status(row: tuple[object, ...]) -> FetchStatus:
    number, last_run, ok, problem, fetched, failures, disabled = row
    return FetchStatus(
        str(number),
        str(last_run),
        bool(ok),
        Problem.from_json(from_json(str(problem))) if problem else None,
        int(str(fetched)),
        int(str(failures)),
        str(disabled),
    )


def _switch_off(db: sqlite3.Connection, number: str) -> None:
    row = db.execute("SELECT data FROM accounts WHERE number = ?", (number,)).fetchone()
    if row is None:
        return
    data = from_json(row[0])
    data["fetch"] = {**(data.get("fetch") or {}), "enabled": False}
    db.execute(
        "UPDATE accounts SET data = ?, fetch_on = 0, revision = revision + 1 WHERE number = ?",
        (encode_document(data), number),
    )
