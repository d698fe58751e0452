from __future__ import annotations

import json
from pathlib import Path
from typing import cast

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QDialog, QLabel, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from mailaccounts.gui.account_dialog import AccountDialog
from mailaccounts.gui.main_window import MainWindow
from mailaccounts.gui.picker import CodePicker
from mailaccounts.gui.window_context import GuiContext
from mailaccounts.keyring.backend import KeyringSecrets
from mailaccounts.model.secret import Secret
from mailaccounts.store.sqlite import SqliteStore
from tests.gui.conftest import (
    activate,
    box_button,
    click,
    field,
    message_box,
    new_account_dialog,
    type_into,
)
from tests.support.keyrings import MemoryKeyring, RaisingKeyring
from tests.support.types import present

CONTRACT_NAMES = [
    "number",
    "address",
    "exchange",
    "pop3.server",
    "pop3.port",
    "pop3.username",
    "pop3.password",
    "pop3.spa",
    "pop3.security",
    "smtp.separate",
    "smtp.server",
    "smtp.server_name",
    "smtp.port",
    "smtp.security",
    "smtp.auth.required",
    "operators",
    "workgroups",
    "authSettingsButton",
    "exchange_settings.server",
    "exchange_settings.domain",
    "exchange_settings.username",
    "exchange_settings.password",
    "exchange_settings.sync.mails",
    "exchange_settings.sync.conflict_winner",
    "exchange_settings.sync.client_number",
    "exchange_settings.sync.initial_sync",
]


def test_a_password_missing_from_the_keyring_is_not_shown_as_stored(
    qtbot: QtBot, with_account: Path, memory_keyring: MemoryKeyring, gui_ctx: GuiContext
) -> None:
    [(service, key)] = memory_keyring.entries
    memory_keyring.entries[(service, key)] = json.dumps({"smtp": "alt-smtp"})
    stored = SqliteStore(with_account).get("1000")
    assert stored is not None
    # the pop3 password lives in another entry, which someone removed
    with SqliteStore(with_account)._transaction() as db:
        db.execute(
            "UPDATE account_secrets SET ref = ? WHERE number = '1000' AND name = 'pop3'",
            ("1000/secrets/gone#pop3",),
        )
    window = MainWindow(gui_ctx)
    qtbot.addWidget(window)
    window.show()
    dialog = window.edit_selected()
    assert dialog is not None
    missing = "missing from the keyring – enter it again"
    qtbot.waitUntil(lambda: field(dialog, "pop3.password").placeholderText() == missing)
    auth = open_auth_dialog(qtbot, dialog)
    assert field(auth, "smtp.auth.password").placeholderText() == "stored – type to replace"


def open_auth_dialog(qtbot: QtBot, dialog: AccountDialog) -> QDialog:
    click(qtbot, field(dialog, "authSettingsButton"))
    auth = next(w for w in dialog.findChildren(QDialog, "authSettingsDialog") if w.isVisible())
    qtbot.waitExposed(auth)
    return auth


