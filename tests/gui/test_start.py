"""Starting the window as the ``mailaccounts`` command does: the store opens
before Qt is imported, the collector waits for the list's first paint, and a
store that cannot be opened is reported in a message box instead of the
window."""

from __future__ import annotations

import ast
import gc
import os
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from mailaccounts.gui import app as gui_app
from mailaccounts.gui import main_window
from mailaccounts.gui.app import start_window
from mailaccounts.gui.main_window import MainWindow
from mailaccounts.gui.window_context import GuiContext
from tests.gui.conftest import add_account
from tests.support.accounts import pop3_account
from tests.support.first_paint import CONSOLE_START
from tests.support.keyrings import MemoryKeyring

REPO = Path(__file__).resolve().parents[2]
TIMEOUT_MS = 10_000


@pytest.fixture
def collector() -> Iterator[None]:
    """Nothing frozen before the test; on and unfrozen after it."""
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    yield
    gc.unfreeze()
    gc.enable()


def poll(app: QApplication, until: Callable[[], bool], then: Callable[[], object]) -> None:
    """Call *then* once *until* holds, checking every 5 ms. After 10 s every
    window is closed instead, so the start returns and the test fails."""
    waited = [0]

    def check() -> None:
        if until():
            then()
        elif waited[0] >= TIMEOUT_MS:
            for widget in app.topLevelWidgets():
                widget.close()
        else:
            waited[0] += 5
            QTimer.singleShot(5, check)

    QTimer.singleShot(0, check)


def window_up(app: QApplication) -> bool:
    return any(isinstance(w, MainWindow) for w in app.topLevelWidgets())


def close_windows(app: QApplication) -> None:
    for widget in app.topLevelWidgets():
        if isinstance(widget, MainWindow):
            widget.close()


def test_the_store_opens_before_qt_is_imported(seeded_store: Path) -> None:
    """What the ``mailaccounts`` command runs, in a fresh process: PySide6
    reads the source of each module imported after it, so the store's
    modules must load first."""
    check = (
        "import sys\n"
        "from mailaccounts.gui import window_context as context\n"
        "def opened(*args, **kwargs):\n"
        "    print('PySide6 loaded:', 'PySide6' in sys.modules, flush=True)\n"
        "    raise SystemExit(0)\n"
        "context.GuiContext.open = opened\n"
        "from mailaccounts.__main__ import main\n"
        f"sys.argv[1:] = ['--store', {str(seeded_store)!r}]\n"
        "main()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", check],
        env={**os.environ, "PYTHONPATH": str(REPO / "src")},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "PySide6 loaded: False"


START_PATH = {
    "mailaccounts",
    "mailaccounts.__main__",
    "mailaccounts.gui",
    "mailaccounts.gui.account_table",
    "mailaccounts.gui.window_context",
    "mailaccounts.gui.i18n",
    "mailaccounts.gui.style",
    "mailaccounts.gui.main_window",
    "mailaccounts.gui.app",
    "mailaccounts.files",
    "mailaccounts.files.package_data",
    "mailaccounts.model",
    "mailaccounts.model.problems",
    "mailaccounts.model.records",
    "mailaccounts.keyring",
    "mailaccounts.keyring.refs",
    "mailaccounts.store",
    "mailaccounts.store.encoding",
    "mailaccounts.store.errors",
    "mailaccounts.store.schema",
    "mailaccounts.store.sqlite",
    "mailaccounts.model.translatable",
}
"""Our modules the list needs to appear. One more costs start-up time (and a
read of its source by PySide6's import hook): add it here only on purpose."""
AFTER_THE_FIRST_PAINT = (
    *("pydantic", "email_validator", "idna", "keyring", "secretstorage", "jeepney"),
    *("json", "html", "ssl", "socket", "email", "httpx", "authlib", "dns"),
    *("filelock", "platformdirs", "dataclasses"),
)
"""Loaded when first needed or after the first paint (docs/architecture.md)."""


