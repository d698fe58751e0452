"""What the dialogs that run one piece of work while they show its steps
(the connection test, the lookup of settings, "Fetch now") have in common.

The work runs on the task runner's lane for work that waits on a server.
The dialog's button says Cancel while it runs and Close once it has ended;
Cancel (and Esc) cancel the work through its token, which shuts its sockets
down, so it ends at once. Closing the dialog cancels the work too: a dialog
whose work must show what it did (``finishes_before_closing``) stays until
the work has ended and then accepts; any other closes at once and hears no
more of its work."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QDialog, QLabel, QPushButton, QTreeWidget, QWidget

if TYPE_CHECKING:
    from .tasks import Job, Running
    from .window_context import GuiContext

T = TypeVar("T")
P = TypeVar("P")


def _cancel_text() -> str:
    return QCoreApplication.translate("RunningDialog", "Cancel")


def _close_text() -> str:
    return QCoreApplication.translate("RunningDialog", "Close")


class RunningDialog(QDialog):
    finishes_before_closing = False
    """Esc and the window's close button, while the work runs: True — cancel
    it, and accept once it has ended; False — cancel it and close at once."""

    def __init__(
        self, ctx: GuiContext, name: str, close_button: str, parent: QWidget | None = None
    ) -> None:
        """*name*, *close_button*: the objectNames of the dialog and of its
        Cancel/Close button."""
        super().__init__(parent)
        self.setObjectName(name)
        self.ctx = ctx
        self.running = False
        self.task: Running | None = None
        self._close_when_done = False
        self._run = 0
        """Which run of the work the dialog listens to: closed while it runs,
        the dialog moves on, and what that run still sends is not shown."""
        self.close_button = QPushButton(_cancel_text(), self)
        self.close_button.setObjectName(close_button)
        self.close_button.clicked.connect(self._cancel_or_close)

    # -- building -----------------------------------------------------------------

    def steps_view(self, name: str, headers: list[str]) -> QTreeWidget:
        """The list of the work's steps (or accounts), a row each."""
        view = QTreeWidget(self)
        view.setObjectName(name)
        view.setRootIsDecorated(False)
        view.setHeaderLabels(headers)
        return view

    def text_label(self, name: str, selectable: bool = True) -> QLabel:
        """A label for what servers sent: plain text, wrapped."""
        label = QLabel(self)
        label.setObjectName(name)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setWordWrap(True)
        if selectable:
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    # -- running ------------------------------------------------------------------

    def start(self) -> None:
        """Start the dialog's work (``run_work``); each dialog says which."""
        raise NotImplementedError

    def run_work(
        self,
        work: Callable[[Job[P]], T],
        progress: Callable[[Sequence[P]], None],
        done: Callable[[T], None],
        failed: Callable[[Exception], None],
        progress_interval: float = 0.0,
        name: str | None = None,
    ) -> None:
        """Run *work*; *progress*, then *done* or *failed*, on the GUI thread.
        *name*: its thread's, while it runs."""
        self.running = True
        self._run += 1
        self.close_button.setText(_cancel_text())
        self.task = self.ctx.tasks.run(
            work,
            self._ending(done),
            self._ending(failed),
            self,
            progress=self._of_this_run(progress),
            progress_interval=progress_interval,
            waits=True,
            name=name,
        )

    def _of_this_run(self, slot: Callable[[T], None]) -> Callable[[T], None]:
        run = self._run

        def deliver(value: T) -> None:
            if run == self._run:
                slot(value)

        return deliver

    def _ending(self, slot: Callable[[T], None]) -> Callable[[T], None]:
        run = self._run

        def deliver(value: T) -> None:
            if run != self._run:
                return
            self.running = False
            self.task = None
            self.show_idle()
            slot(value)
            if self._close_when_done:
                self.accept()

        return deliver

    def show_idle(self) -> None:
        """The button once nothing runs."""
        self.close_button.setText(_close_text())

    def cancelling(self) -> None:
        """What the dialog shows once Cancel was clicked (nothing here)."""

    def close_idle(self) -> None:
        """The Close button, once nothing runs."""
        self.accept()

    # -- buttons ------------------------------------------------------------------

    def cancel(self) -> None:
        if self.running and self.task is not None:
            self.task.cancel()
            self.cancelling()

    def _cancel_or_close(self) -> None:
        if self.running:
            self.cancel()
        else:
            self.close_idle()

    def reject(self) -> None:  # Esc, the window's close button
        if self.running:
            self.cancel()
            if self.finishes_before_closing:
                self._close_when_done = True
                return
            self._run += 1
            self.running, self.task = False, None
            self.show_idle()
        super().reject()

    def stop(self) -> None:
        """Cancel the work and wait until its thread is done with it (the
        program is closing)."""
        task = self.task
        self.cancel()
        if task is not None:
            task.wait()
