"""What the window does with an error no code caught: it writes the traceback
to the log file and says in a dialog what failed and where the log is; the
window stays usable.

Errors reach it through ``sys.excepthook`` (PySide hands an exception that
escapes a slot or an overridden Qt method to it) and ``threading.excepthook``
(a worker thread's). A worker's error is logged on its thread and shown on
the GUI thread (a queued signal). While one such dialog is open, further
errors are only logged: a paint handler that fails would otherwise open a
dialog per frame."""

from __future__ import annotations

import logging
import sys
import threading
from pathlib import Path
from types import TracebackType
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

OBJECT_NAME = "errorDialog"
logger = logging.getLogger(__name__)


def failed_part(tb: TracebackType | None) -> str:
    """What failed: the innermost function of the program's own code in
    *tb* (``MainWindow.edit_selected``), else the innermost one at all."""
    innermost = ours = ""
    while tb is not None:
        innermost = tb.tb_frame.f_code.co_qualname
        if str(tb.tb_frame.f_globals.get("__name__", "")).split(".")[0] == "mailaccounts":
            ours = innermost
        tb = tb.tb_next
    return ours or innermost or "?"


def error_dialog(
    parent: QWidget | None, failed: str, log_path: Path | None, details: str
) -> QMessageBox:
    """The dialog, not yet shown: what failed, where the log file is, and the
    exception's type and message as its details."""
    box = QMessageBox(parent)
    box.setObjectName(OBJECT_NAME)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(QCoreApplication.translate("ErrorDialog", "Unexpected error"))
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(
        QCoreApplication.translate(
            "ErrorDialog", "An unexpected error occurred: {part} failed."
        ).format(part=failed)
    )
    if log_path is not None:
        where = QCoreApplication.translate(
            "ErrorDialog", "You can go on working. The details are in the log file:\n{path}"
        )
        box.setInformativeText(where.format(path=log_path))
    else:
        no_log = QCoreApplication.translate(
            "ErrorDialog", "You can go on working. No log file could be written."
        )
        box.setInformativeText(no_log)
    box.setDetailedText(details)
    box.setStandardButtons(QMessageBox.StandardButton.Close)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    return box


class ErrorReporter(QObject):
    """Installs the hooks; made on the GUI thread, so ``raised`` is
    delivered there from any thread."""

    raised = Signal(str, str)

    def __init__(self, log_path: Path | None) -> None:
        super().__init__()
        self.log_path = log_path
        self.dialog: QMessageBox | None = None
        self._handler: logging.Handler | None = None
        self._previous: tuple[Any, Any] = (sys.excepthook, threading.excepthook)
        self.raised.connect(self._show)

    @classmethod
    def start(cls, log_path: Path | None = None) -> ErrorReporter:
        """Log to the window's file (``logs.log_file()`` unless *log_path*
        is given) and install the hooks. A log file that cannot be made does
        not keep the dialog from showing."""
        from ..files.logs import log_file, log_to_file

        path: Path | None = log_path or log_file()
        handler = None
        try:
            handler = log_to_file(path)
        except OSError as exc:
            path = None
            logger.warning("no log file %s: %s", path, exc)  # stderr, by logging's last resort
        reporter = cls(path)
        reporter._handler = handler
        sys.excepthook = reporter._on_exception
        threading.excepthook = reporter._on_thread_exception
        return reporter

    def stop(self) -> None:
        """Put the hooks back and close the log file."""
        from ..files.logs import stop_logging

        if sys.excepthook == self._on_exception:
            sys.excepthook = self._previous[0]
        if threading.excepthook == self._on_thread_exception:
            threading.excepthook = self._previous[1]
        if self._handler is not None:
            stop_logging(self._handler)
            self._handler = None

    def _on_exception(
        self, kind: type[BaseException], value: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            self._previous[0](kind, value, tb)
            return
        self._report(kind, value, tb, "")

    def _on_thread_exception(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:  # as the default hook: a thread that ended itself
            return
        thread = f" (thread {args.thread.name})" if args.thread is not None else ""
        self._report(args.exc_type, args.exc_value, args.exc_traceback, thread)

    def _report(
        self,
        kind: type[BaseException],
        value: BaseException | None,
        tb: TracebackType | None,
        thread: str,
    ) -> None:
        part = failed_part(tb)
        logger.error(
            "unexpected error: %s failed%s",
            *(part, thread),
            exc_info=(kind, value, tb) if value is not None else None,
        )
        try:
            message = str(value) if value is not None else ""
        except Exception:  # a broken __str__ must not end the hook
            message = ""
        self.raised.emit(part, f"{kind.__name__}: {message}" if message else kind.__name__)

    @Slot(str, str)
    def _show(self, part: str, details: str) -> None:
        open_one = self.dialog
        if open_one is not None and shiboken6.isValid(open_one) and open_one.isVisible():
            return  # logged; one dialog at a time
        self.dialog = error_dialog(QApplication.activeWindow(), part, self.log_path, details)
        self.dialog.show()
