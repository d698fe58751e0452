"""The account list as a Qt model over the store's plain summaries.

Filtering is done here rather than in a QSortFilterProxyModel: one lower-cased
haystack per row and a substring test keep a keystroke over 10,000 accounts
well under a frame, where a proxy would call data() for every cell.

This module is on the start-up path and keeps ``PySide6.QtCore.Qt`` off it
(docs/architecture.md, "Start-up"): roles are compared as the ints they
arrive as (a test holds the constants below to Qt's values), and the column
titles live in a small C++ model for the header (``header_model``) instead
of a Python ``headerData``, which Qt would call with a ``Qt.Orientation``
while the view is being set up.

The rows are the store's summaries themselves, not copies. The "Last fetch"
column comes with them (one query) but is worded only when a cell shows it,
or when the filter or a sort on it needs every row's text; an account that
never fetched costs nothing."""

from __future__ import annotations

import time
from collections.abc import Mapping
from datetime import datetime  # loaded with sqlite3 already
from itertools import repeat
from typing import TYPE_CHECKING, Any, Final

from PySide6 import QtGui, QtWidgets
from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
)
from PySide6.QtGui import QStandardItemModel

from ..model.problems import Problem
from ..model.records import AccountSummary
from ..model.translatable import QT_TRANSLATE_NOOP
from . import style

if TYPE_CHECKING:
    from ..model.providers import PasswordNotice

COLUMNS = (
    QT_TRANSLATE_NOOP("AccountTable", "Number"),
    QT_TRANSLATE_NOOP("AccountTable", "E-mail address"),
    QT_TRANSLATE_NOOP("AccountTable", "Incoming server"),
    QT_TRANSLATE_NOOP("AccountTable", "Outgoing server"),
    QT_TRANSLATE_NOOP("AccountTable", "Operators"),
    QT_TRANSLATE_NOOP("AccountTable", "Type"),
    QT_TRANSLATE_NOOP("AccountTable", "Last fetch"),
)
FIELDS = (0, 1, 3, 4, 5)
"""The summary's field shown in each of the first columns."""
SERVERS: Final = (2, 3)
"""The "Incoming server" and "Outgoing server" columns."""
SERVER_OF_COLUMN: Final = {2: "pop3", 3: "smtp"}
"""Which server's notices (``PasswordNotice.server``) each of them shows."""
TYPE: Final = 5
RESULT: Final = 6
"""The "Last fetch" column."""
NEVER = "–"

Index = QModelIndex | QPersistentModelIndex
DISPLAY_ROLE = 0  # Qt.ItemDataRole.DisplayRole
DECORATION_ROLE = 1  # Qt.ItemDataRole.DecorationRole
TOOLTIP_ROLE = 3  # Qt.ItemDataRole.ToolTipRole
FOREGROUND_ROLE = 9  # Qt.ItemDataRole.ForegroundRole
DESCENDING = 1  # Qt.SortOrder.DescendingOrder


def local_time(iso: str) -> datetime | None:
    """An ISO 8601 time as local time; a time without offset is taken as local."""
    try:
        at = datetime.fromisoformat(iso)
    except ValueError:
        return None
    return at.astimezone() if at.tzinfo is not None else at


