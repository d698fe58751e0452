from __future__ import annotations

import json
from pathlib import Path

import pytest

from mailaccounts.keyring.backend import KeyringSecrets, SecretsError
from mailaccounts.model.problems import AccountInvalid
from mailaccounts.model.secret import Secret
from mailaccounts.services.accounts import AccountService
from mailaccounts.store import ConflictError
from mailaccounts.store.sqlite import SqliteStore
from tests.support.accounts import pop3_account
from tests.support.keyrings import (
    FailSecondWriteKeyring,
    LockedKeyring,
    MemoryKeyring,
    RaisingKeyring,
)


def make_service(path: Path, backend: object) -> AccountService:
    store = SqliteStore(path)
    store.directory_add("operator", "ADM", "Admin") if not store.directory("operator") else None
    return AccountService(store, KeyringSecrets(store.store_id, backend))


def snapshot(service: AccountService) -> tuple[object, ...]:
    store = service.store
    return (
        [(s.data, s.revision, s.secret_refs) for s in store.all_accounts()],
        store.trash_keys(),
    )


def test_secrets_go_to_the_keyring_under_the_store_namespace(store_path: Path) -> None:
    backend = MemoryKeyring()
    service = make_service(store_path, backend)
    result = service.create(pop3_account(), {"pop3": Secret("pop-pw"), "smtp": Secret("smtp-pw")})
    refs = result.stored.secret_refs
    assert set(refs) == {"pop3", "smtp"}
    namespace = f"mailaccounts/{service.store.store_id}"
    [(service_name, key)] = backend.entries  # one entry per account and save
    assert service_name == namespace and key.startswith("1000/secrets/")
    assert (refs["pop3"], refs["smtp"]) == (f"{key}#pop3", f"{key}#smtp")
    assert json.loads(backend.entries[(namespace, key)]) == {"pop3": "pop-pw", "smtp": "smtp-pw"}
    assert service.secrets.get(refs["smtp"]) == Secret("smtp-pw")
    assert service.store.trash_keys() == []


def test_unchanged_secrets_are_not_written_and_changed_ones_replace_the_old(
    store_path: Path,
) -> None:
    backend = MemoryKeyring()
    service = make_service(store_path, backend)
    first = service.create(pop3_account(), {"pop3": Secret("one"), "smtp": Secret("s")}).stored
    writes = backend.calls["set"]
    second = service.update("1000", first.data, first.revision).stored
    assert backend.calls["set"] == writes
    assert second.secret_refs == first.secret_refs
    third = service.update("1000", second.data, second.revision, {"pop3": Secret("two")}).stored
    assert third.secret_refs["pop3"] != first.secret_refs["pop3"]
    # the kept secret moved into the new entry, so the replaced one left the keyring
    assert service.secrets.get(third.secret_refs["smtp"]) == Secret("s")
    assert sorted(backend.values()) == ["s", "two"] and len(backend.entries) == 1
    fourth = service.update("1000", third.data, third.revision, {"smtp": None}).stored
    assert set(fourth.secret_refs) == {"pop3"}
    assert backend.values() == ["two"]


def test_delete_removes_the_secrets(store_path: Path) -> None:
    backend = MemoryKeyring()
    service = make_service(store_path, backend)
    service.create(pop3_account(), {"pop3": Secret("pw")})
    assert service.delete("1000") == ""
    assert backend.entries == {} and service.store.trash_keys() == []


@pytest.mark.parametrize(
    ("backend", "reason"),
    [
        (RaisingKeyring(), "failed"),
        (LockedKeyring(), "locked"),
    ],
)
def test_keyring_failure_leaves_store_and_keyring_as_they_were(
    store_path: Path, backend: MemoryKeyring, reason: str
) -> None:
    service = make_service(store_path, backend)
    service.create(pop3_account("0999"))
    before = snapshot(service)
    with pytest.raises(SecretsError) as info:
        service.create(pop3_account(), {"pop3": Secret("p1-secret"), "smtp": Secret("p2-secret")})
    assert info.value.reason == reason
    assert "secret" not in str(info.value).replace("Secret Service", "")
    assert snapshot(service) == before
    assert backend.entries == {}