def test_create_an_account_by_typing_into_every_field(
    qtbot: QtBot, window: MainWindow, seeded_store: Path, memory_keyring: MemoryKeyring
) -> None:
    click(qtbot, present(window.findChild(QPushButton, "emptyNewButton")))
    dialog = window.dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    type_into(qtbot, field(dialog, "number"), "0815")
    type_into(qtbot, field(dialog, "address"), "info@müller.de")
    type_into(qtbot, field(dialog, "pop3.server"), "pop.müller.de")
    click(qtbot, field(dialog, "pop3.security").check)  # SSL off → port follows 995 → 110
    assert field(dialog, "pop3.port").value() == 110
    click(qtbot, field(dialog, "pop3.security").check)
    assert field(dialog, "pop3.port").value() == 995
    field(dialog, "pop3.security").mode.setFocus()
    qtbot.keyClick(field(dialog, "pop3.security").mode, Qt.Key.Key_Down)  # STARTTLS
    assert field(dialog, "pop3.port").value() == 110
    type_into(qtbot, field(dialog, "pop3.port").lineEdit(), "1110")
    type_into(qtbot, field(dialog, "pop3.username"), "info")
    type_into(qtbot, field(dialog, "pop3.password"), "pop3-geheim")
    click(qtbot, field(dialog, "pop3.spa"))
    click(qtbot, field(dialog, "smtp.separate"))
    type_into(qtbot, field(dialog, "smtp.server"), "smtp.müller.de")
    type_into(qtbot, field(dialog, "smtp.server_name"), "mail.provider.de")
    type_into(qtbot, field(dialog, "smtp.port").lineEdit(), "2525")
    field(dialog, "smtp.security").mode.setFocus()
    qtbot.keyClick(field(dialog, "smtp.security").mode, Qt.Key.Key_Down)
    assert not field(dialog, "authSettingsButton").isEnabled()
    click(qtbot, field(dialog, "smtp.auth.required"))
    assert not dialog.save_button.isEnabled()  # auth user name missing
    auth = open_auth_dialog(qtbot, dialog)
    method = field(auth, "smtp.auth.method")
    method.setFocus()
    qtbot.keyClick(method, Qt.Key.Key_Down)
    type_into(qtbot, field(auth, "smtp.auth.username"), "smtp-user")
    type_into(qtbot, field(auth, "smtp.auth.password"), "smtp-geheim")
    click(qtbot, next(b for b in auth.findChildren(QPushButton) if b.text() == "OK"))
    qtbot.waitUntil(lambda: not auth.isVisible())
    type_into(qtbot, field(dialog, "operators"), "ADM")
    type_into(qtbot, field(dialog, "workgroups"), "vertrieb; support")

    assert dialog.save_button.isEnabled(), dialog.status.text()
    activate(qtbot, dialog)
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        qtbot.keyClick(dialog, Qt.Key.Key_F10)

    stored = SqliteStore(seeded_store).get("0815")
    assert stored is not None
    assert stored.data == {
        "number": "0815",
        "address": "info@müller.de",
        "exchange": False,
        "pop3": {
            "server": "pop.müller.de",
            "port": 1110,
            "username": "info",
            "spa": True,
            "security": "starttls",
            "trusted_certificate": None,
            "oauth2": False,
        },
        "smtp": {
            "separate": True,
            "server": "smtp.müller.de",
            "server_name": "mail.provider.de",
            "port": 2525,
            "security": "starttls",
            "auth": {
                "required": True,
                "method": "cram-md5",
                "username": "smtp-user",
                "same_as_incoming": False,
            },
            "trusted_certificate": None,
        },
        "operators": ["ADM"],
        "workgroups": ["VERTRIEB", "SUPPORT"],  # as the directory spells them
        "exchange_settings": None,
        "fetch": {
            "enabled": True,
            "leave_on_server": False,
            "delete_after_days": None,
            "interval_minutes": None,
            "times": [],
        },
        "oauth2": None,
    }
    secrets = KeyringSecrets(SqliteStore(seeded_store).store_id, memory_keyring)
    read = {name: secrets.get(ref) for name, ref in stored.secret_refs.items()}
    assert read == {"pop3": Secret("pop3-geheim"), "smtp": Secret("smtp-geheim")}
    assert sorted(memory_keyring.values()) == ["pop3-geheim", "smtp-geheim"]
    assert window.model.rowCount() == 1 and window.selected_number() == "0815"