class AccountTable(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._all: list[AccountSummary] = []
        self._haystacks: list[str] | None = None
        """Per row its texts, lower-cased: made for the first filter."""
        self._results: dict[str, str] = {}
        """Number → the "Last fetch" text, once worded."""
        self._rows: list[AccountSummary] = []
        self._filter = ""
        self._sort = (0, False)  # column, descending
        self._year = 0
        """This year, for wording times of fetches: when first needed."""
        self._failed_colour: Any = None
        self._notices: Mapping[str, list[PasswordNotice]] = {}
        """Number → server column → what the provider stops (see
        ``set_password_notices``); empty until known."""
        self._warning_icon: Any = None
        self._headers = [QCoreApplication.translate("AccountTable", c) for c in COLUMNS]
        self._types = (
            QCoreApplication.translate("AccountTable", "POP3"),
            QCoreApplication.translate("AccountTable", "Exchange"),
        )

    def set_accounts(self, summaries: list[AccountSummary]) -> None:
        self.beginResetModel()
        self._all = summaries
        self._haystacks = None
        self._results = {}
        self._notices = {}
        self._apply()
        self.endResetModel()

    def set_filter(self, text: str) -> None:
        needle = text.strip().casefold()
        if needle == self._filter:
            return
        self.beginResetModel()
        self._filter = needle
        self._apply()
        self.endResetModel()

    def _apply(self) -> None:
        needle = self._filter
        if needle:
            if self._haystacks is None:
                self._haystacks = [
                    "\t".join(map(self._text, repeat(row), range(len(COLUMNS)))).casefold()
                    for row in self._all
                ]
            rows = [
                row for row, hay in zip(self._all, self._haystacks, strict=True) if needle in hay
            ]
        else:
            rows = list(self._all)
        column, descending = self._sort
        if column != 0 or descending:  # the store delivers them by number
            text = self._text
            rows.sort(key=lambda r: text(r, column).casefold(), reverse=descending)
        self._rows = rows

    def _text(self, row: AccountSummary, column: int) -> str:
        if column < TYPE:
            return row[FIELDS[column]]  # type: ignore[return-value]
        return self._types[row.exchange] if column == TYPE else self._result(row)

    # -- the "Last fetch" column ------------------------------------------------
    # Worded here rather than in a module of its own: a module imported after
    # PySide costs a read of its source (PySide's feature check), which the
    # first paint would pay.

    def _result(self, summary: AccountSummary) -> str:
        """The "Last fetch" text of an account, worded when first asked for."""
        if summary.last_fetch is None and summary.fetch_on:
            return NEVER
        text = self._results.get(summary.number)
        if text is None:
            text = self._results[summary.number] = self._word(summary)
        return text

    def _word(self, summary: AccountSummary) -> str:
        """``ok, 12 new · 28.11. 14:05``, ``failed: <reason>``, ``off: 10 failed runs``,
        ``off`` (switched off by an admin)."""
        if summary.exchange:  # not fetched over POP3, whatever a run recorded
            return NEVER
        if summary.fetch_disabled is not None:
            return self.tr("off: %n failed run(s)", "", summary.fetch_disabled)
        problem = summary.problem_of()
        if not summary.fetch_on:  # by an admin: a run started by hand may still have failed
            if problem is None:
                return self.tr("off")
            return self.tr("off · failed: {reason}").format(reason=_problem_text(problem))
        last_fetch = summary.last_fetch
        assert last_fetch is not None  # see _result
        if problem is not None:
            return self.tr("failed: {reason}").format(reason=_problem_text(problem))
        if not self._year:
            self._year = time.localtime().tm_year
        ok = self.tr("ok, %n new", "", summary.fetched or 0)
        return f"{ok} · {self._when(last_fetch, self._year)}"

    def _when(self, iso: str, this_year: int = 0) -> str:
        """``28.11. 14:05`` in this year, else ``28.11.2025 14:05``; with
        seconds and the year when *this_year* is 0."""
        at = local_time(iso)
        if at is None:
            return iso
        day, month, clock = f"{at.day:02}", f"{at.month:02}", f"{at.hour:02}:{at.minute:02}"
        if at.year == this_year:
            return self.tr("{day}.{month}. {time}").format(day=day, month=month, time=clock)
        if not this_year:
            clock += f":{at.second:02}"
        return self.tr("{day}.{month}.{year} {time}").format(
            day=day, month=month, year=at.year, time=clock
        )

    def _details(self, summary: AccountSummary) -> str:
        """The tooltip of the "Last fetch" cell, as plain text."""
        if summary.exchange:
            return _problem_text(Problem("exchange_not_fetched"))
        if summary.last_fetch is None:
            lines = [self.tr("Not fetched yet.")]
        else:
            lines = [self.tr("Last fetch: {when}").format(when=self._when(summary.last_fetch))]
            problem = summary.problem_of()
            if problem is None:
                lines.append(self.tr("ok, %n new", "", summary.fetched or 0))
            else:
                lines.append(self.tr("failed: {reason}").format(reason=_problem_text(problem)))
                failures = summary.fetch_failures or 0
                if failures > 1:
                    lines.append(self.tr("%n failed run(s) in a row", "", failures))
        if summary.fetch_disabled is not None:
            lines.append(
                self.tr(
                    "Scheduled fetching was switched off after %n failed run(s) in a row. "
                    "Switch it on again on the account's Fetching card.",
                    "",
                    summary.fetch_disabled,
                )
            )
        elif not summary.fetch_on:
            lines.append(
                self.tr(
                    "Scheduled fetching is switched off. Switch it on again on the "
                    "account's Fetching card."
                )
            )
        return "\n".join(lines)

    def _result_role(self, summary: AccountSummary, role: int) -> Any:
        if role == TOOLTIP_ROLE:
            return _plain_tooltip(self._details(summary))
        failed = summary.fetch_problem is not None or summary.fetch_disabled is not None
        if summary.exchange or not failed:  # never fetched, or the last run went well
            return None
        if self._failed_colour is None:
            self._failed_colour = QtGui.QColor(style.ERROR)
        return self._failed_colour

    # -- servers at providers that stop password login ------------------------

    def set_password_notices(self, notices: Mapping[str, list[PasswordNotice]]) -> None:
        """Mark the server cells of accounts that log in with a password at a
        provider that stops that: number → the notices (worded when a cell
        shows them). Known after the first paint (the account's data is read
        for it)."""
        self._notices = notices
        if self._rows:
            first, last = SERVERS[0], SERVERS[-1]
            self.dataChanged.emit(
                self.index(0, first), self.index(len(self._rows) - 1, last), [DECORATION_ROLE]
            )

    def accounts(self) -> list[AccountSummary]:
        """The summaries as the store delivered them (every row, unfiltered)."""
        return self._all

    def _notice_role(self, summary: AccountSummary, column: int, role: int) -> Any:
        server = SERVER_OF_COLUMN[column]
        notices = [n for n in self._notices.get(summary.number, []) if n.server == server]
        if not notices:
            return None
        if role == TOOLTIP_ROLE:
            lines = [_problem_text(n.problem) for n in notices]
            hint = self.tr("Open the account to switch it to OAuth2.")
            return _plain_tooltip("\n".join([*lines, hint]))
        if self._warning_icon is None:
            icon = QtWidgets.QStyle.StandardPixmap.SP_MessageBoxWarning
            self._warning_icon = QtWidgets.QApplication.style().standardIcon(icon)
        return self._warning_icon

    def sort(self, column: int, order: Any = None) -> None:
        self.layoutAboutToBeChanged.emit()
        self._sort = (column, order is not None and order.value == DESCENDING)
        self._apply()
        self.layoutChanged.emit()

    def number_at(self, row: int) -> str:
        return self._rows[row][0]

    def summary_at(self, row: int) -> AccountSummary:
        return self._rows[row]

    def row_of(self, number: str) -> int:
        for row, values in enumerate(self._rows):
            if values[0] == number:
                return row
        return -1

    @property
    def total(self) -> int:
        return len(self._all)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = DISPLAY_ROLE) -> Any:
        # called for every role of every visible cell on each paint: keep it short
        if role == DISPLAY_ROLE:
            column = index.column()
            row = self._rows[index.row()]
            if column < TYPE:
                return row[FIELDS[column]]
            return self._types[row.exchange] if column == TYPE else self._result(row)
        if role in (FOREGROUND_ROLE, TOOLTIP_ROLE) and index.column() == RESULT:
            return self._result_role(self._rows[index.row()], role)
        if self._notices and role in (DECORATION_ROLE, TOOLTIP_ROLE) and index.column() in SERVERS:
            return self._notice_role(self._rows[index.row()], index.column(), role)
        return None

    def header_model(self, parent: QObject) -> QStandardItemModel:
        """The column titles, for ``view.horizontalHeader().setModel``."""
        titles = QStandardItemModel(0, len(COLUMNS), parent)
        titles.setHorizontalHeaderLabels(self._headers)
        return titles


# The window's wording of problems and tooltips loads when a cell first shows
# a failure or a tooltip, not on the way to a plain list (docs/architecture.md,
# "Start-up").
def _problem_text(problem: Problem) -> str:
    from .texts import problem_text

    return problem_text(problem)


def _plain_tooltip(text: str) -> str:
    from .texts import plain_tooltip

    return plain_tooltip(text)
