from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest

from mailaccounts.model.problems import Problem
from mailaccounts.store import (
    AccountNotFound,
    AccountWrite,
    CodeInUse,
    ConflictError,
    NumberTaken,
    StoreTooNew,
    StoreUnreadable,
    schema,
)
from mailaccounts.store.sqlite import SqliteStore
from tests.support.accounts import pop3_account


def store_with_directory(path: Path) -> SqliteStore:
    """A store whose directory knows the operator the test accounts name."""
    store = SqliteStore(path)
    store.directory_add("operator", "ADM", "Admin")
    return store


def test_new_store_is_private_versioned_and_has_an_identity(store_path: Path) -> None:
    store = SqliteStore(store_path)
    assert stat.S_IMODE(store_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(store_path.parent.stat().st_mode) == 0o700
    assert len(store.store_id) == 32
    assert store._meta("schema_version") == str(schema.LATEST)
    store.close()
    assert SqliteStore(store_path).store_id == store.store_id
    assert SqliteStore(store_path.with_name("other.sqlite3")).store_id != store.store_id


def test_save_get_and_summaries(store_path: Path) -> None:
    store = store_with_directory(store_path)
    saved = store.save(AccountWrite(pop3_account("1000"), {"pop3": "k1"}))
    assert saved.revision == 1 and saved.secret_refs == {"pop3": "k1"}
    assert saved.created_at == saved.updated_at
    [summary] = store.summaries()
    assert (summary.number, summary.incoming, summary.outgoing, summary.operators) == (
        "1000",
        "pop.mustermann.de",
        "smtp.mustermann.de",
        "ADM",
    )
    with pytest.raises(NumberTaken):
        store.save(AccountWrite(pop3_account("1000"), {}))


def test_summaries_carry_the_last_fetch(store_path: Path) -> None:
    store = store_with_directory(store_path)
    for number in ("1000", "1001", "1002"):
        store.save(AccountWrite(pop3_account(number), {}))
    store.record_fetch("1000", "2026-11-28T14:05:00+00:00", None, 12, False, 10)
    problem = Problem("auth_rejected", params={"text": "-ERR nö"})
    for _ in range(3):
        store.record_fetch("1001", "2026-11-28T14:06:00+00:00", problem, 0, True, 3)
    store.save(AccountWrite(pop3_account("1003"), {}))
    store.record_fetch("1003", "2026-11-28T14:07:00+00:00", Problem("timed_out"), 0, True, 10)
    store._db.execute("UPDATE fetch_status SET problem = '{oops' WHERE number = '1003'")
    ok, failed, never, malformed = store.summaries()
    assert (ok.last_fetch, ok.fetch_problem, ok.fetched, ok.fetch_failures) == (
        "2026-11-28T14:05:00+00:00",
        None,
        12,
        0,
    )
    assert ok.fetch_disabled is None and ok.problem_of() is None
    assert failed.fetch_failures == 3 and failed.fetched == 0
    assert failed.problem_of() == problem
    assert failed.fetch_disabled == 3
    assert never.number == "1002" and never.last_fetch is None and never.fetched is None
    assert never.problem_of() is None and never.fetch_disabled is None
    assert malformed.problem_of() == Problem("?")  # still a failure, and the list opens
    # an account's revision is read as before: the switch-off raised it
    assert failed.revision == 2 and ok.revision == 1
    numbers = {"count": 30, "none": None}  # parameters other than text read as text
    odd = Problem("x", params=numbers)
    store.record_fetch("1000", "2026-11-28T15:00:00+00:00", odd, 0, False, 10)
    assert store.summaries()[0].problem_of() == Problem("x", params={"count": "30", "none": ""})


def test_second_handle_saving_an_old_revision_gets_a_conflict(store_path: Path) -> None:
    store_with_directory(store_path).save(AccountWrite(pop3_account("1000"), {}))
    first, second = SqliteStore(store_path), SqliteStore(store_path)
    a, b = first.get("1000"), second.get("1000")
    assert a is not None and b is not None
    first.save(AccountWrite({**a.data, "address": "first@x.de"}, {}, a.revision))
    with pytest.raises(ConflictError) as info:
        second.save(AccountWrite({**b.data, "address": "second@x.de"}, {}, b.revision))
    assert "changed by someone else" in str(info.value)
    stored = SqliteStore(store_path).get("1000")
    assert stored is not None
    assert stored.data["address"] == "first@x.de" and stored.revision == 2


def test_saving_a_deleted_account_says_so(store_path: Path) -> None:
    store = store_with_directory(store_path)
    store.save(AccountWrite(pop3_account("1000"), {"pop3": "k1"}))
    assert store.delete("1000") == ["k1"]
    assert store.trash_keys() == ["k1"]
    with pytest.raises(AccountNotFound):
        store.save(AccountWrite(pop3_account("1000"), {}, 1))
    assert store.get("1000") is None


def test_directory_code_in_use_is_refused_naming_the_accounts(store_path: Path) -> None:
    store = SqliteStore(store_path)
    store.directory_add("operator", "ADM", "Admin")
    store.save(AccountWrite(pop3_account("1000", operators=["adm"]), {}))
    store.save(AccountWrite(pop3_account("1001", operators=["ADM"]), {}))
    with pytest.raises(CodeInUse) as info:
        store.directory_remove("operator", "Adm")
    assert info.value.numbers == ["1000", "1001"]
    store.delete("1000")
    store.delete("1001")
    store.directory_remove("operator", "adm")
    assert store.directory("operator") == []


def test_failed_transaction_changes_nothing(store_path: Path) -> None:
    store = store_with_directory(store_path)
    store.save(AccountWrite(pop3_account("1000"), {}))
    writes = [AccountWrite(pop3_account("1001"), {}), AccountWrite(pop3_account("1000"), {})]
    with pytest.raises(NumberTaken):
        store.save_many(writes, {})
    assert [s.number for s in store.summaries()] == ["1000"]


def test_not_sqlite_at_all(tmp_path: Path) -> None:
    path = tmp_path / "junk.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    before = path.read_bytes()
    with pytest.raises(StoreUnreadable, match="cannot be used as a mailaccounts store"):
        SqliteStore(path)
    assert path.read_bytes() == before


def test_sqlite_file_of_another_program(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE songs (title TEXT)")
    with pytest.raises(StoreUnreadable, match="another program"):
        SqliteStore(path)


def test_store_from_a_newer_version_is_refused(store_path: Path) -> None:
    SqliteStore(store_path).close()
    with sqlite3.connect(store_path) as db:
        db.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(StoreTooNew, match="schema version 99"):
        SqliteStore(store_path)


def test_migration_backs_up_first(store_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = store_with_directory(store_path)
    store.save(AccountWrite(pop3_account("1000"), {}))
    store.close()
    step = ["CREATE TABLE later (x TEXT)"]
    monkeypatch.setattr(schema, "MIGRATIONS", [*schema.MIGRATIONS, step])
    monkeypatch.setattr(schema, "LATEST", len(schema.MIGRATIONS))
    migrated = SqliteStore(store_path)
    assert migrated._meta("schema_version") == str(schema.LATEST)
    backup = store_path.with_name(f"{store_path.name}.v{schema.LATEST - 1}.bak")
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    with sqlite3.connect(backup) as db:
        assert db.execute("SELECT count(*) FROM accounts").fetchone()[0] == 1
        version = db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        assert version == (str(schema.LATEST - 1),)


def test_a_save_without_fetch_enabled_is_a_save_with_fetching_on(store_path: Path) -> None:
    """A document that does not say ``fetch.enabled`` fetches (the model's
    default): saving one after fetching was switched off starts the count of
    failed runs again, as the list column and the schedule take it."""
    store = store_with_directory(store_path)
    store.save(AccountWrite(pop3_account("1000"), {}))
    problem = Problem("auth_rejected")
    for _ in range(3):
        store.record_fetch("1000", "2026-11-28T14:06:00+00:00", problem, 0, True, 3)
    switched_off = store.get("1000")
    assert switched_off is not None and switched_off.data["fetch"]["enabled"] is False
    data = {**pop3_account("1000"), "fetch": {"leave_on_server": False}}
    store.save(AccountWrite(data, {}, switched_off.revision))
    (summary,) = store.summaries()
    assert summary.fetch_on == 1
    status = store.fetch_status("1000")
    assert status is not None
    assert (status.failures, status.disabled_reason) == (0, "")
    assert summary.fetch_disabled is None