def test_the_list_appears_with_few_modules(
    seeded_store: Path, memory_keyring: MemoryKeyring
) -> None:
    for number in ("1000", "1001"):
        add_account(seeded_store, memory_keyring, pop3_account(number))
    shown = (
        "import sys\n"
        "def shown():\n"
        "    print(sorted(sys.modules), flush=True)\n"
        "    from PySide6.QtWidgets import QApplication\n"
        "    QApplication.instance().quit()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", shown + CONSOLE_START, str(seeded_store)],
        env={**os.environ, "PYTHONPATH": str(REPO / "src")},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    loaded = set(ast.literal_eval(done.stdout.splitlines()[0]))
    ours = {name for name in loaded if name.split(".")[0] == "mailaccounts"}
    assert ours <= START_PATH, sorted(ours - START_PATH)
    assert not loaded & set(AFTER_THE_FIRST_PAINT), sorted(loaded & set(AFTER_THE_FIRST_PAINT))


def test_collector_is_off_until_the_list_has_painted_then_on_with_start_up_frozen(
    qapp: QApplication,
    seeded_store: Path,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    collector: None,
) -> None:
    add_account(seeded_store, memory_keyring, pop3_account("1000"))
    monkeypatch.setattr(gui_app, "RESUME_COLLECTOR_MS", 60_000)  # not the fallback
    windows: list[MainWindow] = []
    at_first_paint: list[tuple[bool, int]] = []
    after: list[tuple[bool, int]] = []
    build = MainWindow.__init__

    def init(self: MainWindow, ctx: GuiContext) -> None:
        build(self, ctx)
        self.table.first_painted.connect(
            lambda: at_first_paint.append((gc.isenabled(), gc.get_freeze_count()))
        )
        windows.append(self)

    def close() -> None:
        after.append((gc.isenabled(), gc.get_freeze_count()))
        windows[0].close()

    monkeypatch.setattr(MainWindow, "__init__", init)
    poll(qapp, lambda: bool(at_first_paint), close)
    assert start_window(seeded_store, "en") == 0
    assert at_first_paint == [(False, 0)]
    enabled, frozen = after[0]
    assert enabled and frozen > 0, "on again, with what start-up built frozen"


def test_collector_is_on_at_once_for_an_empty_store(
    qapp: QApplication, seeded_store: Path, monkeypatch: pytest.MonkeyPatch, collector: None
) -> None:
    """The empty state shows instead of the list, which then never paints."""
    monkeypatch.setattr(gui_app, "RESUME_COLLECTOR_MS", 60_000)  # not the fallback
    seen: list[bool] = []

    def close() -> None:
        seen.append(gc.isenabled())
        close_windows(qapp)

    poll(qapp, lambda: window_up(qapp), close)
    assert start_window(seeded_store, "en") == 0
    assert seen == [True]


def test_collector_comes_back_even_if_the_list_never_paints(
    qapp: QApplication,
    seeded_store: Path,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    collector: None,
) -> None:
    add_account(seeded_store, memory_keyring, pop3_account("1000"))
    monkeypatch.setattr(gui_app, "RESUME_COLLECTOR_MS", 50)
    monkeypatch.setattr(main_window.AccountView, "_painted", True)  # never says it painted
    seen: list[bool] = []

    def close() -> None:
        seen.append(gc.isenabled())
        close_windows(qapp)

    poll(qapp, gc.isenabled, close)
    assert start_window(seeded_store, "en") == 0
    assert seen == [True]


