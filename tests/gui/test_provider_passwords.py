"""Accounts that log in with a password at Microsoft 365 or Google: the card
warns (saving stays allowed) and switches the account to OAuth2, the
connection test offers the same, and the list marks them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from mailaccounts.gui.account_dialog import AccountDialog
from mailaccounts.gui.main_window import MainWindow
from mailaccounts.gui.window_context import GuiContext
from tests.gui.conftest import add_account, click, field, new_account_dialog, type_into
from tests.support.accounts import pop3_account
from tests.support.hostile_servers import ScriptedServer, pop3
from tests.support.keyrings import MemoryKeyring
from tests.support.types import present

MICROSOFT = {
    "pop3.server": "outlook.office365.com",
    "smtp.server": "smtp.office365.com",
}


def provider_account(number: str = "1000", pop3_server: str = "", smtp_server: str = "") -> Any:
    data = pop3_account(number)
    data["pop3"]["server"] = pop3_server or MICROSOFT["pop3.server"]
    data["pop3"]["password"] = "geheim-pop3"
    data["smtp"]["server"] = smtp_server or MICROSOFT["smtp.server"]
    data["smtp"]["auth"].update({"method": "login", "password": "geheim-smtp"})
    return data


def open_stored(qtbot: QtBot, store: Path, keyring: MemoryKeyring) -> AccountDialog:
    ctx = GuiContext.open(store, keyring)
    dialog = AccountDialog(ctx, ctx.service.find("1000"))
    qtbot.addWidget(dialog)
    dialog.destroyed.connect(ctx.close)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def warning_of(dialog: AccountDialog) -> str:
    box = field(dialog, "providerPasswordWarning")
    return str(field(dialog, "providerPasswordText").text()) if box.isVisible() else ""


def test_the_card_warns_and_saving_stays_allowed(qtbot: QtBot, gui_ctx: GuiContext) -> None:
    dialog = new_account_dialog(qtbot, gui_ctx, **{"pop3.server": "Pop.Gmail.Com."})
    assert warning_of(dialog).startswith("Pop.Gmail.Com.: Google no longer accepts passwords")
    assert field(dialog, "switchToOAuth2Button").isVisible()
    assert field(dialog, "saveButton").isEnabled()
    assert dialog.status.text() == ""
    type_into(qtbot, field(dialog, "pop3.server"), "pop.mustermann.de")
    assert warning_of(dialog) == ""


def test_switching_to_oauth2_fills_the_provider_and_saves_only_with_the_account(
    qtbot: QtBot, seeded_store: Path, memory_keyring: MemoryKeyring
) -> None:
    add_account(seeded_store, memory_keyring, provider_account())
    dialog = open_stored(qtbot, seeded_store, memory_keyring)
    lines = warning_of(dialog).splitlines()
    assert [line.split(":")[0] for line in lines] == list(MICROSOFT.values())
    assert "off by default from the end of December 2026" in lines[1]
    click(qtbot, field(dialog, "switchToOAuth2Button"))
    data = dialog.current_data()
    assert data["oauth2"]["provider"] == "microsoft"
    assert data["oauth2"]["tenant"] == "organizations"
    assert data["pop3"]["oauth2"] is True and data["pop3"]["spa"] is False
    assert data["smtp"]["auth"]["method"] == "oauth2"
    assert dialog.tabs.currentWidget() is dialog.cards["oauth2"]
    client_id = field(dialog, "oauth2.client_id")
    qtbot.waitUntil(client_id.hasFocus)
    assert warning_of(dialog) == ""
    stored = dialog.ctx.service.find("1000")
    assert stored is not None and stored.data["oauth2"] is None  # nothing saved yet
    assert not field(dialog, "saveButton").isEnabled()  # the client ID is still missing
    type_into(qtbot, client_id, "00000000-aaaa-bbbb-cccc-000000000000")
    click(qtbot, field(dialog, "saveButton"))
    qtbot.waitUntil(lambda: dialog.result() == AccountDialog.DialogCode.Accepted)
    saved = dialog.ctx.service.find("1000")
    assert saved is not None
    assert saved.data["oauth2"]["provider"] == "microsoft"
    assert saved.data["pop3"]["oauth2"] is True
    assert saved.data["smtp"]["auth"]["method"] == "oauth2"


def test_switching_for_google_sets_google(
    qtbot: QtBot, seeded_store: Path, memory_keyring: MemoryKeyring
) -> None:
    add_account(
        seeded_store, memory_keyring, provider_account("1000", "pop.gmail.com", "smtp.gmail.com")
    )
    dialog = open_stored(qtbot, seeded_store, memory_keyring)
    text = field(dialog, "providerPasswordText")
    [line] = text.text().splitlines()  # one message, both servers
    assert line.startswith("pop.gmail.com, smtp.gmail.com: Google no longer accepts passwords")
    qtbot.waitUntil(lambda: text.height() >= text.heightForWidth(text.width()))  # not clipped
    dialog.switch_to_oauth2()
    assert dialog.bindings["oauth2.provider"].value() == "google"
    assert dialog.current_data()["oauth2"]["provider"] == "google"


def step_rows(test: Any) -> list[tuple[str, str, str]]:
    items = [present(test.steps.topLevelItem(i)) for i in range(test.steps.topLevelItemCount())]
    return [(r.text(0), r.text(1), r.text(2)) for r in items]


def test_the_connection_test_warns_and_offers_the_switch(
    qtbot: QtBot, seeded_store: Path, memory_keyring: MemoryKeyring
) -> None:
    add_account(
        seeded_store,
        memory_keyring,
        provider_account("1000", "pop.gmail.com", "smtp.mustermann.de"),
    )
    dialog = open_stored(qtbot, seeded_store, memory_keyring)
    click(qtbot, field(dialog, "testButton"))
    test = dialog.test_dialog
    assert test is not None
    qtbot.waitUntil(lambda: not test.running, timeout=20000)
    rows = step_rows(test)
    assert rows[0] == ("POP3", "Password login", "warning")  # then its connect fails: no DNS here
    assert present(test.steps.topLevelItem(0)).text(3) == ""  # a warning takes no time
    assert "Google no longer accepts passwords" in test.summary.text()
    switch = field(test, "testSwitchToOAuth2Button")
    assert switch.isVisible()
    click(qtbot, switch)
    qtbot.waitUntil(lambda: not test.isVisible())
    data = dialog.current_data()
    assert data["oauth2"]["provider"] == "google" and data["pop3"]["oauth2"] is True
    assert data["smtp"]["auth"]["method"] == "login"  # smtp.mustermann.de is not Google's
    assert dialog.tabs.currentWidget() is dialog.cards["oauth2"]


def test_a_refusal_from_another_host_is_reported_without_the_switch(
    qtbot: QtBot, seeded_store: Path, memory_keyring: MemoryKeyring
) -> None:
    """A server that is not the provider's may say what the provider says:
    the switch would send it the provider's access tokens, so it is only
    reported."""
    refusing = pop3({"PASS": b"-ERR [AUTH] Application-specific password required: https://x\r\n"})
    server = ScriptedServer(b"+OK ready\r\n", refusing).start()
    try:
        data = provider_account("1000", "localhost", "smtp.mustermann.de")
        data["pop3"].update({"port": server.port, "security": "none"})
        data["smtp"]["auth"]["required"] = False
        add_account(seeded_store, memory_keyring, data)
        dialog = open_stored(qtbot, seeded_store, memory_keyring)
        click(qtbot, field(dialog, "testButton"))
        test = dialog.test_dialog
        assert test is not None
        qtbot.waitUntil(lambda: not test.running, timeout=20000)
        assert ("POP3", "Log in", "failed") in step_rows(test)
        assert "Google no longer accepts passwords for this server" in test.summary.text()
        assert not field(test, "testSwitchToOAuth2Button").isVisible()
    finally:
        server.stop()


def test_the_list_marks_password_logins_at_providers(
    qtbot: QtBot, seeded_store: Path, memory_keyring: MemoryKeyring
) -> None:
    add_account(seeded_store, memory_keyring, provider_account("1000", "POP.gmail.com."))
    signed = provider_account("1001")
    signed["pop3"]["oauth2"] = True
    signed["smtp"]["auth"]["method"] = "oauth2"
    signed["oauth2"] = {"provider": "microsoft", "client_id": "abc"}
    add_account(seeded_store, memory_keyring, signed)
    add_account(seeded_store, memory_keyring, pop3_account("1002"))
    memory_keyring.calls.clear()
    ctx = GuiContext.open(seeded_store, memory_keyring)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.destroyed.connect(ctx.close)
    window.show()
    model = window.model

    def cell(number: str, column: int, role: Qt.ItemDataRole) -> Any:
        return model.data(model.index(model.row_of(number), column), role)

    qtbot.waitUntil(lambda: cell("1000", 2, Qt.ItemDataRole.DecorationRole) is not None)
    assert memory_keyring.calls["get"] == 0  # marked from the accounts' settings alone
    tooltip = cell("1000", 2, Qt.ItemDataRole.ToolTipRole)
    assert "Google no longer accepts passwords" in tooltip and "switch it to OAuth2" in tooltip
    assert "Microsoft 365 turns password login for SMTP" in cell(
        "1000", 3, Qt.ItemDataRole.ToolTipRole
    )
    for number in ("1001", "1002"):
        for column in (2, 3):
            assert cell(number, column, Qt.ItemDataRole.DecorationRole) is None
    # edited elsewhere and read again: the marks follow
    stored = ctx.service.find("1000")
    assert stored is not None
    changed = {**stored.data, "pop3": {**stored.data["pop3"], "server": "pop.mustermann.de"}}
    ctx.service.update("1000", changed, stored.revision, {})
    window.refresh()
    qtbot.waitUntil(lambda: cell("1000", 3, Qt.ItemDataRole.DecorationRole) is not None)
    assert cell("1000", 2, Qt.ItemDataRole.DecorationRole) is None
