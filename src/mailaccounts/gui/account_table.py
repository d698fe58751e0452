"""The account list as a Qt model over the store's plain summaries.

Filtering is done here rather than in a QSortFilterProxyModel: one lower-cased
haystack per row and a substring test keep a keystroke over 10,000 accounts
well under a frame, where a proxy would call data() for every cell."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from ..store.records import AccountSummary


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    return text


COLUMNS = (
    QT_TRANSLATE_NOOP("AccountTable", "Number"),
    QT_TRANSLATE_NOOP("AccountTable", "E-mail address"),
    QT_TRANSLATE_NOOP("AccountTable", "Incoming server"),
    QT_TRANSLATE_NOOP("AccountTable", "Outgoing server"),
    QT_TRANSLATE_NOOP("AccountTable", "Operators"),
    QT_TRANSLATE_NOOP("AccountTable", "Type"),
)

Index = QModelIndex | QPersistentModelIndex


class AccountTable(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._all: list[tuple[str, ...]] = []
        self._haystacks: list[str] = []
        self._rows: list[tuple[str, ...]] = []
        self._filter = ""
        self._sort = (0, Qt.SortOrder.AscendingOrder)
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
        column, order = self._sort
        if column != 0 or order != Qt.SortOrder.AscendingOrder:
            rows.sort(
                key=lambda r: r[column].casefold(), reverse=order == Qt.SortOrder.DescendingOrder
            )
        self._rows = rows

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        self._sort = (column, order)
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

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and index.isValid():
            return self._rows[index.row()][index.column()]
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._headers[section]
        return None
