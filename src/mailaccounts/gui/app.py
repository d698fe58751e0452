"""Starting the window: the store opens first, Qt after it.

PySide checks every module imported after it for its own use (it reads the
module's source), so what the store needs — sqlite3, the services, the
records — loads before PySide does; see "Start-up" in docs/architecture.md.
A store that cannot be opened (unreadable, of a newer release) is reported in
a message box instead of the window."""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from .error_dialog import ErrorReporter

_reporting: list[ErrorReporter | None] = []
"""While ``start_window`` runs: the window's error reporting (None until the
first paint starts it, see ``resume_collector``)."""


def start_window(
    store_path: Path, language: str | None = None, mail_root: Path | None = None
) -> int:
    """Open the store, then show the window until it is closed; the exit code.

    The cyclic garbage collector is off until the list has painted
    (``resume_collector``); ``__main__`` switches it off even earlier,
    before its own imports. At the end what is left is frozen: it goes with
    the process, and PySide's shutdown would otherwise walk all of it in a
    full collection (≈ 10 ms)."""
    gc.disable()
    _reporting.append(None)
    try:
        return _open_and_show(store_path, language, mail_root)
    finally:
        if reporter := _reporting.pop():
            reporter.stop()
        gc.freeze()
        gc.enable()


def resume_collector() -> None:
    """Turn the cyclic garbage collector back on if start-up switched it off.
    What start-up built lives as long as the window, so it is frozen out of
    every later collection instead of being walked by each. The window calls
    this at the list's first paint.

    The error dialog and the log file start then too, just after the paint:
    the log's handlers cost a few milliseconds to load (``gui/error_dialog.py``)."""
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


def _open_and_show(store_path: Path, language: str | None, mail_root: Path | None) -> int:
    from ..store import StoreError
    from .window_context import GuiContext

    try:
        opened: GuiContext | StoreError = GuiContext.open(store_path, mail_root=mail_root)
    except StoreError as exc:
        # without its traceback: that would keep the failed store's frames
        # (and its SQLite connection) alive while the message box shows
        opened = exc.with_traceback(None)
    from .main_window import run

    return run(opened, language)
