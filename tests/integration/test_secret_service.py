"""The CLI as a real process against the real Secret Service (gnome-keyring)."""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from pathlib import Path

from keyring.backend import KeyringBackend

from tests.support.accounts import pop3_account
from tests.support.cli import run_cli_process
from tests.support.keyrings import read_secret
from tests.support.types import present

POP3_PW = "Pop3-Geheimnis-7f3a"
SMTP_PW = "Smtp-Kennwort-91bc"
EXCHANGE_PW = "Exch-Passwort-44de"


def encodings(secret: str) -> list[bytes]:
    raw = secret.encode()
    return [raw, secret.encode("utf-16-le"), base64.b64encode(raw)]


def assert_nowhere(secret: str, *texts: str, files: Sequence[Path] = ()) -> None:
    for text in texts:
        assert secret not in text
    for path in files:
        content = path.read_bytes()
        for encoded in encodings(secret):
            assert encoded not in content, f"{path} holds the password"


def setup_store(store: Path) -> None:
    for args in (("operators", "add", "ADM"), ("workgroups", "add", "VERTRIEB")):
        assert run_cli_process(store, *args).code == 0


def test_passwords_go_only_to_the_keyring(secret_service: KeyringBackend, tmp_path: Path) -> None:
    store = tmp_path / "store" / "accounts.sqlite3"
    setup_store(store)
    outputs: list[str] = []

    account = pop3_account("1000")
    account["pop3"]["password"] = POP3_PW
    source = tmp_path / "in" / "account.json"
    source.parent.mkdir()
    source.write_text(json.dumps(account), encoding="utf-8")
    added = run_cli_process(
        store, "add", "--file", str(source), "--password", "smtp", stdin=SMTP_PW + "\n"
    )
    assert added.code == 0, added.err
    outputs += [added.out, added.err]

    exchange = pop3_account(
        "2000", exchange=True, exchange_settings={"server": "ex.mustermann.de", "username": "ex"}
    )
    added = run_cli_process(
        store,
        "add",
        "--file",
        "-",
        stdin=json.dumps(
            {
                **exchange,
                "exchange_settings": {**exchange["exchange_settings"], "password": EXCHANGE_PW},
            }
        ),
    )
    assert added.code == 0, added.err
    outputs += [added.out, added.err]

    export_file = tmp_path / "out" / "export.json"
    export_file.parent.mkdir()
    for args in (
        ("list",),
        ("list", "--json"),
        ("show", "1000"),
        ("show", "1000", "--json"),
        ("export",),
        ("export", "--output", str(export_file)),
    ):
        result = run_cli_process(store, *args)
        assert result.code == 0, result.err
        outputs += [result.out, result.err]
    assert "pop3.password: stored in the keyring" in run_cli_process(store, "show", "1000").out

    written = [p for p in store.parent.iterdir() if p.is_file()] + [export_file]
    assert store in written  # plus -wal/-shm/-journal while they exist
    for secret in (POP3_PW, SMTP_PW, EXCHANGE_PW):
        assert_nowhere(secret, *outputs, files=written)

    from mailaccounts.store.sqlite import SqliteStore

    sqlite_store = SqliteStore(store)
    refs = present(sqlite_store.get("1000")).secret_refs
    assert read_secret(secret_service, sqlite_store.store_id, refs["pop3"]) == POP3_PW
    assert read_secret(secret_service, sqlite_store.store_id, refs["smtp"]) == SMTP_PW
    ex_ref = present(sqlite_store.get("2000")).secret_refs["exchange"]
    assert read_secret(secret_service, sqlite_store.store_id, ex_ref) == EXCHANGE_PW

    deleted = run_cli_process(store, "delete", "1000", "--yes")
    assert deleted.code == 0, deleted.err
    assert read_secret(secret_service, sqlite_store.store_id, refs["pop3"]) is None
    assert read_secret(secret_service, sqlite_store.store_id, refs["smtp"]) is None


def test_two_stores_same_number_keep_separate_secrets(
    secret_service: KeyringBackend, tmp_path: Path
) -> None:
    from mailaccounts.store.sqlite import SqliteStore

    stores = [tmp_path / "a" / "s.sqlite3", tmp_path / "b" / "s.sqlite3"]
    for store, password in zip(stores, ("erstes-pw", "zweites-pw"), strict=True):
        setup_store(store)
        result = run_cli_process(
            store,
            "add",
            "--file",
            "-",
            stdin=json.dumps(
                {**pop3_account("1000"), "pop3": {**pop3_account()["pop3"], "password": password}}
            ),
        )
        assert result.code == 0, result.err
    found = []
    for store in stores:
        handle = SqliteStore(store)
        ref = present(handle.get("1000")).secret_refs["pop3"]
        found.append(read_secret(secret_service, handle.store_id, ref))
    assert found == ["erstes-pw", "zweites-pw"]


def _store_content(store: Path) -> list[object]:
    from mailaccounts.store.sqlite import SqliteStore

    handle = SqliteStore(store)
    return [(a.data, a.revision, a.secret_refs) for a in handle.all_accounts()] + [
        handle.trash_keys()
    ]


def test_keyring_failures_fail_cleanly_and_change_nothing(
    secret_service: KeyringBackend, tmp_path: Path
) -> None:
    store = tmp_path / "store" / "accounts.sqlite3"
    setup_store(store)
    assert (
        run_cli_process(store, "add", "--file", "-", stdin=json.dumps(pop3_account("1000"))).code
        == 0
    )
    before = _store_content(store)
    trust = "tests.support.keyrings.RaisingKeyring,tests.support.keyrings.LockedKeyring"
    for backend, expected in (
        ("keyring.backends.fail.Keyring", "no usable keyring"),
        ("tests.support.keyrings.RaisingKeyring", "the keyring refused"),
        ("tests.support.keyrings.LockedKeyring", "keyring is locked"),
        ("no.such.module.Keyring", "the keyring could not be loaded"),
        # a backend that is not an OS keyring is refused unless the admin trusts it
        ("tests.support.keyrings.MemoryKeyring", "MAILACCOUNTS_TRUST_KEYRING_BACKEND="),
    ):
        env = {"PYTHON_KEYRING_BACKEND": backend, "MAILACCOUNTS_TRUST_KEYRING_BACKEND": trust}
        added = run_cli_process(
            store,
            "add",
            "--file",
            "-",
            env=env,
            stdin=json.dumps(
                {**pop3_account("1001"), "pop3": {**pop3_account()["pop3"], "password": POP3_PW}}
            ),
        )
        edited = run_cli_process(
            store, "edit", "1000", "--password", "pop3", env=env, stdin=POP3_PW + "\n"
        )
        for result in (added, edited):
            assert result.code == 1, (backend, result.out, result.err)
            assert expected in result.err and "nothing was changed" in result.err
            assert "Traceback" not in result.err
            assert POP3_PW not in result.out + result.err
        assert _store_content(store) == before
