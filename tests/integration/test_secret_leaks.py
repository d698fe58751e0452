"""A whole session of window and command-line use with known passwords, then
a sweep: the password bytes (plain, UTF-16, base64) are in no file the
program wrote — its log file included, which takes every record of the
session — and in none of its output; they are in the keyring."""

from __future__ import annotations

import base64
import json
import logging
import traceback
from collections.abc import Iterator
from pathlib import Path

import pytest
from keyring.backend import KeyringBackend
from pytestqt.qtbot import QtBot

from mailaccounts.files.logs import log_to_file, stop_logging
from mailaccounts.files.paths import clock
from mailaccounts.gui.account_dialog import AccountDialog
from mailaccounts.gui.window_context import GuiContext
from mailaccounts.keyring.backend import KeyringSecrets, SecretsError
from mailaccounts.model.secret import Secret
from mailaccounts.services.accounts import AccountService
from mailaccounts.services.app_context import AppContext
from mailaccounts.services.fetch_runner import fetch_accounts
from mailaccounts.store.sqlite import SqliteStore
from tests.conftest import POP3_USERS
from tests.gui.conftest import click, field, type_into
from tests.support.accounts import pop3_account
from tests.support.cli import run_cli_process
from tests.support.keyrings import RaisingKeyring, read_secret
from tests.support.servers import Dovecot
from tests.support.types import present

GUI_POP3 = "Fenster-Pop3-Kennwort-1"
GUI_SMTP = "Fenster-Smtp-Kennwort-2"
GUI_POP3_NEW = "Fenster-Pop3-Neu-3"
CLI_POP3 = "Zeile-Pop3-Kennwort-4"
CLI_SMTP = "Zeile-Smtp-Kennwort-5"
IMPORT_PW = "Import-Kennwort-6"
GUI_CLIENT = "Fenster-Client-Secret-7"
CLI_CLIENT = "Zeile-Client-Secret-8"
IMPORT_CLIENT = "Import-Client-Secret-9"
ALL = [
    GUI_POP3,
    GUI_SMTP,
    GUI_POP3_NEW,
    CLI_POP3,
    CLI_SMTP,
    IMPORT_PW,
    GUI_CLIENT,
    CLI_CLIENT,
    IMPORT_CLIENT,
]


def encodings(secret: str) -> list[bytes]:
    raw = secret.encode()
    return [
        raw,
        secret.encode("utf-16-le"),
        secret.encode("utf-16-be"),
        base64.b64encode(raw),
        base64.b64encode(raw)[:-2],
    ]


def sweep(paths: list[Path], texts: list[str]) -> list[str]:
    found = []
    for path in paths:
        content = path.read_bytes()
        for secret in ALL:
            if any(encoded in content for encoded in encodings(secret)):
                found.append(f"{secret} in {path}")
    for text in texts:
        for secret in ALL:
            if secret in text or base64.b64encode(secret.encode()).decode() in text:
                found.append(f"{secret} in output {text[:80]!r}")
    return found


