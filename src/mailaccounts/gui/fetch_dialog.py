""" "E-Mails abrufen": fetches the chosen accounts' mail on worker threads
and shows, per account, the messages done of those the server listed and
then the result. Cancel shuts the sockets down, so it takes effect at once;
the window never waits on the network.

One ``fetch_accounts`` call on a thread of the dialog's own (never the shared
task pool, which a long fetch would block) fetches them all, at most
``runner.WORKERS`` at a time; its hooks tell each row when its account starts
and its result as soon as it is known."""

from __future__ import annotations

import contextlib
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..fetch.account_run import FetchResult
from ..files.paths import clock
from ..net.transport import CancelToken
from ..services.fetch_runner import Outcome, fetch_accounts
from . import style
from .tasks import on_gui_thread
from .texts import plain_tooltip, problem_reason, problem_text

if TYPE_CHECKING:
    from ..model.records import AccountSummary
    from .window_context import GuiContext

NUMBER, ADDRESS, MESSAGES, RESULT = range(4)


class FetchDialog(QDialog):
    fetched = Signal(object)
    """Every fetched account's ``Outcome``, in the order of the list."""

    def __init__(
        self,
        ctx: GuiContext,
        accounts: list[AccountSummary],
        parent: QWidget | None = None,
        timeout: float = 30.0,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("fetchDialog")
        self.setWindowTitle(self.tr("Fetch mail"))
        self.ctx = ctx
        self.timeout = timeout
        self.numbers = [a.number for a in accounts if not a.exchange]
        self.results: dict[str, Outcome] = {}
        self.running = False
        self.cancel_token: CancelToken | None = None
        self._progress: dict[str, tuple[int, int]] = {}
        """Number → (messages done, messages listed), written by the workers."""
        self._executor: ThreadPoolExecutor | None = None
        self._close_when_done = False
        self._failures: list[str] = []
        self._first = ""
        """"number: reason" of each account that failed, as they come."""

        self.folder = QLabel(
            self.tr("Into the inboxes under {folder}").format(folder=ctx.app.mail_root), self
        )
        self.folder.setObjectName("fetchFolder")
        self.folder.setTextFormat(Qt.TextFormat.PlainText)
        self.folder.setWordWrap(True)
        self.folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.list = QTreeWidget(self)
        self.list.setObjectName("fetchAccounts")
        self.list.setRootIsDecorated(False)
        self.list.setHeaderLabels(
            [self.tr("Number"), self.tr("E-mail address"), self.tr("Messages"), self.tr("Result")]
        )
        header = self.list.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(MESSAGES, QHeaderView.ResizeMode.Fixed)
        self.list.setColumnWidth(NUMBER, 70)
        self.list.setColumnWidth(ADDRESS, 210)
        self.list.setColumnWidth(MESSAGES, 120)
        self.rows: dict[str, QTreeWidgetItem] = {}
        self.bars: dict[str, QProgressBar] = {}
        for account in accounts:
            self._add_row(account)
        self.summary = QLabel(self)
        self.summary.setObjectName("fetchSummary")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)  # reasons quote what servers sent
        self.summary.setWordWrap(True)
        self.close_button = QPushButton(self.tr("Cancel"), self)
        self.close_button.setObjectName("cancelFetchButton")
        self.close_button.clicked.connect(self._cancel_or_close)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.folder)
        layout.addWidget(self.list)
        layout.addWidget(self.summary)
        layout.addLayout(buttons)
        self._timer = QTimer(self)
        self._timer.setInterval(100)  # progress as it is, ten times a second at most
        self._timer.timeout.connect(self._show_progress)
        self.resize(780, 380)

    def _add_row(self, account: AccountSummary) -> None:
        item = QTreeWidgetItem(self.list, [account.number, account.address, "", ""])
        self.rows[account.number] = item
        bar = QProgressBar(self.list)  # every row has one: rows of one height
        bar.setRange(0, 1)
        bar.setValue(0)
        bar.setTextVisible(False)
        self.bars[account.number] = bar
        self.list.setItemWidget(item, MESSAGES, bar)
        if account.exchange:
            bar.setEnabled(False)
            bar.setFormat("–")
            bar.setTextVisible(True)
            reason = problem_text("exchange_not_fetched", {})
            item.setText(RESULT, self.tr("not fetched: {reason}").format(reason=reason))
        else:
            item.setText(RESULT, self.tr("waiting…"))

    # -- running --------------------------------------------------------------

    def start(self) -> None:
        if self.running:
            return
        if not self.numbers:
            self.summary.setText(self.tr("None of these accounts is fetched over POP3."))
            self.close_button.setText(self.tr("Close"))
            return
        self.summary.setStyleSheet("")
        self._failures.clear()
        self._show_summary(self.tr("Fetching…"))
        self.close_button.setText(self.tr("Cancel"))
        self.running = True
        token = self.cancel_token = CancelToken()
        app, timeout, progress_of = self.ctx.app, self.timeout, self._progress
        numbers = self.numbers
        mail_root, now = app.mail_root, clock()

        def progress(number: str, done: int, total: int) -> None:
            progress_of[number] = (done, total)  # shown by the timer

        started = on_gui_thread(self, self._started)
        finished = on_gui_thread(self, self._finished_one)

        def run() -> None:
            # an account not started before Cancel comes back cancelled, without starting;
            # an exception (e.g. the store could not be opened) is its account's outcome
            with contextlib.suppress(Exception):  # and raised again once all have ended
                fetch_accounts(
                    numbers,
                    app.open_service,
                    mail_root,
                    now,
                    cancel=token,
                    progress=progress,
                    timeout=timeout,
                    on_start=started,
                    on_result=finished,
                )

        executor = ThreadPoolExecutor(1, "fetch")
        executor.submit(run)
        executor.shutdown(wait=False)  # its thread ends with the last account
        self._executor = executor
        self._timer.start()

    @Slot(str)
    def _started(self, number: str) -> None:
        self.rows[number].setText(RESULT, self.tr("fetching…"))
        self.bars[number].setRange(0, 0)  # busy until the server has listed its messages

    def _show_progress(self) -> None:
        for number, (done, total) in list(self._progress.items()):
            bar = self.bars[number]
            if bar.maximum() != total or bar.value() != done:
                bar.setRange(0, total)
                bar.setValue(done)
                bar.setFormat(self.tr("%v of %m"))
                bar.setTextVisible(True)

    @Slot(str, object)
    def _finished_one(self, number: str, result: Outcome) -> None:
        self.results[number] = result
        self._show_progress()
        item, bar = self.rows[number], self.bars[number]
        if number not in self._progress:  # no message was fetched
            bar.setRange(0, 1)
            ok = isinstance(result, FetchResult) and result.ok
            bar.setValue(1 if ok else 0)
            bar.setFormat(self.tr("none") if ok else "–")
            bar.setTextVisible(True)
        text, details, failure = self._describe(result)
        item.setText(RESULT, text)
        item.setToolTip(RESULT, plain_tooltip(details))
        if failure is not None:
            item.setForeground(RESULT, QColor(style.ERROR))
            self._failures.append(f"{number}: {failure}")
            self._show_summary()
        if len(self.results) == len(self.numbers):
            self._finish()

    def _show_summary(self, first: str | None = None) -> None:
        """*first* (or the first line as it was), then why each account that
        failed did."""
        if first is not None:
            self._first = first
        self.summary.setText("\n".join([self._first, *self._failures]))

    def _describe(self, result: Outcome) -> tuple[str, str, str | None]:
        """The result column's text, its tooltip, and why it failed (None:
        it did not)."""
        if isinstance(result, Exception):
            reason = str(result)
            return self.tr("failed: {reason}").format(reason=reason), reason, reason
        code = (result.problem or {}).get("code")
        if code == "cancelled":
            text = problem_text("cancelled", {})
            return text, text, None
        if result.problem is not None:
            reason = problem_reason(result.problem)
            return self.tr("failed: {reason}").format(reason=reason), reason, reason
        text = self.tr("ok, %n new", "", result.fetched)
        details = self.tr(
            "{fetched} new, {copies} copies into the inboxes, {removed} removed from the "
            "server, in {seconds} s"
        ).format(
            fetched=result.fetched,
            copies=result.copies,
            removed=result.removed_from_server,
            seconds=f"{result.seconds:.1f}",
        )
        return text, details, None

    def _finish(self) -> None:
        self.running = False
        self._timer.stop()
        self._executor = None
        outcomes = [self.results[number] for number in self.numbers]
        done = [r for r in outcomes if isinstance(r, FetchResult)]
        new = sum(r.fetched for r in done)
        cancelled = sum((r.problem or {}).get("code") == "cancelled" for r in done)
        failed = len(self._failures)
        first = self.tr("%n new message(s) fetched.", "", new)
        if cancelled:
            first += " " + self.tr("Cancelled; what was fetched until then is in the inboxes.")
        if failed:
            first += "\n" + self.tr("%n account(s) failed:", "", failed)
        self._show_summary(first)
        if failed:
            self.summary.setStyleSheet(style.colour(style.ERROR))
        elif not cancelled:
            self.summary.setStyleSheet(style.colour(style.OK))
        self.close_button.setText(self.tr("Close"))
        self.fetched.emit(outcomes)
        if self._close_when_done:
            self.accept()

    # -- buttons --------------------------------------------------------------

    def cancel(self) -> None:
        if self.running and self.cancel_token is not None:
            self.cancel_token.cancel()
            self.summary.setStyleSheet("")
            self._show_summary(self.tr("Cancelling…"))

    def _cancel_or_close(self) -> None:
        if self.running:
            self.cancel()
        else:
            self.accept()

    def reject(self) -> None:  # Esc, the window's close button
        if self.running:  # ends within a second; the list then shows what was fetched
            self._close_when_done = True
            self.cancel()
            return
        super().reject()

    def stop(self) -> None:
        """Cancel a running fetch and wait until its workers have ended (the
        program is closing)."""
        executor = self._executor
        self.cancel()
        if executor is not None:
            executor.shutdown(wait=True)