def test_edit_then_cancel_leaves_store_and_keyring_unchanged(
    qtbot: QtBot, with_account: Path, memory_keyring: MemoryKeyring, gui_ctx: GuiContext
) -> None:
    window = MainWindow(gui_ctx)
    qtbot.addWidget(window)
    window.show()
    before = SqliteStore(with_account).get("1000")
    keyring_before = dict(memory_keyring.entries)
    dialog = window.edit_selected()
    assert dialog is not None
    qtbot.waitExposed(dialog)
    type_into(qtbot, field(dialog, "address"), "anders@mustermann.de")
    type_into(qtbot, field(dialog, "pop3.password"), "neu")
    auth = open_auth_dialog(qtbot, dialog)
    type_into(qtbot, field(auth, "smtp.auth.username"), "jemand")
    click(qtbot, next(b for b in auth.findChildren(QPushButton) if b.text() == "Cancel"))
    qtbot.waitUntil(lambda: not auth.isVisible())
    assert dialog.current_data()["smtp"]["auth"]["username"] == "smtpuser"
    click(qtbot, dialog.cancel_button)
    box = message_box(qtbot, dialog, "discardBox")
    click(qtbot, box_button(box, "Discard"))
    qtbot.waitUntil(lambda: not dialog.isVisible())
    after = SqliteStore(with_account).get("1000")
    assert after == before
    assert memory_keyring.entries == keyring_before
    assert memory_keyring.calls["set"] == 0 and memory_keyring.calls["delete"] == 0


def test_opening_list_and_account_only_asks_whether_passwords_are_there(
    qtbot: QtBot, with_account: Path, memory_keyring: MemoryKeyring, gui_ctx: GuiContext
) -> None:
    window = MainWindow(gui_ctx)
    qtbot.addWidget(window)
    window.show()
    dialog = window.edit_selected()
    assert dialog is not None
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: not gui_ctx.tasks.busy)  # the check runs on a worker
    auth = open_auth_dialog(qtbot, dialog)
    assert set(memory_keyring.calls) <= {"get"}  # nothing written, nothing removed
    assert field(dialog, "pop3.password").text() == ""
    assert field(dialog, "pop3.password").placeholderText() == "stored – type to replace"
    assert field(auth, "smtp.auth.password").placeholderText() == "stored – type to replace"
    assert dialog.findChild(QWidget, "exchange_settings.password") is None  # not an Exchange one
    assert field(dialog, "number").isReadOnly()


def test_exchange_adds_cards_disables_pop3_and_keeps_its_values(
    qtbot: QtBot, with_account: Path, gui_ctx: GuiContext
) -> None:
    dialog = AccountDialog(gui_ctx, gui_ctx.service.find("1000"))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    tabs = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
    assert tabs == ["Access data", "Fetching", "OAuth2"]
    click(qtbot, field(dialog, "exchange"))
    assert [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())] == [
        "Access data",
        "Exchange – access data",
        "Exchange – synchronisation",
    ]
    assert not field(dialog, "pop3.server").isEnabled()
    assert not field(dialog, "smtp.auth.required").isEnabled()
    assert field(dialog, "pop3.server").text() == "pop.mustermann.de"
    assert (
        "exchange_settings.server" in field(dialog, "exchange_settings.server.problem").objectName()
    )
    assert field(dialog, "exchange_settings.server.problem").text() == "is required"
    click(qtbot, field(dialog, "exchange"))
    assert [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())] == tabs
    assert field(dialog, "pop3.server").isEnabled()
    assert dialog.current_data()["pop3"]["server"] == "pop.mustermann.de"
    assert dialog.current_data()["exchange_settings"] is None


def test_invalid_input_disables_save_and_says_why(qtbot: QtBot, window: MainWindow) -> None:
    dialog = window.new_account()
    qtbot.waitExposed(dialog)
    type_into(qtbot, field(dialog, "number"), "12")
    type_into(qtbot, field(dialog, "address"), "info@mustermann.de")
    type_into(qtbot, field(dialog, "pop3.server"), "pop mustermann")
    type_into(qtbot, field(dialog, "pop3.username"), "info")
    type_into(qtbot, field(dialog, "operators"), "ADM; NIEMAND")
    assert not dialog.save_button.isEnabled()
    problem = field(dialog, "number.problem")
    assert problem.isVisible() and problem.text() == "must be exactly 4 digits, 0001 to 9999"
    assert "contains blanks" in field(dialog, "pop3.server.problem").text()
    assert "operator “NIEMAND” is not in the directory" in field(dialog, "operators.problem").text()
    assert "E-mail number: must be exactly 4 digits" in dialog.save_button.toolTip()
    assert dialog.status.text().startswith("Cannot save: 3 problems, first: E-mail number")
    activate(qtbot, dialog)
    qtbot.keyClick(dialog, Qt.Key.Key_F10)  # F10 with errors saves nothing
    assert dialog.isVisible()
    type_into(qtbot, field(dialog, "number"), "1234")
    type_into(qtbot, field(dialog, "pop3.server"), "pop.mustermann.de")
    type_into(qtbot, field(dialog, "operators"), "ADM")
    assert dialog.save_button.isEnabled()
    assert not field(dialog, "number.problem").isVisible()


