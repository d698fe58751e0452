"""Picks operators or workgroups from the directory: search, multi-select."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..model.records import DirectoryEntry
from .layout import ok_cancel_buttons


class CodePicker(QDialog):
    def __init__(
        self,
        title: str,
        entries: list[DirectoryEntry],
        selected: list[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("codePicker")
        self.setWindowTitle(title)
        self._selected_first = list(selected)
        self.search = QLineEdit(self)
        self.search.setObjectName("pickerSearch")
        self.search.setPlaceholderText(self.tr("Search code or name"))
        self.search.setAccessibleName(self.tr("Search"))
        self.search.setClearButtonEnabled(True)
        label = QLabel(self.tr("&Search:"), self)
        label.setBuddy(self.search)
        self.list = QListWidget(self)
        self.list.setObjectName("pickerList")
        self.list.setAccessibleName(title)
        chosen = {code.casefold() for code in selected}
        for entry in entries:
            text = f"{entry.code} – {entry.name}" if entry.name else entry.code
            item = QListWidgetItem(text, self.list)
            item.setData(Qt.ItemDataRole.UserRole, entry.code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = entry.code.casefold() in chosen
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.search.textChanged.connect(self._filter)
        buttons = ok_cancel_buttons(self)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.search)
        layout.addWidget(self.list)
        layout.addWidget(buttons)
        self.resize(360, 400)

    def _filter(self, text: str) -> None:
        needle = text.casefold().strip()
        for row in range(self.list.count()):
            item = self.list.item(row)
            item.setHidden(bool(needle) and needle not in item.text().casefold())

    def codes(self) -> list[str]:
        """The checked codes as the directory spells them: those chosen
        before keep their order, new ones follow."""
        checked = [
            str(self.list.item(row).data(Qt.ItemDataRole.UserRole))
            for row in range(self.list.count())
            if self.list.item(row).checkState() == Qt.CheckState.Checked
        ]
        spelled = {code.casefold(): code for code in checked}
        before = dict.fromkeys(code.casefold() for code in self._selected_first)
        kept = [spelled[key] for key in before if key in spelled]
        return kept + [code for code in checked if code not in kept]
