from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QLabel, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from mailaccounts.gui.account_dialog import AccountDialog
from mailaccounts.gui.main_window import MainWindow
from mailaccounts.gui.window_context import GuiContext
from mailaccounts.store.sqlite import SqliteStore
from tests.gui.conftest import (
    activate,
    add_account,
    box_button,
    click,
    field,
    message_box,
    type_into,
)
from tests.support.accounts import pop3_account, save_as_newer_release
from tests.support.keyrings import MemoryKeyring
from tests.support.types import present


def make_window(qtbot: QtBot, ctx: GuiContext) -> MainWindow:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_empty_store_invites_to_create(qtbot: QtBot, window: MainWindow) -> None:
    assert present(window.stack.currentWidget()).objectName() == "emptyState"
    assert present(window.findChild(QPushButton, "emptyNewButton")).isVisible()
    assert not window.buttons["deleteButton"].isEnabled()


def test_filter_as_you_type(
    qtbot: QtBot, seeded_store: Path, memory_keyring: MemoryKeyring
) -> None:
    add_account(seeded_store, memory_keyring, pop3_account("1000"))
    add_account(
        seeded_store,
        memory_keyring,
        pop3_account("2000", address="vertrieb@firma.de", operators=["MUE"]),
    )
    add_account(seeded_store, memory_keyring, pop3_account("3000", operators=["SCH"]))
    ctx = GuiContext.open(seeded_store, memory_keyring)
    window = make_window(qtbot, ctx)
    assert window.stack.currentWidget() is window.table
    assert window.model.rowCount() == 3
    type_into(qtbot, window.filter, "firma")
    assert window.model.rowCount() == 1 and window.model.number_at(0) == "2000"
    type_into(qtbot, window.filter, "sch")
    assert [window.model.number_at(r) for r in range(window.model.rowCount())] == ["3000"]
    assert window.statusBar().currentMessage() == "1 of 3 e-mail accounts"
    type_into(qtbot, window.filter, "")
    assert window.model.rowCount() == 3
    ctx.close()


