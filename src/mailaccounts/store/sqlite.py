"""The embedded SQLite store (base.Store): one file, private to its owner,
WAL journal, one transaction per save, a revision per account for
optimistic concurrency; leases are file locks beside it (locks.py)."""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import sqlite3
import stat
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..keyring import refs as secretrefs
from ..model.records import (
    AccountSummary,
    AccountWrite,
    DirectoryEntry,
    DirectoryKind,
    FetchStatus,
    StoredAccount,
)
from . import schema
from .encoding import encode_document, from_json, new_id

if TYPE_CHECKING:
    from ..model.problems import Problem
    from .fetching import FetchRecords, Listing
    from .locks import FileLocks, ProcessLock
from .errors import (
    AccountNotFound,
    CodeExists,
    CodeGone,
    CodeInUse,
    CodeNotFound,
    ConflictError,
    NumberTaken,
    SecretsChanged,
    StoreError,
    StoreTooNew,
    StoreUnreadable,
)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _list_columns(data: dict[str, Any]) -> tuple[str, str, str, int]:
    """incoming, outgoing, operators as the account list shows them, and
    whether scheduled fetching is on (1) or off (0)."""
    from ..model.rules import fetching_switched_on, smtp_server_of  # a save's, not the list's

    pop3 = data.get("pop3") or {}
    if data.get("exchange"):
        incoming = outgoing = str((data.get("exchange_settings") or {}).get("server", ""))
    else:
        incoming = str(pop3.get("server", ""))
        outgoing = smtp_server_of(data).host
    fetch_on = int(fetching_switched_on(data.get("fetch")))
    return incoming, outgoing, "; ".join(data.get("operators") or []), fetch_on


_FILE_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
)


def _file_kind(mode: int) -> str:
    """What a path that is not a regular file is, for the refusal."""
    kind = next((name for test, name in _FILE_KINDS if test(mode)), "something else")
    return f"{kind}, not a regular file"