def test_several_operators_warn_without_blocking(qtbot: QtBot, window: MainWindow) -> None:
    dialog = window.new_account()
    qtbot.waitExposed(dialog)
    for name, text in (
        ("number", "1000"),
        ("address", "a@b.de"),
        ("pop3.server", "h.de"),
        ("pop3.username", "u"),
        ("operators", "ADM; MUE"),
    ):
        type_into(qtbot, field(dialog, name), text)
    warning = field(dialog, "operators.problem")
    assert warning.isVisible()
    assert warning.text() == "2 operators: each inbox receives its own physical copy of every mail"
    assert dialog.save_button.isEnabled()


def test_f5_picker_fills_the_field(qtbot: QtBot, window: MainWindow) -> None:
    dialog = window.new_account()
    qtbot.waitExposed(dialog)
    operators = field(dialog, "operators")
    type_into(qtbot, operators, "SCH")
    qtbot.keyClick(operators, Qt.Key.Key_F5)
    picker = next(w for w in dialog.findChildren(CodePicker, "codePicker") if w.isVisible())
    type_into(qtbot, picker.search, "müll")
    visible = [
        picker.list.item(i)
        for i in range(picker.list.count())
        if not picker.list.item(i).isHidden()
    ]
    assert [item.text() for item in visible] == ["MUE – Müller"]
    visible[0].setCheckState(Qt.CheckState.Checked)
    qtbot.keyClick(picker.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not picker.isVisible())
    assert operators.text() == "SCH; MUE"


def test_the_picker_gives_codes_as_the_directory_spells_them(
    qtbot: QtBot, window: MainWindow
) -> None:
    dialog = window.new_account()
    qtbot.waitExposed(dialog)
    operators = field(dialog, "operators")
    type_into(qtbot, operators, "sch; Adm")
    qtbot.keyClick(operators, Qt.Key.Key_F5)
    picker = next(w for w in dialog.findChildren(CodePicker, "codePicker") if w.isVisible())
    checked = [
        picker.list.item(i).text()
        for i in range(picker.list.count())
        if picker.list.item(i).checkState() == Qt.CheckState.Checked
    ]
    assert checked == ["ADM – Administrator", "SCH – Schmidt"]
    qtbot.keyClick(picker.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not picker.isVisible())
    assert operators.text() == "SCH; ADM"


def test_codes_complete_while_typing(qtbot: QtBot, window: MainWindow) -> None:
    dialog = window.new_account()
    qtbot.waitExposed(dialog)
    operators = field(dialog, "operators")
    completer = operators.completer()
    type_into(qtbot, operators, "ADM; m")
    model = completer.completionModel()
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == ["MUE"]
    assert completer.currentCompletion() == "ADM; MUE"  # what choosing it makes of the field


def test_escape_with_changes_asks_and_keeps_input(qtbot: QtBot, window: MainWindow) -> None:
    dialog = window.new_account()
    qtbot.waitExposed(dialog)
    type_into(qtbot, field(dialog, "address"), "info@mustermann.de")
    activate(qtbot, dialog)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    box = message_box(qtbot, dialog, "discardBox")
    assert "Discard changes?" in box.text()
    click(qtbot, box_button(box, "Keep editing"))
    qtbot.waitUntil(lambda: not box.isVisible())
    assert dialog.isVisible()
    assert field(dialog, "address").text() == "info@mustermann.de"


