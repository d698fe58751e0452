"""The windows under keyring faults and other admins' changes."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from mailaccounts.gui.account_dialog import AccountDialog
from mailaccounts.gui.main_window import MainWindow
from mailaccounts.gui.window_context import GuiContext
from mailaccounts.store.sqlite import SqliteStore
from tests.gui.conftest import box_button, click, field, message_box, new_account_dialog, type_into
from tests.support.accounts import pop3_account
from tests.support.cli import run_cli
from tests.support.keyrings import LockedKeyring, MemoryKeyring, SlowKeyring


class Ticks:
    """A 50 ms timer: proves the event loop keeps running."""

    def __init__(self) -> None:
        self.times: list[float] = []
        self.timer = QTimer()
        self.timer.timeout.connect(lambda: self.times.append(time.monotonic()))
        self.timer.start(50)

    def longest_gap(self) -> float:
        return max(b - a for a, b in zip(self.times, self.times[1:], strict=False))


def test_slow_keyring_save_keeps_the_window_responsive(qtbot: QtBot, seeded_store: Path) -> None:
    keyring = SlowKeyring(delay=2.0)
    ctx = GuiContext.open(seeded_store, keyring)
    dialog = new_account_dialog(qtbot, ctx, "langsam")
    assert keyring.threads == []  # typing and validating touch no keyring
    ticks = Ticks()
    started = time.monotonic()
    with qtbot.waitSignal(dialog.saved, timeout=10000):
        click(qtbot, dialog.save_button)
        assert not dialog.save_button.isEnabled()  # saving, shown as such
        assert dialog.status.text() == "Saving…"
    ticks.timer.stop()
    assert time.monotonic() - started >= 2.0
    assert len(ticks.times) >= 20 and ticks.longest_gap() < 0.3
    assert keyring.threads and threading.main_thread().name not in keyring.threads
    assert keyring.values() == ["langsam"]
    ctx.close()


def test_slow_keyring_delete_keeps_the_list_responsive(qtbot: QtBot, seeded_store: Path) -> None:
    keyring = SlowKeyring(delay=0.0)
    data = {**pop3_account("1000"), "pop3": {**pop3_account()["pop3"], "password": "x"}}
    import json

    assert (
        run_cli(seeded_store, "add", "--file", "-", stdin=json.dumps(data), keyring=keyring).code
        == 0
    )
    keyring.delay, keyring.threads = 2.0, []
    ctx = GuiContext.open(seeded_store, keyring)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    click(qtbot, window.buttons["deleteButton"])
    ticks = Ticks()
    click(qtbot, box_button(message_box(qtbot, window, "deleteBox"), "Delete"))
    qtbot.waitUntil(lambda: window.model.total == 0, timeout=15000)
    ticks.timer.stop()
    assert ticks.longest_gap() < 0.3
    assert threading.main_thread().name not in keyring.threads
    assert keyring.entries == {}
    ctx.close()


def test_locked_keyring_save_says_so_and_keeps_the_input(qtbot: QtBot, seeded_store: Path) -> None:
    ctx = GuiContext.open(seeded_store, LockedKeyring())
    dialog = new_account_dialog(qtbot, ctx, "geheim")
    click(qtbot, dialog.save_button)
    box = message_box(qtbot, dialog, "saveErrorBox")
    assert "keyring is locked" in box.text() and "unlock it" in box.text()
    click(qtbot, box_button(box, "OK"))
    assert dialog.isVisible() and field(dialog, "pop3.password").text() == "geheim"
    assert SqliteStore(seeded_store).get("1000") is None
    ctx.close()


def test_second_dialog_may_overwrite_after_a_conflict(
    qtbot: QtBot, with_account: Path, gui_ctx: GuiContext
) -> None:
    first = AccountDialog(gui_ctx, gui_ctx.service.find("1000"))
    second = AccountDialog(gui_ctx, gui_ctx.service.find("1000"))
    for dialog in (first, second):
        qtbot.addWidget(dialog)
        dialog.show()
    type_into(qtbot, field(first, "address"), "erster@mustermann.de")
    with qtbot.waitSignal(first.saved, timeout=5000):
        click(qtbot, first.save_button)
    type_into(qtbot, field(second, "pop3.username"), "zweiter")
    click(qtbot, second.save_button)
    box = message_box(qtbot, second, "conflictBox")
    with qtbot.waitSignal(second.saved, timeout=5000):
        click(qtbot, box_button(box, "Overwrite"))
    stored = SqliteStore(with_account).get("1000")
    assert stored is not None and stored.revision == 3
    assert stored.data["pop3"]["username"] == "zweiter"
    assert stored.data["address"] == "info1000@mustermann.de"  # the second admin's version


def test_account_deleted_meanwhile_is_not_resurrected(
    qtbot: QtBot, with_account: Path, gui_ctx: GuiContext, memory_keyring: MemoryKeyring
) -> None:
    dialog = AccountDialog(gui_ctx, gui_ctx.service.find("1000"))
    qtbot.addWidget(dialog)
    dialog.show()
    type_into(qtbot, field(dialog, "address"), "neu@mustermann.de")
    assert run_cli(with_account, "delete", "1000", "--yes", keyring=memory_keyring).code == 0
    click(qtbot, dialog.save_button)
    box = message_box(qtbot, dialog, "saveErrorBox")
    assert "Another administrator has deleted this account" in box.text()
    click(qtbot, box_button(box, "OK"))
    assert dialog.isVisible() and field(dialog, "address").text() == "neu@mustermann.de"
    assert SqliteStore(with_account).get("1000") is None


def test_start_removes_keyring_leftovers_off_the_gui_thread(
    qtbot: QtBot, seeded_store: Path
) -> None:
    keyring = SlowKeyring(delay=0.2)
    store = SqliteStore(seeded_store)
    service = f"mailaccounts/{store.store_id}"
    keyring.entries[(service, "1000/pop3/orphan")] = "left behind by a crash"
    with store.pending_keys(["1000/pop3/orphan", "1000/smtp/gone-already"]):
        pass  # a save that ended without committing them (killed, say)
    ctx = GuiContext.open(seeded_store, keyring)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: store.trash_keys() == [], timeout=5000)
    assert keyring.entries == {}
    assert keyring.threads and threading.main_thread().name not in keyring.threads
    ctx.close()