class SqliteStore:
    """A connection to the SQLite store at *path* (created when missing,
    migrated when older): base.Store."""

    def __init__(self, path: str | os.PathLike[str], *, timeout: float = 5.0) -> None:
        self.path = Path(path)
        self._create_private_file()
        try:
            self._db = sqlite3.connect(self.path, timeout=timeout, isolation_level=None)
            self._db.execute("PRAGMA foreign_keys = ON")
            self._prepare()
        except sqlite3.OperationalError as exc:
            raise StoreUnreadable(
                str(self.path), f"{exc} (check that the file and its folder can be written)"
            ) from None
        except sqlite3.DatabaseError as exc:
            raise StoreUnreadable(str(self.path), str(exc)) from None
        self._leases: FileLocks | None = None
        self._fetching: FetchRecords | None = None
        self._claim_home()
        self._store_id = self._meta("store_id")

    # -- opening, creating, migrating ---------------------------------------

    def _create_private_file(self) -> None:
        """A new store is private to its owner; SQLite gives the -wal and -shm
        files the mode of the store file. A path that is something other than
        a regular file (a device, a FIFO, a socket, a folder) is refused and
        left exactly as it is: no mode changed, no journal beside it."""
        try:
            found = os.stat(self.path)
        except FileNotFoundError:
            found = None
        except OSError as exc:
            raise StoreUnreadable(str(self.path), exc.strerror or str(exc)) from None
        if found is not None:
            if not stat.S_ISREG(found.st_mode):
                raise StoreUnreadable(str(self.path), f"it is {_file_kind(found.st_mode)}")
            if found.st_size == 0:  # an empty file becomes a store now
                with contextlib.suppress(OSError):
                    os.chmod(self.path, 0o600)
            return
        # through a dangling symlink: create the file it points to
        target = Path(os.path.realpath(self.path))
        try:
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except FileExistsError:
            return
        except OSError as exc:
            raise StoreUnreadable(str(self.path), exc.strerror or str(exc)) from None
        os.close(fd)

    def _claim_home(self) -> None:
        """Notice a copy: the file's inode is recorded, and a store found in
        another file (a copy, a restored backup, a move to another file
        system) takes a new identity. Its secret references stay readable but
        are marked as borrowed from the original, which keeps them: a copy
        never removes the original's keyring entries."""
        inode = os.stat(self.path).st_ino
        if not inode or self._meta("home_inode") == str(inode):
            return

        with self._transaction() as db:
            recorded = self._meta("home_inode")
            if recorded == str(inode):
                return  # another connection claimed it meanwhile
            if recorded:
                original = self._meta("store_id")
                refs = db.execute("SELECT number, name, ref FROM account_secrets").fetchall()
                db.executemany(
                    "UPDATE account_secrets SET ref = ? WHERE number = ? AND name = ?",
                    [(secretrefs.borrow(original, ref), n, name) for n, name, ref in refs],
                )
                db.execute("DELETE FROM secret_trash")  # the original's to remove, not ours
                self._set_meta(db, "store_id", new_id())
                self._set_meta(db, "copied_from", original)
            self._set_meta(db, "home_inode", str(inode))

    @staticmethod
    def _set_meta(db: sqlite3.Connection, key: str, value: str) -> None:
        db.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def _prepare(self) -> None:
        version = self._schema_version()
        if version > schema.LATEST:
            raise StoreTooNew(str(self.path), version, schema.LATEST)
        if version < schema.LATEST:
            if version > 0:
                self._backup(version)
            self._migrate(version)
            _log_migration(self.path, version)
        mode = self._db.execute("PRAGMA journal_mode").fetchone()[0]
        if mode != "wal":
            self._db.execute("PRAGMA journal_mode = WAL")
        self._db.execute("PRAGMA synchronous = FULL")

    def _schema_version(self) -> int:
        has_meta = self._db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'"
        ).fetchone()
        if not has_meta:
            others = self._db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            if others:
                raise StoreUnreadable(str(self.path), "an SQLite file of another program")
            return 0
        row = self._db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if row is None or not str(row[0]).isdigit():
            raise StoreUnreadable(str(self.path), "its schema version is missing")
        return int(row[0])

    def _backup(self, version: int) -> None:
        target = self.path.with_name(f"{self.path.name}.v{version}.bak")
        backup = sqlite3.connect(target)
        try:
            self._db.backup(backup)
        finally:
            backup.close()
        shutil.copymode(self.path, target)

    def _migrate(self, version: int) -> None:
        with self._transaction() as db:
            for number, steps in enumerate(schema.MIGRATIONS[version:], start=version + 1):
                for statement in steps:
                    db.execute(statement)
                if number == 1:
                    db.execute(
                        "INSERT INTO meta (key, value) VALUES ('store_id', ?)",
                        (new_id(),),
                    )
                self._set_meta(db, "schema_version", str(number))

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreError(f"the store is busy or cannot be written: {exc}") from None
        try:
            yield self._db
        except sqlite3.Error as exc:  # e.g. disk full, I/O error
            self._rollback()
            raise StoreError(f"the store could not be written: {exc}") from None
        except BaseException:
            self._rollback()
            raise
        try:
            self._db.execute("COMMIT")
        except sqlite3.Error as exc:
            self._rollback()
            raise StoreError(f"the store could not be written: {exc}") from None

    def _rollback(self) -> None:
        if self._db.in_transaction:
            self._db.execute("ROLLBACK")

    def _meta(self, key: str) -> str:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else ""

    @property
    def store_id(self) -> str:
        return self._store_id

    @property
    def _locks(self) -> FileLocks:
        """The store's leases: file locks in ``<store file>.locks/``."""
        if self._leases is None:
            from .locks import FileLocks  # with the first lease: not needed to show the list

            self._leases = FileLocks(self.path.with_name(self.path.name + ".locks"))
        return self._leases

    def close(self) -> None:
        self._db.close()

    # -- accounts -----------------------------------------------------------

    def summaries(self) -> list[AccountSummary]:
        # One round trip: the list shows each account's last fetch too. SQLite
        # takes the stored problems apart (AccountSummary.fetch_problem); a
        # malformed one has the code "?".
        rows = self._db.execute(
            "SELECT a.number, a.address, a.exchange, a.incoming, a.outgoing, a.operators, "
            "a.revision, f.last_run, CASE WHEN f.problem != '' THEN coalesce(("
            "  SELECT group_concat(p.key || char(31) || coalesce(p.value, ''), char(30)) "
            "  FROM json_each(CASE WHEN json_valid(f.problem) THEN f.problem END) p"
            "), 'code' || char(31) || '?') END, f.fetched, f.failures, "
            "json_extract(CASE WHEN f.disabled_reason != '' "
            "AND json_valid(f.disabled_reason) THEN f.disabled_reason END, '$.failures'), "
            "a.fetch_on "
            "FROM accounts a LEFT JOIN fetch_status f ON f.number = a.number ORDER BY a.number"
        )
        return list(map(AccountSummary._make, rows))  # exchange stays 0 or 1

    def get(self, number: str) -> StoredAccount | None:
        row = self._db.execute(
            "SELECT data, revision, created_at, updated_at, doc_version FROM accounts "
            "WHERE number = ?",
            (number,),
        ).fetchone()
        if row is None:
            return None

        data, revision, created, updated, version = row
        return StoredAccount(
            from_json(data), revision, self._refs(number), created, updated, version
        )

    def all_accounts(self) -> list[StoredAccount]:
        refs: dict[str, dict[str, str]] = {}
        for number, name, ref in self._db.execute("SELECT number, name, ref FROM account_secrets"):
            refs.setdefault(number, {})[name] = ref
        rows = self._db.execute(
            "SELECT number, data, revision, created_at, updated_at, doc_version FROM accounts "
            "ORDER BY number"
        )
        return [
            StoredAccount(from_json(d), r, refs.get(n, {}), c, u, v) for n, d, r, c, u, v in rows
        ]

    def account_documents(self) -> Iterator[tuple[str, dict[str, Any], int]]:
        """Every account's number, JSON form and shape version in number
        order, one at a time: memory does not grow with the number of accounts."""
        rows = self._db.execute("SELECT number, data, doc_version FROM accounts ORDER BY number")
        for number, data, version in rows:
            yield number, from_json(data), version

    def documents_newer_than(self, version: int) -> list[tuple[str, int]]:
        """(number, shape version) of the accounts stored in a shape newer than *version*."""
        rows = self._db.execute(
            "SELECT number, doc_version FROM accounts WHERE doc_version > ? ORDER BY number",
            (version,),
        )
        return [(number, found) for number, found in rows]

    def _refs(self, number: str) -> dict[str, str]:
        rows = self._db.execute("SELECT name, ref FROM account_secrets WHERE number = ?", (number,))
        return dict(rows.fetchall())

    def save(self, write: AccountWrite, trash: Iterable[str] = ()) -> StoredAccount:
        with self._transaction() as db:
            self._write(db, write)
            self._trash_in(db, trash)
        stored = self.get(write.number)
        assert stored is not None
        return stored

    def save_many(
        self,
        writes: list[AccountWrite],
        directory: dict[DirectoryKind, list[DirectoryEntry]],
        trash: Iterable[str] = (),
    ) -> None:
        with self._transaction() as db:
            for kind, entries in directory.items():
                for entry in entries:
                    db.execute(
                        "INSERT INTO directory (kind, code, code_key, name) VALUES (?, ?, ?, ?) "
                        "ON CONFLICT (kind, code_key) DO UPDATE SET name = excluded.name",
                        (kind, entry.code, entry.code.casefold(), entry.name),
                    )
            for write in writes:
                self._write(db, write)
            self._trash_in(db, trash)

    def _write(self, db: sqlite3.Connection, write: AccountWrite) -> None:
        number = write.number
        data_json = encode_document(write.data)
        incoming, outgoing, operators, fetch_on = _list_columns(write.data)
        now = _now()
        columns = (
            str(write.data["address"]),
            int(bool(write.data.get("exchange"))),
            incoming,
            outgoing,
            operators,
            fetch_on,
            data_json,
            write.version,
        )
        if write.expected_revision is None:
            try:
                db.execute(
                    "INSERT INTO accounts (address, exchange, incoming, outgoing, operators, "
                    "fetch_on, data, doc_version, number, revision, created_at, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)",
                    (*columns, number, now, now),
                )
            except sqlite3.IntegrityError:
                raise NumberTaken(number) from None
        else:
            updated = db.execute(
                "UPDATE accounts SET address = ?, exchange = ?, incoming = ?, outgoing = ?, "
                "operators = ?, fetch_on = ?, data = ?, doc_version = ?, revision = revision + 1, "
                "updated_at = ? "
                "WHERE number = ? AND revision = ?",
                (*columns, now, number, write.expected_revision),
            ).rowcount
            if updated != 1:
                self._raise_lost_race(db, number, write.expected_revision)
        self._put_refs(db, number, write.expected_refs, write.secret_refs)
        db.execute("DELETE FROM assignments WHERE number = ?", (number,))
        for kind, key in (("operator", "operators"), ("workgroup", "workgroups")):
            codes = {str(code).casefold() for code in write.data.get(key) or []}
            db.executemany(
                "INSERT INTO assignments (number, kind, code_key) VALUES (?, ?, ?)",
                [(number, kind, code) for code in sorted(codes)],
            )
        self._fetch_records().account_saved(number, write.data)
        gone = db.execute(
            "SELECT kind, code_key FROM assignments a WHERE number = ? AND NOT EXISTS "
            "(SELECT 1 FROM directory d WHERE d.kind = a.kind AND d.code_key = a.code_key)",
            (number,),
        ).fetchone()
        if gone is not None:  # checked before, but removed meanwhile by someone else
            named = [*(write.data.get("operators") or []), *(write.data.get("workgroups") or [])]
            code = next((str(c) for c in named if str(c).casefold() == gone[1]), gone[1])
            raise CodeGone(gone[0], code, number)

    def _put_refs(
        self,
        db: sqlite3.Connection,
        number: str,
        expected: dict[str, str] | None,
        refs: dict[str, str],
    ) -> None:
        """The account's secret references, if they are still *expected*;
        the entries they point into leave the trash."""
        if expected is not None and self._refs(number) != expected:
            raise SecretsChanged(number)
        db.execute("DELETE FROM account_secrets WHERE number = ?", (number,))
        db.executemany(
            "INSERT INTO account_secrets (number, name, ref) VALUES (?, ?, ?)",
            [(number, name, ref) for name, ref in sorted(refs.items())],
        )
        db.executemany(
            "DELETE FROM secret_trash WHERE key = ?",
            [(key,) for key in secretrefs.items(refs.values())],
        )

    def replace_secret_refs(
        self,
        number: str,
        expected: dict[str, str],
        refs: dict[str, str],
        trash: Iterable[str] = (),
    ) -> None:
        """Only the references (a new OAuth2 grant, say): the account and its
        revision stay as they are."""
        with self._transaction() as db:
            if db.execute("SELECT 1 FROM accounts WHERE number = ?", (number,)).fetchone() is None:
                raise AccountNotFound(number)
            self._put_refs(db, number, expected, refs)
            self._trash_in(db, trash)

    @staticmethod
    def _raise_lost_race(db: sqlite3.Connection, number: str, expected: int) -> None:
        row = db.execute("SELECT revision FROM accounts WHERE number = ?", (number,)).fetchone()
        if row is None:
            raise AccountNotFound(number)
        raise ConflictError(number, expected, row[0])

    def delete(self, number: str, expected_revision: int | None = None) -> list[str]:
        """Delete an account; returns its keyring keys, now in the trash."""
        with self._transaction() as db:
            row = db.execute("SELECT revision FROM accounts WHERE number = ?", (number,)).fetchone()
            if row is None:
                raise AccountNotFound(number)
            if expected_revision is not None and row[0] != expected_revision:
                raise ConflictError(number, expected_revision, row[0])
            keys = sorted(secretrefs.items(self._refs(number).values()))
            db.execute("DELETE FROM accounts WHERE number = ?", (number,))
            self._trash_in(db, keys)
        return keys

    # -- directory of operators and workgroups ------------------------------

    def directory(self, kind: DirectoryKind) -> list[DirectoryEntry]:
        rows = self._db.execute(
            "SELECT code, name FROM directory WHERE kind = ? ORDER BY code_key", (kind,)
        )
        return [DirectoryEntry(code, name) for code, name in rows]

    def directory_add(self, kind: DirectoryKind, code: str, name: str) -> None:
        with self._transaction() as db:
            try:
                db.execute(
                    "INSERT INTO directory (kind, code, code_key, name) VALUES (?, ?, ?, ?)",
                    (kind, code, code.casefold(), name),
                )
            except sqlite3.IntegrityError:
                row = db.execute(
                    "SELECT code FROM directory WHERE kind = ? AND code_key = ?",
                    (kind, code.casefold()),
                ).fetchone()
                raise CodeExists(kind, code, row[0] if row else "") from None

    def directory_remove(self, kind: DirectoryKind, code: str) -> None:
        with self._transaction() as db:
            numbers = [
                row[0]
                for row in db.execute(
                    "SELECT number FROM assignments WHERE kind = ? AND code_key = ? "
                    "ORDER BY number",
                    (kind, code.casefold()),
                )
            ]
            if numbers:
                raise CodeInUse(kind, code, numbers)
            removed = db.execute(
                "DELETE FROM directory WHERE kind = ? AND code_key = ?", (kind, code.casefold())
            ).rowcount
            if not removed:
                raise CodeNotFound(kind, code)

    # -- fetching mail (fetching.py) ------------------------------------------

    def _fetch_records(self) -> FetchRecords:
        if self._fetching is None:
            from .fetching import FetchRecords  # not needed to show the list

            self._fetching = FetchRecords(self._db, self._transaction)
        return self._fetching

    def fetch_lock(self, number: str) -> ProcessLock:
        return self._locks.fetch(number)

    def fetch_listing(self, number: str, mailbox: str, now: datetime | None = None) -> Listing:
        return self._fetch_records().fetch_listing(number, mailbox, now)

    def fetch_status(self, number: str) -> FetchStatus | None:
        return self._fetch_records().fetch_status(number)

    def fetch_statuses(self) -> dict[str, FetchStatus]:
        return self._fetch_records().fetch_statuses()

    def record_fetch(
        self,
        number: str,
        at: str,
        problem: Problem | None,
        fetched: int,
        scheduled: bool,
        disable_after: int,
    ) -> FetchStatus:
        return self._fetch_records().record_fetch(
            number, at, problem, fetched, scheduled, disable_after
        )

    # -- keyring entries waiting to be removed -------------------------------

    @staticmethod
    def _trash_in(db: sqlite3.Connection, keys: Iterable[str], owner: str | None = None) -> None:
        """Put *keys* into the trash: removable at once, or, with an *owner*,
        once that save is over (pending_keys)."""
        db.executemany(
            "INSERT INTO secret_trash (key, since, owner) VALUES (?, ?, ?) "
            "ON CONFLICT (key) DO NOTHING",
            [(key, _now(), owner) for key in keys],
        )

    @contextmanager
    def pending_keys(self, keys: Iterable[str]) -> Iterator[None]:
        """Record *keys* as the new keyring keys of a save that is running,
        before they are written. They stay in the trash, owned by this save,
        until its commit references them; a purge removes them only after the
        save ended without committing them (even when it was killed)."""
        keys = list(keys)
        if not keys:
            yield
            return
        with self._locks.owner() as owner:
            with self._transaction() as db:
                self._trash_in(db, keys, owner.id)
            yield

    def trash_keys(self) -> list[str]:
        """Every key in the trash, including those of saves still running."""
        return [row[0] for row in self._db.execute("SELECT key FROM secret_trash ORDER BY key")]

    def removable_trash(self) -> list[str]:
        """The keys nothing can commit any more: replaced or deleted ones, and
        those of saves that are over (their owner's lock can be taken)."""
        owners = self._db.execute(
            "SELECT DISTINCT owner FROM secret_trash WHERE owner IS NOT NULL"
        ).fetchall()
        for (owner,) in owners:
            lock = self._locks.owner_gone(owner)
            if lock is None:
                continue  # still saving: its keys may yet be committed
            try:
                with self._transaction() as db:
                    db.execute("UPDATE secret_trash SET owner = NULL WHERE owner = ?", (owner,))
            finally:
                lock.release(remove=True)
        rows = self._db.execute("SELECT key FROM secret_trash WHERE owner IS NULL ORDER BY key")
        return [row[0] for row in rows]

    def trash_clear(self, keys: Iterable[str]) -> None:
        with self._transaction() as db:
            db.executemany("DELETE FROM secret_trash WHERE key = ?", [(k,) for k in keys])


def _log_migration(path: Path, version: int) -> None:
    logger = logging.getLogger(__name__)
    if version == 0:
        logger.info("store %s created (schema %d)", path, schema.LATEST)
    else:
        logger.info(
            "store %s migrated from schema %d to %d; the old one is kept as %s.v%d.bak",
            *(path, version, schema.LATEST, path.name, version),
        )