def test_escape_without_changes_closes_at_once(qtbot: QtBot, window: MainWindow) -> None:
    dialog = window.new_account()
    qtbot.waitExposed(dialog)
    activate(qtbot, dialog)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())


def test_save_conflict_offers_reload(qtbot: QtBot, with_account: Path, gui_ctx: GuiContext) -> None:
    first = AccountDialog(gui_ctx, gui_ctx.service.find("1000"))
    second = AccountDialog(gui_ctx, gui_ctx.service.find("1000"))
    for dialog in (first, second):
        qtbot.addWidget(dialog)
        dialog.show()
    type_into(qtbot, field(first, "address"), "erster@mustermann.de")
    click(qtbot, first.save_button)
    qtbot.waitUntil(lambda: not first.isVisible(), timeout=5000)
    type_into(qtbot, field(second, "address"), "zweiter@mustermann.de")
    click(qtbot, second.save_button)
    box = message_box(qtbot, second, "conflictBox")
    assert present(SqliteStore(with_account).get("1000")).data["address"] == "erster@mustermann.de"
    click(qtbot, box_button(box, "Reload"))
    qtbot.waitUntil(lambda: field(second, "address").text() == "erster@mustermann.de")
    assert second.isVisible() and not second.is_dirty()


def test_keyring_failure_keeps_dialog_open_with_input(qtbot: QtBot, seeded_store: Path) -> None:
    from mailaccounts.gui.window_context import GuiContext

    ctx = GuiContext.open(seeded_store, RaisingKeyring())
    dialog = new_account_dialog(qtbot, ctx, "geheim")
    click(qtbot, dialog.save_button)
    box = message_box(qtbot, dialog, "saveErrorBox")
    assert "nothing was saved" in box.text() and "geheim" not in box.text()
    click(qtbot, box_button(box, "OK"))
    assert dialog.isVisible()
    assert field(dialog, "pop3.password").text() == "geheim"
    assert field(dialog, "address").text() == "a@b.de"
    assert ctx.service.find("1000") is None
    ctx.close()


def test_contract_object_names_and_accessible_names(qtbot: QtBot, gui_ctx: GuiContext) -> None:
    dialog = AccountDialog(gui_ctx)
    qtbot.addWidget(dialog)
    assert dialog.findChild(QWidget, "exchange_settings.server") is None  # built when needed
    dialog.show()
    click(qtbot, field(dialog, "exchange"))
    for name in CONTRACT_NAMES:
        widget = field(dialog, name)
        if not isinstance(widget, QPushButton):
            assert widget.accessibleName(), name
    labels = [w for w in dialog.findChildren(QLabel) if w.buddy() is not None]
    assert labels and all("&" in label.text() for label in labels)
    checkables = [
        w
        for w in dialog.findChildren(QWidget)
        if w.objectName() in ("exchange", "pop3.spa", "smtp.separate", "smtp.auth.required")
    ]
    assert all("&" in cast(QCheckBox, w).text() for w in checkables)


def test_tab_order_follows_visual_order(qtbot: QtBot, gui_ctx: GuiContext) -> None:
    dialog = AccountDialog(gui_ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    click(qtbot, field(dialog, "smtp.separate"))
    activate(qtbot, dialog)
    field(dialog, "number").setFocus()
    order = []
    for _ in range(15):
        widget = present(QApplication.focusWidget())
        order.append(widget.objectName() or present(widget.parent()).objectName())
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
    expected = [
        "number",
        "address",
        "exchange",
        "pop3.server",
        "pop3.port",
        "pop3.username",
        "pop3.password",
        "pop3.spa",
        "pop3.security",
        "pop3.security",
        "pop3.oauth2",
        "smtp.separate",
        "smtp.server",
        "smtp.server_name",
        "smtp.port",
    ]
    assert order == expected