def test_a_store_of_a_newer_release_is_reported_not_opened(
    qapp: QApplication, seeded_store: Path, collector: None
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

    poll(qapp, lambda: bool(boxes()), answer)
    assert start_window(seeded_store, "en") == 1
    assert len(shown) == 1 and "schema version 99" in shown[0]
    assert not [w for w in qapp.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
    assert seeded_store.read_bytes() == before


def test_a_store_path_that_is_no_regular_file_is_reported_and_left_alone(
    qapp: QApplication, tmp_path: Path, collector: None
) -> None:
    store = tmp_path / "accounts.sqlite3"
    os.mkfifo(store, 0o644)
    shown: list[str] = []

    def boxes() -> list[QMessageBox]:
        return [w for w in qapp.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]

    def answer() -> None:
        box = boxes()[0]
        shown.append(box.text())
        box.accept()

    poll(qapp, lambda: bool(boxes()), answer)
    assert start_window(store, "en") == 1
    assert shown == [
        f"{store} cannot be used as a mailaccounts store: it is a named pipe (FIFO), "
        "not a regular file"
    ]
    assert not [w for w in qapp.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
    assert [p.name for p in tmp_path.iterdir()] == [store.name]
    assert stat.S_IMODE(store.lstat().st_mode) == 0o644 and stat.S_ISFIFO(store.lstat().st_mode)


def test_a_start_leaves_no_translator_behind(
    qapp: QApplication, seeded_store: Path, collector: None
) -> None:
    from PySide6.QtCore import QCoreApplication

    poll(
        qapp,
        lambda: any(isinstance(w, MainWindow) for w in qapp.topLevelWidgets()),
        lambda: close_windows(qapp),
    )
    assert start_window(seeded_store, "de") == 0
    assert QCoreApplication.translate("MainWindow", "E-mail accounts") == "E-mail accounts"


CLICK_NEW_AT_FIRST_PAINT = """
import sys
import threading

OURS = ("mailaccounts", "pydantic", "pydantic_core", "email_validator", "idna")
elsewhere = set()


class WhoImports:
    @staticmethod
    def find_spec(name, path=None, target=None):
        thread = threading.current_thread()
        if name.split(".")[0] in OURS and thread is not threading.main_thread():
            elsewhere.add(name)
        return None


sys.meta_path.insert(0, WhoImports)


def shown():
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QPushButton

    app = QApplication.instance()
    window = next(w for w in app.topLevelWidgets() if w.objectName() == "mainWindow")

    def when_idle():
        if window.ctx._tasks is None or window.ctx.tasks.busy:
            QTimer.singleShot(10, when_idle)
            return
        print("imported on another thread:", sorted(elsewhere), flush=True)
        app.quit()

    def click():
        window.findChild(QPushButton, "newButton").click()
        print("opened:", type(window.dialog).__name__, flush=True)
        when_idle()

    QTimer.singleShot(0, click)  # as soon as the list is there
"""


def test_new_right_after_the_start_opens_the_dialog_and_nothing_imports_elsewhere(
    seeded_store: Path, memory_keyring: MemoryKeyring
) -> None:
    """ "New…" clicked the moment the list appears, in a fresh process each
    time, until the work queued after the first paint is done: the dialog
    opens, and our modules, pydantic and the rest the services need are
    imported on the GUI thread only. (Two threads importing at once made the
    dialog fail now and then with ImportError, a partially initialised
    module.) Workers may import only what keyring loads for its backends."""
    add_account(seeded_store, memory_keyring, pop3_account("1000"))
    for _ in range(START_AND_CLICK_RUNS):
        done = subprocess.run(
            [sys.executable, "-c", CLICK_NEW_AT_FIRST_PAINT + CONSOLE_START, str(seeded_store)],
            env={**os.environ, "PYTHONPATH": str(REPO / "src")},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stderr, done.stderr
        assert done.stdout.splitlines() == [
            "opened: AccountDialog",
            "imported on another thread: []",
        ], done.stdout + done.stderr


START_AND_CLICK_RUNS = 10


def test_the_list_compares_roles_with_qts_own_values() -> None:
    """The table model keeps ``Qt``'s namespace off the start path by
    comparing roles as ints (docs/architecture.md, "Start-up"): its
    constants are Qt's."""
    from PySide6.QtCore import Qt

    from mailaccounts.gui import account_table

    role = Qt.ItemDataRole
    assert (
        role.DisplayRole.value,
        role.DecorationRole.value,
        role.ToolTipRole.value,
        role.ForegroundRole.value,
        Qt.SortOrder.DescendingOrder.value,
    ) == (
        account_table.DISPLAY_ROLE,
        account_table.DECORATION_ROLE,
        account_table.TOOLTIP_ROLE,
        account_table.FOREGROUND_ROLE,
        account_table.DESCENDING,
    )
