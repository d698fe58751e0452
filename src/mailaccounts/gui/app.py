"""The program's window: this module starts it and owns it. It opens the
store, makes the ``QApplication``, installs the translators, shows the
account list and, once the list has painted, lets the rest load.

The store opens before Qt is imported, and Qt only then: PySide checks every
module imported after it for its own use (it reads the module's source), so
what the list needs from SQLite loads before PySide does (docs/architecture.md,
"Start-up"). A store that cannot be opened (unreadable, of a newer release)
is reported in a message box instead of the window.

The cyclic garbage collector is handled here and nowhere else: off from the
start until the list has painted, then what start-up built is frozen out of
later collections (it lives as long as the window) and the collector is on
again; at the end what is left is frozen, so that PySide's shutdown does not
walk all of it in one full collection."""

from __future__ import annotations

import gc
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..store import StoreError
from .window_context import GuiContext

RESUME_COLLECTOR_MS = 3000
"""The collector comes back after this long should the list never paint."""

if TYPE_CHECKING:
    from .error_dialog import ErrorReporter

_reporting: list[ErrorReporter | None] = []
"""While ``start_window`` runs: the window's error reporting (None until the
first paint starts it, see ``resume_collector``)."""


def start_window(
    store_path: Path, language: str | None = None, mail_root: Path | None = None
) -> int:
    """Open the store, then show the window until it is closed; the exit code."""
    gc.disable()
    _reporting.append(None)
    try:
        try:
            opened: GuiContext | StoreError = GuiContext.open(store_path, mail_root=mail_root)
        except StoreError as exc:
            # without its traceback: that would keep the failed store's frames
            # (and its SQLite connection) alive while the message box shows
            opened = exc.with_traceback(None)
        return _run(opened, language)
    finally:
        if reporter := _reporting.pop():
            reporter.stop()
        gc.freeze()
        gc.enable()


def resume_collector() -> None:
    """Turn the cyclic garbage collector back on if start-up switched it off,
    with what start-up built frozen out of every later collection. The error
    dialog and the log file start then too (``gui/error_dialog.py``)."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()
    if _reporting and _reporting[-1] is None:
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, _report_errors)


def _report_errors() -> None:
    if _reporting and _reporting[-1] is None:
        from .error_dialog import ErrorReporter

        _reporting[-1] = ErrorReporter.start()


def _run(opened: GuiContext | StoreError, language: str | None) -> int:
    # Qt and the window's modules load here, after the store (see above).
    from PySide6 import QtCore, QtWidgets

    from . import i18n, main_window

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(sys.argv[:1])
    assert isinstance(app, QtWidgets.QApplication)
    app.setApplicationName("mailaccounts")
    app.setDesktopFileName("mailaccounts")  # Wayland: name and icon from mailaccounts.desktop
    translators = i18n.install_translators(app, i18n.choose_language(language))

    def set_icon() -> None:
        from .icon import window_icon  # after the first paint

        app.setWindowIcon(window_icon())  # every window, the shown one too

    try:
        if not isinstance(opened, GuiContext):
            set_icon()
            QtWidgets.QMessageBox.critical(None, "mailaccounts", str(opened))
            return 1
        window = main_window.MainWindow(opened)
        # The collector comes back as soon as the list has painted, before the
        # work the window queues for after its first paint; the icon (QIcon's
        # first use) waits until then too.
        QtCore.QTimer.singleShot(RESUME_COLLECTOR_MS, resume_collector)
        window.on_first_paint(resume_collector)
        window.on_first_paint(lambda: QtCore.QTimer.singleShot(0, set_icon))
        window.show()
        code = app.exec()
        opened.close()
        return code
    finally:
        i18n.remove_translators(app, translators)  # for a caller that goes on (a test)