def test_enter_and_double_click_open_the_account(
    qtbot: QtBot, with_account: Path, gui_ctx: GuiContext
) -> None:
    window = make_window(qtbot, gui_ctx)
    activate(qtbot, window)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_Return)
    assert isinstance(window.dialog, AccountDialog)
    assert field(window.dialog, "address").text() == "info1000@mustermann.de"
    window.dialog.close()
    window.dialog = None
    rect = window.table.visualRect(window.model.index(0, 1))
    qtbot.mouseClick(window.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(window.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert isinstance(window.dialog, AccountDialog)


def test_delete_asks_naming_the_account_and_removes_secrets(
    qtbot: QtBot, with_account: Path, gui_ctx: GuiContext, memory_keyring: MemoryKeyring
) -> None:
    window = make_window(qtbot, gui_ctx)
    click(qtbot, window.buttons["deleteButton"])
    box = message_box(qtbot, window, "deleteBox")
    assert "1000 (info1000@mustermann.de)" in box.text()
    click(qtbot, box_button(box, "Delete"))
    qtbot.waitUntil(lambda: window.model.total == 0, timeout=5000)
    assert SqliteStore(with_account).get("1000") is None
    assert memory_keyring.entries == {}
    assert present(window.stack.currentWidget()).objectName() == "emptyState"


def test_duplicate_copies_everything_but_number_and_passwords(
    qtbot: QtBot, with_account: Path, gui_ctx: GuiContext
) -> None:
    window = make_window(qtbot, gui_ctx)
    click(qtbot, window.buttons["duplicateButton"])
    dialog = window.dialog
    assert dialog is not None and dialog.is_new
    assert field(dialog, "number").text() == "" and not field(dialog, "number").isReadOnly()
    assert field(dialog, "pop3.server").text() == "pop.mustermann.de"
    assert field(dialog, "pop3.password").placeholderText() == ""
    type_into(qtbot, field(dialog, "number"), "1000")
    assert field(dialog, "number.problem").text() == "account 1000 exists already"
    type_into(qtbot, field(dialog, "number"), "1001")
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        click(qtbot, dialog.save_button)
    assert [window.model.number_at(r) for r in range(window.model.rowCount())] == ["1000", "1001"]


def test_directory_maintenance(qtbot: QtBot, window: MainWindow, gui_ctx: GuiContext) -> None:
    dialog = window.open_directory("operator")
    type_into(qtbot, dialog.code, "NEU")
    type_into(qtbot, dialog.name, "Neue Bedienerin")
    with qtbot.waitSignal(dialog.changed, timeout=5000):  # written on a worker thread
        click(qtbot, present(dialog.findChild(QPushButton, "directoryAdd")))
    assert [e.code for e in gui_ctx.service.directory("operator")] == ["ADM", "MUE", "NEU", "SCH"]
    assert dialog.table.rowCount() == 4 and dialog.code.text() == ""
    type_into(qtbot, dialog.code, "a b")
    click(qtbot, present(dialog.findChild(QPushButton, "directoryAdd")))
    qtbot.waitUntil(lambda: dialog.message.text() != "")
    assert (
        dialog.message.text() == "“a b” is not a valid code (1–20 letters, digits, “_”, “-” or “.”)"
    )
    type_into(qtbot, dialog.code, "adm")
    click(qtbot, present(dialog.findChild(QPushButton, "directoryAdd")))
    qtbot.waitUntil(lambda: dialog.message.text() == "adm is in the list already.")


def test_german_labels(qtbot: QtBot, gui_ctx: GuiContext, german: None) -> None:
    dialog = AccountDialog(gui_ctx)
    qtbot.addWidget(dialog)
    titles = [box.title() for box in dialog.credentials_card.findChildren(QGroupBox)]
    assert titles == [
        "E-Mail-Nummer und Adresse",
        "Posteingangsserver (POP3) – Zugangsdaten",
        "Postausgangsserver (SMTP) – Zugangsdaten",
        "SMTP-Authentifizierung",
        "Bediener- und Arbeitsgruppenzuweisung",
    ]
    labels = {
        w.buddy().objectName(): w.text()
        for w in dialog.findChildren(QLabel)
        if w.buddy() is not None
    }
    assert labels["number"] == "E-Mail-&Nummer:"
    assert labels["pop3.password"] == "&Passwort:"
    assert field(dialog, "exchange").text() == "E&xchange-Konto"
    assert field(dialog, "authSettingsButton").text() == "A&uthentifizierungs-Einstellungen…"
    assert dialog.tabs.tabText(0) == "&Zugangsdaten"
    assert dialog.save_button.text() == "Speichern"
    assert field(dialog, "number.problem").text() == "ist erforderlich"
    window = MainWindow(gui_ctx)
    qtbot.addWidget(window)
    assert window.windowTitle() == "E-Mail-Konten"


def test_english_labels(qtbot: QtBot, gui_ctx: GuiContext) -> None:
    dialog = AccountDialog(gui_ctx)
    qtbot.addWidget(dialog)
    labels = {
        w.buddy().objectName(): w.text()
        for w in dialog.findChildren(QLabel)
        if w.buddy() is not None
    }
    assert labels["number"] == "E-mail &number:"
    assert field(dialog, "exchange").text() == "E&xchange account"
    assert dialog.save_button.text() == "Save"


def test_language_choice(monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtCore import QLocale

    from mailaccounts.gui.i18n import choose_language

    assert choose_language("en") == "en"
    monkeypatch.setattr(QLocale, "system", lambda: QLocale("de_DE"))
    assert choose_language(None) == "de"
    monkeypatch.setattr(QLocale, "system", lambda: QLocale("fr_FR"))
    assert choose_language(None) == "en"
    assert choose_language("de") == "de"


def test_an_account_of_a_newer_release_is_explained_and_the_list_still_works(
    qtbot: QtBot, seeded_store: Path, memory_keyring: MemoryKeyring
) -> None:
    for number in ("1000", "1001"):
        add_account(seeded_store, memory_keyring, pop3_account(number))
    save_as_newer_release(seeded_store, "1001")
    ctx = GuiContext.open(seeded_store, memory_keyring)
    window = make_window(qtbot, ctx)
    assert window.model.total == 2
    for button in ("editButton", "duplicateButton", "deleteButton"):
        window.table.selectRow(window.model.row_of("1001"))
        click(qtbot, window.buttons[button])
        box = message_box(qtbot, window, "accountTooNewBox")
        assert box.text() == (
            "E-mail account 1001 was saved by a newer release of mailaccounts (document "
            "version 2; this release knows versions up to 1). Open it with the newer release."
        )
        assert window.dialog is None
        click(qtbot, box_button(box, "OK"))
        qtbot.waitUntil(lambda: not window.findChildren(QMessageBox, "accountTooNewBox"))
    window.table.selectRow(window.model.row_of("1000"))
    click(qtbot, window.buttons["editButton"])
    assert isinstance(window.dialog, AccountDialog)
    assert field(window.dialog, "address").text() == "info1000@mustermann.de"
    ctx.close()
