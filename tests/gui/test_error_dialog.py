"""An error no code caught — in a slot, in a worker thread — shows a dialog in
the window's language that says what failed and where the log file is, and
the log file gets the traceback; the window stays usable. The window's start
installs this just after the first paint (``logging`` stays off the start
path) and takes it away when the window closes."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from mailaccounts.gui.app import start_window
from mailaccounts.gui.error_dialog import OBJECT_NAME, ErrorReporter
from tests.gui.conftest import add_account, click
from tests.gui.test_start import REPO, poll, window_up
from tests.support.accounts import pop3_account
from tests.support.first_paint import CONSOLE_START
from tests.support.keyrings import MemoryKeyring

pytestmark = pytest.mark.qt_no_exception_capture  # the hooks under test take them


@pytest.fixture
def reporter(tmp_path: Path) -> Iterator[ErrorReporter]:
    started = ErrorReporter.start(tmp_path / "logs" / "mailaccounts.log")
    yield started
    started.stop()
    for box in error_dialogs():
        box.close()


def error_dialogs() -> list[QMessageBox]:
    return [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, QMessageBox) and w.objectName() == OBJECT_NAME and w.isVisible()
    ]


def shown_dialog(qtbot: QtBot) -> QMessageBox:
    qtbot.waitUntil(lambda: len(error_dialogs()) == 1)
    return error_dialogs()[0]


def log_text(reporter: ErrorReporter) -> str:
    assert reporter.log_path is not None
    return reporter.log_path.read_text(encoding="utf-8")


def broken_slot() -> None:
    raise KeyError("missing")


def test_a_slot_that_raises_shows_the_dialog_in_german_and_logs_the_traceback(
    qtbot: QtBot, reporter: ErrorReporter, german: None
) -> None:
    button = QPushButton("Speichern")
    qtbot.addWidget(button)
    button.clicked.connect(broken_slot)
    clicks: list[bool] = []
    button.clicked.connect(lambda: clicks.append(True))
    button.show()
    click(qtbot, button)
    box = shown_dialog(qtbot)
    assert box.windowTitle() == "Unerwarteter Fehler"
    assert box.text() == "Ein unerwarteter Fehler ist aufgetreten: broken_slot ist fehlgeschlagen."
    assert str(reporter.log_path) in box.informativeText()
    assert "Protokolldatei" in box.informativeText()
    assert box.detailedText() == "KeyError: 'missing'"
    logged = log_text(reporter)
    assert "ERROR mailaccounts.gui.error_dialog" in logged
    assert "unexpected error: broken_slot failed" in logged
    assert "Traceback (most recent call last)" in logged
    assert "in broken_slot" in logged and "KeyError: 'missing'" in logged
    # the window goes on: the next click is handled, a second error is only logged
    box.close()
    click(qtbot, button)
    box = shown_dialog(qtbot)
    click(qtbot, button)
    qtbot.wait(50)
    assert len(error_dialogs()) == 1 and len(clicks) == 3
    assert log_text(reporter).count("unexpected error: broken_slot failed") == 3


def test_a_worker_thread_that_raises_shows_the_dialog_on_the_gui_thread(
    qtbot: QtBot, reporter: ErrorReporter
) -> None:
    def work() -> None:
        raise RuntimeError("the worker broke")

    seen: list[bool] = []
    reporter.raised.connect(
        lambda *_: seen.append(threading.current_thread() is threading.main_thread())
    )
    worker = threading.Thread(target=work, name="fetch-worker")
    worker.start()
    worker.join()
    box = shown_dialog(qtbot)
    assert box.windowTitle() == "Unexpected error"
    assert "work failed" in box.text()
    assert box.detailedText() == "RuntimeError: the worker broke"
    logged = log_text(reporter)
    assert ".<locals>.work failed (thread fetch-worker)" in logged
    assert "RuntimeError: the worker broke" in logged and "Traceback" in logged


def test_without_a_log_file_the_dialog_still_shows_and_says_so(
    qtbot: QtBot, tmp_path: Path
) -> None:
    (tmp_path / "state").write_text("a file where the log folder belongs")
    reporter = ErrorReporter.start(tmp_path / "state" / "mailaccounts.log")
    try:
        assert reporter.log_path is None
        QTimer.singleShot(0, broken_slot)
        box = shown_dialog(qtbot)
        assert box.informativeText() == "You can go on working. No log file could be written."
        assert box.detailedText() == "KeyError: 'missing'"
        box.close()
    finally:
        reporter.stop()


def test_the_hooks_go_back_when_reporting_stops(tmp_path: Path) -> None:
    before = (sys.excepthook, threading.excepthook)
    reporter = ErrorReporter.start(tmp_path / "mailaccounts.log")
    assert (sys.excepthook, threading.excepthook) != before
    reporter.stop()
    assert (sys.excepthook, threading.excepthook) == before


def test_the_window_reports_errors_after_its_first_paint_and_stops_when_it_closes(
    qapp: QApplication,
    seeded_store: Path,
    memory_keyring: MemoryKeyring,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    add_account(seeded_store, memory_keyring, pop3_account("1000"))
    logs = tmp_path / "state"
    monkeypatch.setenv("MAILACCOUNTS_LOG_DIR", str(logs))
    before = (sys.excepthook, threading.excepthook)
    seen: list[str] = []

    def fail_then_close() -> None:
        QTimer.singleShot(0, broken_slot)
        poll(qapp, lambda: bool(error_dialogs()), close)

    def close() -> None:
        seen.append(error_dialogs()[0].detailedText())
        for widget in qapp.topLevelWidgets():
            widget.close()

    # the reporting starts once the list has painted (a timer after it)
    poll(qapp, lambda: window_up(qapp) and sys.excepthook != before[0], fail_then_close)
    assert start_window(seeded_store, "en", tmp_path / "mail") == 0
    assert seen == ["KeyError: 'missing'"]
    log = logs / "mailaccounts.log"
    assert "unexpected error: broken_slot failed" in log.read_text(encoding="utf-8")
    assert (log.stat().st_mode & 0o777, logs.stat().st_mode & 0o777) == (0o600, 0o700)
    assert (sys.excepthook, threading.excepthook) == before


def test_the_log_file_is_not_set_up_before_the_first_paint(
    seeded_store: Path, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    """PySide6 loads ``logging`` itself, but its handlers (which load
    ``socket`` and ``pickle``) and the file cost milliseconds: the window's
    start waits for the first paint."""
    add_account(seeded_store, memory_keyring, pop3_account("1000"))
    shown = (
        "import sys\n"
        "def shown():\n"
        "    print(sorted(sys.modules), flush=True)\n"
        "    from PySide6.QtWidgets import QApplication\n"
        "    QApplication.instance().quit()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", shown + CONSOLE_START, str(seeded_store)],
        env={
            **os.environ,
            "PYTHONPATH": str(REPO / "src"),
            "MAILACCOUNTS_LOG_DIR": str(tmp_path / "logs"),
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    loaded = set(ast.literal_eval(done.stdout.splitlines()[0]))
    assert not loaded & {
        "logging.handlers",
        "mailaccounts.files.logs",
        "mailaccounts.gui.error_dialog",
    }
    assert not (tmp_path / "logs").exists()
