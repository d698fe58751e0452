"""The account and authentication dialogs refuse passwords with line breaks
or NUL (pasted or set), show why at the field without echoing the password,
and keep Save, Test and OK blocked; a non-ASCII host shows its ASCII form."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QLineEdit, QPushButton
from pytestqt.qtbot import QtBot

from mailaccounts.gui.account_dialog import AccountDialog
from mailaccounts.gui.window_context import GuiContext
from mailaccounts.store.sqlite import SqliteStore
from tests.gui.conftest import activate, click, field, new_account_dialog, type_into
from tests.support.keyrings import MemoryKeyring
from tests.support.types import present

MESSAGE = "must not contain line breaks or NUL characters"


# -- passwords ------------------------------------------------------------------


def problem(dialog: QDialog, path: str) -> QLabel:
    label = dialog.findChild(QLabel, f"{path}.problem")
    assert label is not None
    return label


def paste(qtbot: QtBot, edit: QLineEdit, text: str) -> None:
    QApplication.clipboard().setText(text)
    edit.setFocus()
    edit.clear()
    qtbot.keyClick(edit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)


def assert_blocked(dialog: AccountDialog, path: str) -> None:
    label = problem(dialog, path)
    assert label.isVisible() and label.text() == MESSAGE
    assert not dialog.save_button.isEnabled()
    assert not dialog.test_button.isEnabled()
    assert MESSAGE in dialog.status.text()
    assert "Geheim" not in dialog.status.text() + dialog.save_button.toolTip()


def test_pasting_a_line_break_into_a_password(qtbot: QtBot, gui_ctx: GuiContext) -> None:
    dialog = new_account_dialog(qtbot, gui_ctx)
    edit = field(dialog, "pop3.password")
    paste(qtbot, edit, "Geheim\nPASS evil")
    assert edit.text() == "Geheim\nPASS evil"  # Qt keeps the line break of a paste
    assert_blocked(dialog, "pop3.password")


@pytest.mark.parametrize("text", ["Geheim\x00", "Geheim\rx", "\n"])
def test_set_or_inserted_control_blocks_save_and_test(
    qtbot: QtBot, gui_ctx: GuiContext, seeded_store: Path, memory_keyring: MemoryKeyring, text: str
) -> None:
    dialog = new_account_dialog(qtbot, gui_ctx)
    edit = field(dialog, "pop3.password")
    edit.setText(text)
    assert_blocked(dialog, "pop3.password")
    edit.setText("Geheim")
    edit.insert(next(ch for ch in text if ch in "\r\n\x00"))
    assert_blocked(dialog, "pop3.password")
    activate(qtbot, dialog)
    qtbot.keyClick(dialog, Qt.Key.Key_F10)
    dialog.save()
    assert dialog.open_connection_test() is None
    qtbot.wait(100)
    assert dialog.isVisible()
    assert SqliteStore(seeded_store).get("1000") is None
    assert memory_keyring.entries == {}
    for path in seeded_store.parent.iterdir():
        assert b"Geheim" not in path.read_bytes(), path
    type_into(qtbot, edit, "Geheim")
    assert not problem(dialog, "pop3.password").isVisible()
    assert dialog.save_button.isEnabled()


def test_exchange_password(qtbot: QtBot, gui_ctx: GuiContext) -> None:
    dialog = new_account_dialog(qtbot, gui_ctx)
    click(qtbot, field(dialog, "exchange"))
    type_into(qtbot, field(dialog, "exchange_settings.server"), "ex.de")
    type_into(qtbot, field(dialog, "exchange_settings.username"), "u")
    assert dialog.save_button.isEnabled(), dialog.status.text()
    dialog.tabs.setCurrentIndex(1)
    field(dialog, "exchange_settings.password").setText("Geheim\x00")
    assert_blocked(dialog, "exchange_settings.password")


def test_auth_dialog_password(
    qtbot: QtBot, gui_ctx: GuiContext, seeded_store: Path, memory_keyring: MemoryKeyring
) -> None:
    dialog = new_account_dialog(qtbot, gui_ctx)
    click(qtbot, field(dialog, "smtp.auth.required"))
    click(qtbot, field(dialog, "authSettingsButton"))
    auth = next(w for w in dialog.findChildren(QDialog, "authSettingsDialog") if w.isVisible())
    qtbot.waitExposed(auth)
    ok = next(b for b in auth.findChildren(QPushButton) if b.text() == "OK")
    type_into(qtbot, field(auth, "smtp.auth.username"), "smtp-user")
    edit = field(auth, "smtp.auth.password")
    paste(qtbot, edit, "Geheim\r\nx")
    label = problem(auth, "smtp.auth.password")
    assert label.isVisible() and label.text() == MESSAGE
    assert not ok.isEnabled()
    auth.accept()  # Enter, or a caller: refused all the same
    assert auth.isVisible()
    edit.setText("Gehe\x00im")
    assert not ok.isEnabled() and label.isVisible()
    type_into(qtbot, edit, "Geheim")
    assert ok.isEnabled() and not label.isVisible()
    click(qtbot, ok)
    qtbot.waitUntil(lambda: not auth.isVisible())
    assert dialog.save_button.isEnabled(), dialog.status.text()
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        click(qtbot, dialog.save_button)
    assert sorted(memory_keyring.values()) == ["Geheim", "geheim"]


# -- hosts ----------------------------------------------------------------------


def test_non_ascii_host_shows_its_ascii_form(qtbot: QtBot, gui_ctx: GuiContext) -> None:
    dialog = new_account_dialog(qtbot, gui_ctx)
    hint = dialog.findChild(QLabel, "pop3.server.ascii")
    assert hint is not None and not hint.isVisible()
    type_into(qtbot, field(dialog, "pop3.server"), "exаmple.com")
    assert hint.isVisible()
    assert hint.text() == "ASCII form: xn--exmple-4nf.com"
    assert hint.textFormat() == Qt.TextFormat.PlainText
    type_into(qtbot, field(dialog, "pop3.server"), "example.com")
    assert not hint.isVisible()
    click(qtbot, field(dialog, "exchange"))
    dialog.tabs.setCurrentIndex(1)
    type_into(qtbot, field(dialog, "exchange_settings.server"), "https://müller.de/EWS")
    exchange_hint = present(dialog.findChild(QLabel, "exchange_settings.server.ascii"))
    assert exchange_hint.isVisible() and exchange_hint.text() == "ASCII form: xn--mller-kva.de"


def test_host_hint_of_a_stored_account(qtbot: QtBot, gui_ctx: GuiContext) -> None:
    dialog = new_account_dialog(qtbot, gui_ctx, **{"pop3.server": "pop.müller.de"})
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        click(qtbot, dialog.save_button)
    reopened = AccountDialog(gui_ctx, gui_ctx.service.find("1000"))
    qtbot.addWidget(reopened)
    reopened.show()
    hint = present(reopened.findChild(QLabel, "pop3.server.ascii"))
    assert hint.isVisible() and hint.text() == "ASCII form: pop.xn--mller-kva.de"
