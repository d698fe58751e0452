"""The account list's "Last fetch" column: how each account's last run went,
worded in the window's language, filtered and sorted like the other columns."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from mailaccounts.gui.account_table import COLUMNS, RESULT
from mailaccounts.gui.main_window import MainWindow
from mailaccounts.gui.window_context import GuiContext
from mailaccounts.model.problems import Problem
from mailaccounts.store.sqlite import SqliteStore
from tests.gui.conftest import add_account, type_into
from tests.support.accounts import exchange_account, pop3_account
from tests.support.keyrings import MemoryKeyring

THIS_YEAR = time.localtime().tm_year
AUTH = Problem("auth_rejected", params={"text": "-ERR <b>Authentication failed.</b>"})
OFF = {"enabled": False}


@pytest.fixture(autouse=True)
def berlin(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Runs are recorded in UTC; the list shows local time."""
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def fetched_store(seeded_store: Path, memory_keyring: MemoryKeyring) -> Path:
    for number in ("1000", "1001", "1002", "1003", "1004"):
        add_account(seeded_store, memory_keyring, pop3_account(number))
    for number in ("1005", "1006", "1007"):  # switched off by an admin; 1006 never fetched
        add_account(seeded_store, memory_keyring, {**pop3_account(number), "fetch": OFF})
    exchange = exchange_account()
    add_account(seeded_store, memory_keyring, exchange)
    store = SqliteStore(seeded_store)
    store.record_fetch("1000", f"{THIS_YEAR}-11-28T13:05:00+00:00", None, 12, True, 10)
    store.record_fetch("1001", f"{THIS_YEAR}-11-28T13:06:00+00:00", AUTH, 0, False, 10)
    for _ in range(10):  # scheduled runs that failed: switched off
        store.record_fetch("1002", f"{THIS_YEAR}-11-28T13:07:00+00:00", AUTH, 0, True, 10)
    store.record_fetch("1003", f"{THIS_YEAR - 1}-06-01T08:00:00+00:00", None, 1, True, 10)
    store.record_fetch("1005", f"{THIS_YEAR}-11-28T13:05:00+00:00", None, 2, False, 10)
    store.record_fetch("1007", f"{THIS_YEAR}-11-28T13:08:00+00:00", AUTH, 0, False, 10)  # by hand
    store.record_fetch("2000", f"{THIS_YEAR}-11-28T13:05:00+00:00", Problem("x"), 0, False, 10)
    store.close()
    return seeded_store


def column(window: MainWindow, role: Qt.ItemDataRole = Qt.ItemDataRole.DisplayRole) -> dict:  # type: ignore[type-arg]
    model = window.model
    return {
        model.number_at(row): model.data(model.index(row, RESULT), role)
        for row in range(model.rowCount())
    }


def open_window(qtbot, store: Path, keyring: MemoryKeyring) -> MainWindow:  # type: ignore[no-untyped-def]
    ctx = GuiContext.open(store, keyring)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.destroyed.connect(ctx.close)
    return window


def test_each_accounts_last_result(qtbot, fetched_store: Path, memory_keyring) -> None:  # type: ignore[no-untyped-def]
    window = open_window(qtbot, fetched_store, memory_keyring)
    header = window.table.horizontalHeader().model()
    assert header.headerData(RESULT, Qt.Orientation.Horizontal) == "Last fetch"
    assert len(COLUMNS) == RESULT + 1
    assert column(window) == {
        "1000": "ok, 12 new · 28.11. 14:05",  # local time
        "1001": "failed: the server rejected the login: -ERR <b>Authentication failed.</b>",
        "1002": "off: 10 failed runs",
        "1003": f"ok, 1 new · 01.06.{THIS_YEAR - 1} 10:00",
        "1004": "–",  # never fetched
        "1005": "off",  # by an admin
        "1006": "off",
        "1007": "off · failed: the server rejected the login: -ERR <b>Authentication failed.</b>",
        "2000": "–",  # Exchange: not fetched over POP3
    }
    colours = column(window, Qt.ItemDataRole.ForegroundRole)
    assert {n for n, c in colours.items() if c is not None} == {"1001", "1002", "1007"}
    assert colours["1001"].name() == "#b00020"
    tips = column(window, Qt.ItemDataRole.ToolTipRole)
    assert f"Last fetch: 28.11.{THIS_YEAR} 14:06:00" in tips["1001"]
    assert "&lt;b&gt;Authentication" in tips["1001"]  # the server's text, never markup
    assert "switched off after 10 failed runs in a row" in tips["1002"]
    assert "10 failed runs in a row" in tips["1002"]
    assert tips["1004"].endswith("Not fetched yet.</p>")
    assert "ok, 2 new" in tips["1005"] and "Scheduled fetching is switched off." in tips["1005"]
    assert "Not fetched yet." in tips["1006"] and "switched off" in tips["1006"]
    assert "switched off" not in tips["1000"] + tips["1004"]
    assert "Exchange accounts are not fetched over POP3" in tips["2000"]


