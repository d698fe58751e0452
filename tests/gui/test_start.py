"""Starting the window as the ``mailaccounts`` command does: the collector
waits for the list's first paint, and a store that cannot be opened is
reported in a message box instead of the window."""

from __future__ import annotations

import gc
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from mailaccounts.gui import main_window
from mailaccounts.gui.context import GuiContext
from mailaccounts.gui.main_window import MainWindow
from mailaccounts.gui.start import start_window
from tests.gui.conftest import add_account
from tests.support.accounts import pop3_account
from tests.support.keyrings import MemoryKeyring

TIMEOUT_MS = 10_000


@pytest.fixture
def collector_off() -> Iterator[None]:
    """As ``__main__`` leaves it for a window start; restored afterwards."""
    gc.disable()
    yield
    gc.unfreeze()
    gc.enable()


def poll(until: Callable[[], bool], then: Callable[[], object]) -> None:
    """Call *then* once *until* holds, checking every 5 ms (at most 10 s)."""
    waited = [0]

    def check() -> None:
        if until() or waited[0] >= TIMEOUT_MS:
            then()
            return
        waited[0] += 5
        QTimer.singleShot(5, check)

    QTimer.singleShot(0, check)


def test_collector_is_off_until_the_list_has_painted_then_on_with_start_up_frozen(
    qapp: QApplication,
    seeded_store: Path,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    collector_off: None,
) -> None:
    add_account(seeded_store, memory_keyring, pop3_account("1000"))
    windows: list[MainWindow] = []
    at_first_paint: list[bool] = []
    after: list[tuple[bool, int]] = []
    build = MainWindow.__init__

    def init(self: MainWindow, ctx: GuiContext) -> None:
        build(self, ctx)
        self.table.first_painted.connect(lambda: at_first_paint.append(gc.isenabled()))
        windows.append(self)

    def close() -> None:
        after.append((gc.isenabled(), gc.get_freeze_count()))
        windows[0].close()

    monkeypatch.setattr(MainWindow, "__init__", init)
    poll(lambda: bool(at_first_paint) and gc.isenabled(), close)
    assert start_window(seeded_store) == 0
    assert at_first_paint == [False]
    assert after[0][0] is True
    assert after[0][1] > 1000, "what start-up built is frozen out of later collections"


def test_collector_comes_back_even_if_the_list_never_paints(
    qapp: QApplication,
    seeded_store: Path,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    collector_off: None,
) -> None:
    add_account(seeded_store, memory_keyring, pop3_account("1000"))
    monkeypatch.setattr(main_window, "RESUME_COLLECTOR_MS", 50)
    monkeypatch.setattr(main_window.AccountView, "_painted", True)  # never says it painted
    seen: list[bool] = []

    def close() -> None:
        seen.append(gc.isenabled())
        for window in qapp.topLevelWidgets():
            if isinstance(window, MainWindow):
                window.close()

    poll(gc.isenabled, close)
    assert start_window(seeded_store) == 0
    assert seen == [True]


def test_a_store_of_a_newer_release_is_reported_not_opened(
    qapp: QApplication, seeded_store: Path
) -> None:
    with sqlite3.connect(seeded_store) as db:
        db.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    db.close()
    before = seeded_store.read_bytes()
    shown: list[str] = []

    def boxes() -> list[QMessageBox]:
        return [w for w in qapp.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]

    def answer() -> None:
        box = boxes()[0]
        shown.append(box.text())
        box.accept()

    poll(lambda: bool(boxes()), answer)
    assert start_window(seeded_store) == 1
    assert len(shown) == 1 and "schema version 99" in shown[0]
    assert not [w for w in qapp.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
    assert seeded_store.read_bytes() == before