def files_under(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


@pytest.fixture
def program_log(tmp_path: Path) -> Iterator[Path]:
    """The window's log file, taking every record of the program (DEBUG
    too) while the test runs: whatever any code logs is swept."""
    path = tmp_path / "home" / "state" / "mailaccounts.log"
    handler = log_to_file(path)
    handler.setLevel(logging.DEBUG)
    ours = logging.getLogger("mailaccounts")
    level = ours.level
    ours.setLevel(logging.DEBUG)
    yield path
    ours.setLevel(level)
    stop_logging(handler)


def gui_session(qtbot: QtBot, store: Path, keyring: KeyringBackend, dovecot: Dovecot) -> list[str]:
    ctx = GuiContext.open(store, keyring)
    dialog = AccountDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    for name, text in (
        ("number", "1000"),
        ("address", "info@mustermann.de"),
        ("pop3.server", "localhost"),
        ("pop3.username", "info"),
        ("pop3.password", GUI_POP3),
        ("operators", "ADM"),
    ):
        type_into(qtbot, field(dialog, name), text)
    dialog.tabs.setCurrentWidget(dialog.cards["oauth2"])  # the OAuth2 client secret
    type_into(qtbot, field(dialog, "oauth2.client_id"), "desktop-client")
    type_into(qtbot, field(dialog, "oauth2.client_secret"), GUI_CLIENT)
    click(qtbot, field(dialog, "smtp.auth.required"))
    auth = dialog.open_auth_dialog()
    type_into(qtbot, field(auth, "smtp.auth.username"), "smtpuser")
    type_into(qtbot, field(auth, "smtp.auth.password"), GUI_SMTP)
    auth.accept()
    shown = [repr(dialog.current_data()), repr(dialog.secret_changes())]
    with qtbot.waitSignal(dialog.saved, timeout=10000):
        click(qtbot, dialog.save_button)
    stored = ctx.service.find("1000")
    shown += [repr(stored), str(stored)]
    # edit: a new POP3 password, then a connection test with it against Dovecot
    dialog = AccountDialog(ctx, stored)
    qtbot.addWidget(dialog)
    dialog.show()
    field(dialog, "pop3.port").setValue(dovecot.tls_port)
    type_into(qtbot, field(dialog, "pop3.password"), GUI_POP3_NEW)
    test = dialog.open_connection_test()
    assert test is not None
    qtbot.waitUntil(lambda: not test.running, timeout=15000)
    shown += [test.summary.text(), repr(test.report)]
    test.accept()
    with qtbot.waitSignal(dialog.saved, timeout=10000):
        click(qtbot, dialog.save_button)
    ctx.close()
    return shown


def test_no_password_anywhere_but_the_keyring(
    qtbot: QtBot,
    secret_service: KeyringBackend,
    tmp_path: Path,
    dovecot: Dovecot,
    trusted_ca: Path,
    program_log: Path,
) -> None:
    home = tmp_path / "home"
    store = home / "data" / "accounts.sqlite3"
    exports = home / "exports"
    exports.mkdir(parents=True)
    outputs: list[str] = []

    def cli(*args: str, stdin: str = "", code: tuple[int, ...] = (0, 1)) -> None:
        result = run_cli_process(store, *args, stdin=stdin)
        outputs.extend([result.out, result.err])
        assert result.code in code, result.err

    cli("operators", "add", "ADM")
    outputs += gui_session(qtbot, store, secret_service, dovecot)
    data = {
        **pop3_account("2000"),
        "pop3": {
            **pop3_account()["pop3"],
            "server": "localhost",
            "port": dovecot.tls_port,
            "username": "info",
        },
    }
    cli("add", "--file", "-", "--password", "pop3", stdin=CLI_POP3, code=(2,))  # refused
    source = tmp_path / "in.json"  # the admin's own file: not swept
    source.write_text(json.dumps(data))
    cli(
        "add",
        "--file",
        str(source),
        "--password",
        "pop3",
        "--password",
        "smtp",
        stdin=f"{CLI_POP3}\n{CLI_SMTP}\n",
    )
    cli("edit", "2000", "--password", "pop3", stdin=f"{POP3_USERS['info']}\n")
    cli(
        *("edit", "2000", "--oauth2-provider", "google", "--oauth2-client-id", "desktop.apps"),
        *("--password", "oauth2"),
        stdin=f"{CLI_CLIENT}\n",
    )
    cli("test", "2000")
    cli("test", "2000", "--json", "--password", "pop3", stdin=f"{CLI_POP3}\n")
    # a fetch in this process, which logs: 2000 logs in, 1000's password is refused
    app = AppContext(store, secret_service, home / "mail")
    fetch_accounts(["2000", "1000"], app.open_service, home / "mail", clock())
    app.close()
    cli("list")
    cli("list", "--json")
    cli("show", "2000")
    cli("show", "1000", "--json")
    cli("export", "--output", str(exports / "export.json"))
    cli("export")
    document = json.loads((exports / "export.json").read_text())
    document["accounts"][0]["number"] = "3000"
    document["accounts"][0]["pop3"]["password"] = IMPORT_PW
    document["accounts"][0]["oauth2"]["client_secret"] = IMPORT_CLIENT
    document["accounts"] = document["accounts"][:1]
    imported = tmp_path / "import.json"  # the admin's own file: not swept
    imported.write_text(json.dumps(document))
    cli("import", str(imported))
    cli("delete", "3000", "--yes")

    logged = program_log.read_text()
    assert "account 2000 ok fetched=" in logged and "account 1000 failed" in logged
    written = files_under(home)
    assert {p.name for p in written} >= {"accounts.sqlite3", "export.json", program_log.name}
    assert sweep(written, outputs) == []

    handle = SqliteStore(store)
    refs = present(handle.get("1000")).secret_refs
    assert read_secret(secret_service, handle.store_id, refs["pop3"]) == GUI_POP3_NEW
    assert read_secret(secret_service, handle.store_id, refs["smtp"]) == GUI_SMTP
    assert read_secret(secret_service, handle.store_id, refs["oauth2_client"]) == GUI_CLIENT
    refs = present(handle.get("2000")).secret_refs
    assert read_secret(secret_service, handle.store_id, refs["smtp"]) == CLI_SMTP
    assert read_secret(secret_service, handle.store_id, refs["oauth2_client"]) == CLI_CLIENT
    assert handle.get("3000") is None


def test_failed_save_traceback_and_reprs_show_no_secret(tmp_path: Path, program_log: Path) -> None:
    store = SqliteStore(tmp_path / "s.sqlite3")
    store.directory_add("operator", "ADM", "")
    service = AccountService(store, KeyringSecrets(store.store_id, RaisingKeyring()))
    secret = Secret(GUI_POP3)
    with pytest.raises(SecretsError) as info:
        service.create(pop3_account(), {"pop3": secret})
    text = "".join(traceback.format_exception(info.value))
    assert GUI_POP3 not in text and "********" in text  # the backend's message, scrubbed
    logged = program_log.read_text()
    assert "keyring failed" in logged and "********" in logged and GUI_POP3 not in logged
    assert GUI_POP3 not in repr(secret) + str(secret) + repr({"pop3": secret})
    from mailaccounts.model.account import Account

    account = Account.model_validate(pop3_account())
    assert GUI_POP3 not in repr(account) + str(account)


@pytest.mark.parametrize("password", ['Anf"uhrung-7', "Back\\slash-8", "Tab\tPasswort-9"])
def test_a_password_json_escapes_in_the_bundle_is_masked_too(
    tmp_path: Path, program_log: Path, password: str
) -> None:
    """A save writes the account's secrets as one JSON object; a backend
    that quotes what it was handed quotes the JSON, in which a quote, a
    backslash or a tab stands escaped. That form is masked as well."""
    store = SqliteStore(tmp_path / "s.sqlite3")
    store.directory_add("operator", "ADM", "")
    service = AccountService(store, KeyringSecrets(store.store_id, RaisingKeyring()))
    with pytest.raises(SecretsError) as info:
        service.create(pop3_account(), {"pop3": Secret(password)})
    escaped = json.dumps(password)[1:-1]
    text = "".join(traceback.format_exception(info.value)) + program_log.read_text()
    assert "keyring failed" in text and "********" in text
    assert password not in text and escaped not in text