def test_a_failed_keyring_write_in_an_import_undoes_the_earlier_ones(store_path: Path) -> None:
    backend = FailSecondWriteKeyring()
    service = make_service(store_path, backend)
    before = snapshot(service)
    accounts = [pop3_account(n) for n in ("1000", "1001")]
    for account in accounts:
        account["pop3"]["password"] = f"pw-{account['number']}"
    with pytest.raises(SecretsError) as info:
        service.import_document(
            {"format": "mailaccounts-export", "version": 1, "accounts": accounts}
        )
    assert info.value.reason == "failed"
    assert snapshot(service) == before
    assert backend.entries == {}


def test_locked_keyring_message_says_what_to_do(store_path: Path) -> None:
    service = make_service(store_path, LockedKeyring())
    with pytest.raises(SecretsError, match=r"keyring is locked.*unlock it"):
        service.create(pop3_account(), {"pop3": Secret("x")})


def test_no_backend_is_refused_before_anything_is_written(store_path: Path) -> None:
    from keyring.backends.fail import Keyring as FailKeyring

    service = make_service(store_path, FailKeyring())
    before = store_path.read_bytes()
    with pytest.raises(SecretsError, match="no usable keyring") as info:
        service.create(pop3_account(), {"pop3": Secret("x")})
    assert info.value.reason == "unavailable"
    assert store_path.read_bytes() == before
    # an account without a password needs no keyring
    service.create(pop3_account())


def test_failed_commit_removes_the_secrets_just_written(store_path: Path) -> None:
    backend = MemoryKeyring()
    service = make_service(store_path, backend)
    stored = service.create(pop3_account(), {"pop3": Secret("old")}).stored
    other = make_service(store_path, backend)
    other.update("1000", stored.data, stored.revision)
    with pytest.raises(ConflictError):
        service.update("1000", stored.data, stored.revision, {"pop3": Secret("new")})
    assert backend.values() == ["old"]
    assert service.store.trash_keys() == []


def test_purge_trash_removes_leftovers_of_a_crash(store_path: Path) -> None:
    backend = MemoryKeyring()
    service = make_service(store_path, backend)
    with service.store.pending_keys(["1000/pop3/orphan"]):
        backend.set_password(service.secrets.service, "1000/pop3/orphan", "lost")
        assert service.purge_trash() == ""  # its save is still running: kept
        assert backend.values() == ["lost"]
    assert service.purge_trash() == ""
    assert backend.entries == {} and service.store.trash_keys() == []


def test_two_stores_keep_separate_secrets(tmp_path: Path) -> None:
    backend = MemoryKeyring()
    one = make_service(tmp_path / "one.sqlite3", backend)
    two = make_service(tmp_path / "two.sqlite3", backend)
    one.create(pop3_account(), {"pop3": Secret("first")})
    two.create(pop3_account(), {"pop3": Secret("second")})
    one.delete("1000")
    [(service, _)] = backend.entries
    assert service == two.secrets.service
    assert backend.values() == ["second"]


def test_number_is_read_only_and_unique(store_path: Path) -> None:
    service = make_service(store_path, MemoryKeyring())
    stored = service.create(pop3_account()).stored
    with pytest.raises(AccountInvalid) as info:
        service.create(pop3_account())
    assert [(p.code, p.path) for p in info.value.problems] == [("number_taken", "number")]
    with pytest.raises(AccountInvalid) as info:
        service.update("1000", {**stored.data, "number": "1001"}, stored.revision)
    assert info.value.problems[0].code == "number_readonly"


def test_secret_repr_never_shows_the_value() -> None:
    secret = Secret("hunter2")
    assert "hunter2" not in repr(secret) + str(secret) + repr([secret]) + f"{secret}"
