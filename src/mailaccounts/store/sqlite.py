"""The embedded SQLite store: one file, private to its owner, WAL journal,
one transaction per save, a revision per account for optimistic concurrency."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from . import schema
from .errors import (
    AccountNotFound,
    CodeExists,
    CodeInUse,
    CodeNotFound,
    ConflictError,
    NumberTaken,
    StoreError,
    StoreTooNew,
    StoreUnreadable,
)
from .records import (
    AccountSummary,
    AccountWrite,
    DirectoryEntry,
    DirectoryKind,
    StoredAccount,
)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _list_columns(data: dict[str, Any]) -> tuple[str, str, str]:
    """incoming, outgoing and operators as the account list shows them."""
    pop3 = data.get("pop3") or {}
    smtp = data.get("smtp") or {}
    if data.get("exchange"):
        incoming = outgoing = str((data.get("exchange_settings") or {}).get("server", ""))
    else:
        incoming = str(pop3.get("server", ""))
        outgoing = str(smtp.get("server", "")) if smtp.get("separate") else incoming
    return incoming, outgoing, "; ".join(data.get("operators") or [])


class SqliteStore:
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
        self._store_id = self._meta("store_id")

    # -- opening, creating, migrating ---------------------------------------

    def _create_private_file(self) -> None:
        if self.path.exists():
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except FileExistsError:
            return
        except OSError as exc:
            raise StoreUnreadable(str(self.path), exc.strerror or str(exc)) from None
        os.close(fd)

    def _prepare(self) -> None:
        version = self._schema_version()
        if version > schema.LATEST:
            raise StoreTooNew(str(self.path), version, schema.LATEST)
        if version < schema.LATEST:
            if version > 0:
                self._backup(version)
            self._migrate(version)
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
        import shutil

        target = self.path.with_name(f"{self.path.name}.v{version}.bak")
        backup = sqlite3.connect(target)
        try:
            self._db.backup(backup)
        finally:
            backup.close()
        shutil.copymode(self.path, target)

    def _migrate(self, version: int) -> None:
        import uuid

        with self._transaction() as db:
            for number, steps in enumerate(schema.MIGRATIONS[version:], start=version + 1):
                for statement in steps:
                    db.execute(statement)
                if number == 1:
                    db.execute(
                        "INSERT INTO meta (key, value) VALUES ('store_id', ?)",
                        (uuid.uuid4().hex,),
                    )
                db.execute(
                    "INSERT INTO meta (key, value) VALUES ('schema_version', ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (str(number),),
                )

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

    def close(self) -> None:
        self._db.close()

    # -- accounts -----------------------------------------------------------

    def summaries(self) -> list[AccountSummary]:
        rows = self._db.execute(
            "SELECT number, address, exchange, incoming, outgoing, operators, revision "
            "FROM accounts ORDER BY number"
        )
        return [AccountSummary(n, a, bool(x), i, o, ops, r) for n, a, x, i, o, ops, r in rows]

    def get(self, number: str) -> StoredAccount | None:
        row = self._db.execute(
            "SELECT data, revision, created_at, updated_at FROM accounts WHERE number = ?",
            (number,),
        ).fetchone()
        if row is None:
            return None
        import json  # not needed to show the list

        return StoredAccount(json.loads(row[0]), row[1], self._refs(number), row[2], row[3])

    def all_accounts(self) -> list[StoredAccount]:
        import json

        refs: dict[str, dict[str, str]] = {}
        for number, name, ref in self._db.execute("SELECT number, name, ref FROM account_secrets"):
            refs.setdefault(number, {})[name] = ref
        rows = self._db.execute(
            "SELECT number, data, revision, created_at, updated_at FROM accounts ORDER BY number"
        )
        return [StoredAccount(json.loads(d), r, refs.get(n, {}), c, u) for n, d, r, c, u in rows]

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
        import json

        number = write.number
        data_json = json.dumps(write.data, ensure_ascii=False, sort_keys=True)
        incoming, outgoing, operators = _list_columns(write.data)
        now = _now()
        columns = (
            str(write.data["address"]),
            int(bool(write.data.get("exchange"))),
            incoming,
            outgoing,
            operators,
            data_json,
        )
        if write.expected_revision is None:
            try:
                db.execute(
                    "INSERT INTO accounts (address, exchange, incoming, outgoing, operators, "
                    "data, number, revision, created_at, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)",
                    (*columns, number, now, now),
                )
            except sqlite3.IntegrityError:
                raise NumberTaken(number) from None
        else:
            updated = db.execute(
                "UPDATE accounts SET address = ?, exchange = ?, incoming = ?, outgoing = ?, "
                "operators = ?, data = ?, revision = revision + 1, updated_at = ? "
                "WHERE number = ? AND revision = ?",
                (*columns, now, number, write.expected_revision),
            ).rowcount
            if updated != 1:
                self._raise_lost_race(db, number, write.expected_revision)
        db.execute("DELETE FROM account_secrets WHERE number = ?", (number,))
        db.executemany(
            "INSERT INTO account_secrets (number, name, ref) VALUES (?, ?, ?)",
            [(number, name, ref) for name, ref in sorted(write.secret_refs.items())],
        )
        db.execute("DELETE FROM assignments WHERE number = ?", (number,))
        for kind, key in (("operator", "operators"), ("workgroup", "workgroups")):
            codes = {str(code).casefold() for code in write.data.get(key) or []}
            db.executemany(
                "INSERT INTO assignments (number, kind, code_key) VALUES (?, ?, ?)",
                [(number, kind, code) for code in sorted(codes)],
            )
        db.executemany(
            "DELETE FROM secret_trash WHERE key = ?",
            [(ref,) for ref in write.secret_refs.values()],
        )

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
            keys = list(self._refs(number).values())
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
                raise CodeExists(kind, code) from None

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

    # -- keyring entries waiting to be removed -------------------------------

    @staticmethod
    def _trash_in(db: sqlite3.Connection, keys: Iterable[str]) -> None:
        db.executemany(
            "INSERT INTO secret_trash (key, since) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
            [(key, _now()) for key in keys],
        )

    def trash_add(self, keys: Iterable[str]) -> None:
        with self._transaction() as db:
            self._trash_in(db, keys)

    def trash_keys(self) -> list[str]:
        return [row[0] for row in self._db.execute("SELECT key FROM secret_trash ORDER BY key")]

    def trash_clear(self, keys: Iterable[str]) -> None:
        with self._transaction() as db:
            db.executemany("DELETE FROM secret_trash WHERE key = ?", [(k,) for k in keys])
