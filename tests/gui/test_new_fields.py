"""Adding a field the way a new release does (the model and one form entry):
accounts stored before it existed get its default — in the dialog, which
does not call them changed, after an unrelated save, and in the CLI."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from pydantic import Field as ModelField
from pytestqt.qtbot import QtBot

from mailaccounts.gui.account_dialog import AccountDialog
from mailaccounts.gui.window_context import GuiContext
from mailaccounts.model import account as account_model
from mailaccounts.model import form
from mailaccounts.model.account import Account, Pop3Settings
from mailaccounts.store.sqlite import SqliteStore
from tests.gui.conftest import add_account, field, type_into
from tests.support.accounts import pop3_account
from tests.support.cli import run_cli
from tests.support.keyrings import MemoryKeyring


class Pop3WithMore(Pop3Settings):
    leave_on_server: bool = True
    keep_days: int = 14


class AccountWithMore(Account):
    pop3: Pop3WithMore = ModelField(default_factory=Pop3WithMore)


def newer_release(monkeypatch: pytest.MonkeyPatch) -> None:
    """A bool and an int field in the model, and their form entries."""
    pop3 = dataclasses.replace(
        form.POP3,
        fields=(
            *form.POP3.fields,
            form.Field("pop3.leave_on_server", "bool", "Leave mail on the server"),
            form.Field("pop3.keep_days", "port", "Keep for days:"),
        ),
    )
    credentials = dataclasses.replace(
        form.CREDENTIALS, columns=((form.IDENTITY, pop3), form.CREDENTIALS.columns[1])
    )
    monkeypatch.setattr(account_model, "Account", AccountWithMore)
    monkeypatch.setattr(form, "CREDENTIALS", credentials)


def test_an_older_account_gets_the_new_fields_defaults(
    qtbot: QtBot,
    seeded_store: Path,
    memory_keyring: MemoryKeyring,
    gui_ctx: GuiContext,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    add_account(seeded_store, memory_keyring, pop3_account("1000"))  # before the fields
    newer_release(monkeypatch)
    raw = SqliteStore(seeded_store).get("1000")
    assert raw is not None and "leave_on_server" not in raw.data["pop3"]

    dialog = AccountDialog(gui_ctx, gui_ctx.service.find("1000"))
    qtbot.addWidget(dialog)
    dialog.show()
    assert field(dialog, "pop3.leave_on_server").isChecked()
    assert field(dialog, "pop3.keep_days").value() == 14
    assert not dialog.is_dirty()  # a default is not a change
    assert dialog.save_button.isEnabled(), dialog.status.text()

    type_into(qtbot, field(dialog, "address"), "neu@mustermann.de")  # an unrelated change
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        dialog.save()
    saved = SqliteStore(seeded_store).get("1000")
    assert saved is not None
    assert saved.data["pop3"]["leave_on_server"] is True
    assert saved.data["pop3"]["keep_days"] == 14
    assert saved.data["address"] == "neu@mustermann.de"


def test_the_cli_shows_and_exports_the_defaults(
    seeded_store: Path, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_account(seeded_store, memory_keyring, pop3_account("1000"))
    newer_release(monkeypatch)
    shown = json.loads(run_cli(seeded_store, "show", "1000", "--json", keyring=memory_keyring).out)
    assert shown["pop3"]["leave_on_server"] is True and shown["pop3"]["keep_days"] == 14
    exported = json.loads(run_cli(seeded_store, "export", keyring=memory_keyring).out)
    assert exported["accounts"][0]["pop3"]["keep_days"] == 14
    edited = run_cli(
        seeded_store, "edit", "1000", "--no-pop3-leave-on-server", keyring=memory_keyring
    )
    assert edited.code == 0, edited.err  # the new field has its flag, derived from its path
    shown = json.loads(run_cli(seeded_store, "show", "1000", "--json", keyring=memory_keyring).out)
    assert shown["pop3"]["leave_on_server"] is False and shown["pop3"]["keep_days"] == 14
