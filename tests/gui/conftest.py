from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QCheckBox, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from mailaccounts.gui.i18n import install_translators, remove_translators
from mailaccounts.gui.main_window import MainWindow
from mailaccounts.gui.window_context import GuiContext
from tests.support.accounts import pop3_account
from tests.support.cli import run_cli
from tests.support.keyrings import MemoryKeyring

if TYPE_CHECKING:
    from mailaccounts.gui.account_dialog import AccountDialog


@pytest.fixture
def seeded_store(store_path: Path, memory_keyring: MemoryKeyring) -> Path:
    for code, name in (("ADM", "Administrator"), ("MUE", "Müller"), ("SCH", "Schmidt")):
        run_cli(store_path, "operators", "add", code, "--name", name, keyring=memory_keyring)
    for code in ("VERTRIEB", "SUPPORT"):
        run_cli(store_path, "workgroups", "add", code, keyring=memory_keyring)
    return store_path


def add_account(store: Path, keyring: MemoryKeyring, data: dict[str, Any]) -> None:
    result = run_cli(store, "add", "--file", "-", stdin=json.dumps(data), keyring=keyring)
    assert result.code == 0, result.err


@pytest.fixture
def with_account(seeded_store: Path, memory_keyring: MemoryKeyring) -> Path:
    data = pop3_account("1000")
    data["pop3"]["password"] = "alt-pop3"
    data["smtp"]["auth"]["password"] = "alt-smtp"
    add_account(seeded_store, memory_keyring, data)
    memory_keyring.calls.clear()
    return seeded_store


@pytest.fixture
def gui_ctx(seeded_store: Path, memory_keyring: MemoryKeyring) -> Iterator[GuiContext]:
    ctx = GuiContext.open(seeded_store, memory_keyring)
    yield ctx
    ctx.close()


@pytest.fixture
def window(qtbot: QtBot, gui_ctx: GuiContext) -> MainWindow:
    win = MainWindow(gui_ctx)
    qtbot.addWidget(win)
    win.show()
    return win


@pytest.fixture(autouse=True)
def english(qapp: QApplication) -> Iterator[None]:
    """The program's own English (plural forms), as on a non-German system."""
    translators = install_translators(qapp, "en")
    yield
    remove_translators(qapp, translators)


@pytest.fixture
def german(qapp: QApplication) -> Iterator[None]:
    translators = install_translators(qapp, "de")
    assert translators, "German translation did not load"
    yield
    remove_translators(qapp, translators)


def field(dialog: QWidget, name: str) -> Any:
    found = [w for w in dialog.findChildren(QWidget, name) if w.window() is dialog]
    assert len(found) == 1, f"{name}: {found}"
    return found[0]


def activate(qtbot: QtBot, widget: QWidget) -> None:
    while (popup := QApplication.activePopupWidget()) is not None:
        popup.close()  # e.g. the completer's list
    widget.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget)


def type_into(qtbot: QtBot, widget: QWidget, text: str) -> None:
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(widget, Qt.Key.Key_Delete)
    for char in text:
        if char.isascii():
            qtbot.keyClicks(widget, char)
        else:  # QTest only knows ASCII keys: send the character as a key event's text
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(
                    widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char)
                )


def click(qtbot: QtBot, widget: QWidget) -> None:
    """Click where a person would: a checkbox on its box, a button in its middle."""
    pos = widget.rect().center()
    if isinstance(widget, QCheckBox):
        pos.setX(8)
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=pos)


def message_box(qtbot: QtBot, parent: QWidget, name: str) -> QMessageBox:
    def find() -> QMessageBox | None:
        boxes = [b for b in parent.findChildren(QMessageBox, name) if b.isVisible()]
        return boxes[0] if boxes else None

    qtbot.waitUntil(lambda: find() is not None)
    box = find()
    assert box is not None
    return box


def box_button(box: QMessageBox, text: str) -> Any:
    for button in box.buttons():
        if button.text().replace("&", "") == text:
            return button
    raise AssertionError(f"no button {text!r} in {[b.text() for b in box.buttons()]}")


def new_account_dialog(
    qtbot: QtBot, ctx: GuiContext, password: str = "geheim", **typed: str
) -> AccountDialog:
    """A shown dialog for a new account with every required field typed in."""
    from mailaccounts.gui.account_dialog import AccountDialog

    dialog = AccountDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    values = {
        "number": "1000",
        "address": "a@b.de",
        "pop3.server": "h.de",
        "pop3.username": "u",
        "pop3.password": password,
        "operators": "ADM",
        **typed,
    }
    for name, text in values.items():
        type_into(qtbot, field(dialog, name), text)
    return dialog
