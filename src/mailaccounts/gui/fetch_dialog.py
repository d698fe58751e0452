""" "E-Mails abrufen": fetches the chosen accounts' mail on worker threads
and shows, per account, the messages done of those the server listed and
then the result. Cancel shuts the sockets down, so it takes effect at once;
the window never waits on the network.

One ``fetch_accounts`` call on the task runner's lane for work that waits
(never the quick one, which a long fetch would block) fetches them all, at
most ``runner.WORKERS`` at a time; its hooks tell each row when its account
starts, the messages done, and its result as soon as it is known."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QProgressBar,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..fetch.account_run import FetchResult
from ..files.paths import clock
from ..model.problems import Problem
from ..services.fetch_runner import Outcome, fetch_accounts
from . import style
from .running_dialog import RunningDialog
from .texts import plain_tooltip, problem_text

if TYPE_CHECKING:
    from ..model.records import AccountSummary
    from .tasks import Job
    from .window_context import GuiContext

NUMBER, ADDRESS, MESSAGES, RESULT = range(4)
PROGRESS_INTERVAL = 0.1
"""Seconds between two updates of the rows: ten times a second at most."""


class Started(NamedTuple):
    number: str


class Messages(NamedTuple):
    number: str
    done: int
    total: int


class Finished(NamedTuple):
    number: str
    outcome: Outcome


FetchEvent = Started | Messages | Finished
"""What the fetch tells the dialog about an account while it runs."""


class FetchDialog(RunningDialog):
    finishes_before_closing = True  # the list then shows what was fetched
    fetched = Signal(object)
    """Every fetched account's ``Outcome``, in the order of the list."""

    def __init__(
        self,
        ctx: GuiContext,
        accounts: list[AccountSummary],
        parent: QWidget | None = None,
        timeout: float = 30.0,
    ) -> None:
        super().__init__(ctx, "fetchDialog", "cancelFetchButton", parent)
        self.setWindowTitle(self.tr("Fetch mail"))
        self.timeout = timeout
        self.numbers = [a.number for a in accounts if not a.exchange]
        self.results: dict[str, Outcome] = {}
        self._progress: dict[str, tuple[int, int]] = {}
        """Number → (messages done, messages listed), as last reported."""
        self._failures: list[str] = []
        self._first = ""
        """"number: reason" of each account that failed, as they come."""

        self.folder = self.text_label("fetchFolder")
        self.folder.setText(
            self.tr("Into the inboxes under {folder}").format(folder=ctx.app.mail_root)
        )
        self.list = self.steps_view(
            "fetchAccounts",
            [self.tr("Number"), self.tr("E-mail address"), self.tr("Messages"), self.tr("Result")],
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
        self.summary = self.text_label("fetchSummary", selectable=False)  # reasons quote servers
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.folder)
        layout.addWidget(self.list)
        layout.addWidget(self.summary)
        layout.addLayout(buttons)
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
            reason = problem_text(Problem("exchange_not_fetched"))
            item.setText(RESULT, self.tr("not fetched: {reason}").format(reason=reason))
        else:
            item.setText(RESULT, self.tr("waiting…"))

    # -- running --------------------------------------------------------------

    def start(self) -> None:
        if self.running:
            return
        if not self.numbers:
            self.summary.setText(self.tr("None of these accounts is fetched over POP3."))
            self.show_idle()
            return
        self.summary.setStyleSheet("")
        self._failures.clear()
        self._show_summary(self.tr("Fetching…"))
        app, timeout, numbers = self.ctx.app, self.timeout, self.numbers
        mail_root, now = app.mail_root, clock()

        def work(job: Job[FetchEvent]) -> None:
            # an account not started before Cancel comes back cancelled, without starting;
            # an exception (e.g. the store could not be opened) is its account's outcome
            with contextlib.suppress(Exception):  # and raised again once all have ended
                fetch_accounts(
                    numbers,
                    app.open_service,
                    mail_root,
                    now,
                    cancel=job.cancel,
                    progress=lambda number, done, total: job.progress(
                        Messages(number, done, total)
                    ),
                    timeout=timeout,
                    on_start=lambda number: job.progress(Started(number)),
                    on_result=lambda number, outcome: job.progress(Finished(number, outcome)),
                )

        self.run_work(
            work, self._show_events, self._finish, self._finish, PROGRESS_INTERVAL, name="fetch"
        )

    def _show_events(self, events: Sequence[FetchEvent]) -> None:
        for event in events:
            if isinstance(event, Started):
                self._started(event.number)
            elif isinstance(event, Messages):
                self._progress[event.number] = (event.done, event.total)
            else:
                self._finished_one(event.number, event.outcome)
        self._show_progress()

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
        if result.problem is not None and result.problem.code == "cancelled":
            text = problem_text(result.problem)
            return text, text, None
        if result.problem is not None:
            reason = problem_text(result.problem)
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

    def _finish(self, _: object = None) -> None:
        """Every account has its outcome: the work has ended."""
        outcomes = [self.results[number] for number in self.numbers]
        done = [r for r in outcomes if isinstance(r, FetchResult)]
        new = sum(r.fetched for r in done)
        cancelled = sum(r.problem is not None and r.problem.code == "cancelled" for r in done)
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
        self.fetched.emit(outcomes)

    # -- buttons --------------------------------------------------------------

    def cancelling(self) -> None:  # the fetch ends within a second
        self.summary.setStyleSheet("")
        self._show_summary(self.tr("Cancelling…"))
