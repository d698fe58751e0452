"""The account list as a Qt model over the store's plain summaries.

Filtering is done here rather than in a QSortFilterProxyModel: one lower-cased
haystack per row and a substring test keep a keystroke over 10,000 accounts
well under a frame, where a proxy would call data() for every cell.

This module is on the start-up path and keeps ``PySide6.QtCore.Qt`` off it:
the first time that namespace reaches Python, PySide builds all its enums
(≈ 45 ms here, a sixth of a bare PySide6 start). So roles are compared as the
ints they arrive as, and the column titles live in a small C++ model for the
header (``header_model``) instead of a Python ``headerData``, which Qt would
call with a ``Qt.Orientation`` while the view is being set up."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
)
from PySide6.QtGui import QStandardItemModel

from ..records import AccountSummary
from ..translatable import QT_TRANSLATE_NOOP

COLUMNS = (
    QT_TRANSLATE_NOOP("AccountTable", "Number"),
    QT_TRANSLATE_NOOP("AccountTable", "E-mail address"),
    QT_TRANSLATE_NOOP("AccountTable", "Incoming server"),
    QT_TRANSLATE_NOOP("AccountTable", "Outgoing server"),
    QT_TRANSLATE_NOOP("AccountTable", "Operators"),
    QT_TRANSLATE_NOOP("AccountTable", "Type"),
)

Index = QModelIndex | QPersistentModelIndex
DISPLAY_ROLE = 0  # Qt.ItemDataRole.DisplayRole
DESCENDING = 1  # Qt.SortOrder.DescendingOrder


class AccountTable(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._all: list[tuple[str, ...]] = []
        self._haystacks: list[str] = []
        self._rows: list[tuple[str, ...]] = []
        self._filter = ""
        self._sort = (0, False)  # column, descending
        self._headers = [QCoreApplication.translate("AccountTable", c) for c in COLUMNS]
        self._types = (
            QCoreApplication.translate("AccountTable", "POP3"),
            QCoreApplication.translate("AccountTable", "Exchange"),
        )

    def set_accounts(self, summaries: list[AccountSummary]) -> None:
        self.beginResetModel()
        self._all = [
            (s.number, s.address, s.incoming, s.outgoing, s.operators, self._types[s.exchange])
            for s in summaries
        ]
        self._haystacks = ["\t".join(row).casefold() for row in self._all]
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
            rows = [
                row for row, hay in zip(self._all, self._haystacks, strict=True) if needle in hay
            ]
        else:
            rows = list(self._all)
        column, descending = self._sort
        if column != 0 or descending:  # the store delivers them by number
            rows.sort(key=lambda r: r[column].casefold(), reverse=descending)
        self._rows = rows

    def sort(self, column: int, order: Any = None) -> None:
        self.layoutAboutToBeChanged.emit()
        self._sort = (column, order is not None and order.value == DESCENDING)
        self._apply()
        self.layoutChanged.emit()

    def number_at(self, row: int) -> str:
        return self._rows[row][0]

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
            return self._rows[index.row()][index.column()]
        return None

    def header_model(self, parent: QObject) -> QStandardItemModel:
        """The column titles, for ``view.horizontalHeader().setModel``."""
        titles = QStandardItemModel(0, len(COLUMNS), parent)
        titles.setHorizontalHeaderLabels(self._headers)
        return titles