def test_filter_and_sort_by_the_result(qtbot, fetched_store: Path, memory_keyring) -> None:  # type: ignore[no-untyped-def]
    window = open_window(qtbot, fetched_store, memory_keyring)
    type_into(qtbot, window.filter, "failed")
    assert [window.model.number_at(r) for r in range(window.model.rowCount())] == [
        "1001",
        "1002",
        "1007",
    ]
    type_into(qtbot, window.filter, "rejected the login")
    assert [window.model.number_at(r) for r in range(window.model.rowCount())] == [
        "1001",
        "1007",
    ]
    type_into(qtbot, window.filter, "")
    qtbot.waitUntil(lambda: window.table.isSortingEnabled())  # after the first paint
    window.table.sortByColumn(RESULT, Qt.SortOrder.AscendingOrder)
    results = list(column(window).values())
    assert results == sorted(results, key=str.casefold)


def test_german(qtbot, fetched_store: Path, memory_keyring, german) -> None:  # type: ignore[no-untyped-def]
    window = open_window(qtbot, fetched_store, memory_keyring)
    header = window.table.horizontalHeader().model()
    assert header.headerData(RESULT, Qt.Orientation.Horizontal) == "Letzter Abruf"
    texts = column(window)
    assert texts["1000"] == "ok, 12 neu · 28.11. 14:05"
    assert texts["1001"].startswith("fehlgeschlagen: der Server hat die Anmeldung abgelehnt")
    assert texts["1002"] == "abgeschaltet: 10 Fehlversuche"
    assert texts["1005"] == "abgeschaltet"
    assert texts["1007"].startswith("abgeschaltet · fehlgeschlagen: der Server hat die Anmeldung")
    tips = column(window, Qt.ItemDataRole.ToolTipRole)
    assert "Karte „Abruf“" in tips["1002"]


FIRST_PAINT = """
import sys
from PySide6.QtWidgets import QApplication
from mailaccounts.gui.window_context import GuiContext
from mailaccounts.gui.main_window import MainWindow
app = QApplication([])
window = MainWindow(GuiContext.open(sys.argv[1]))
window.show()
window.table.repaint()
print([window.model.data(window.model.index(row, 6)) for row in range(window.model.rowCount())])
print(sorted(m for m in sys.modules if m in sys.argv[2:]))
"""
LATE = ("json", "html")


def first_paint(store: Path) -> tuple[str, str]:
    """The list's last-fetch texts at the first paint, and which of the
    modules in LATE were loaded by then."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", FIRST_PAINT, str(store), *LATE],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    texts, loaded = done.stdout.splitlines()[:2]
    return texts, loaded


def test_the_first_paint_words_the_results_without_loading_much(  # type: ignore[no-untyped-def]
    qtbot, seeded_store: Path, memory_keyring
) -> None:
    """The start-up path: a result is worded without loading a module; a
    failure is worded from what SQLite took apart, without Python's json
    (and without html, which only a tooltip needs)."""
    add_account(seeded_store, memory_keyring, pop3_account("1000"))
    assert first_paint(seeded_store) == ("['–']", "[]")
    store = SqliteStore(seeded_store)
    store.record_fetch("1000", f"{THIS_YEAR}-11-28T13:05:00+00:00", None, 2, False, 10)
    texts, loaded = first_paint(seeded_store)
    assert texts.startswith("['ok, 2 new · 28.11. ") and loaded == "[]"
    store.record_fetch("1000", f"{THIS_YEAR}-11-28T13:06:00+00:00", AUTH, 0, False, 10)
    store.close()
    texts, loaded = first_paint(seeded_store)
    assert "failed: the server rejected the login: -ERR" in texts
    assert loaded == "[]"
