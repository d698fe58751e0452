"""Maintaining the directory of operators or workgroups."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..model.problems import AccountInvalid
from ..model.records import DirectoryEntry, DirectoryKind
from ..store import CodeExists, CodeInUse, CodeNotFound
from . import style
from .texts import problem_text

if TYPE_CHECKING:
    from .window_context import GuiContext


class DirectoryDialog(QDialog):
    changed = Signal()
    """The directory was changed (an entry added or removed)."""

    def __init__(self, ctx: GuiContext, kind: DirectoryKind, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.kind = kind
        self.setObjectName(f"{kind}Directory")
        self.setWindowTitle(self.tr("Operators") if kind == "operator" else self.tr("Workgroups"))
        self.table = QTableWidget(0, 2, self)
        self.table.setObjectName("directoryTable")
        self.table.setHorizontalHeaderLabels([self.tr("Code"), self.tr("Name")])
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.code = QLineEdit(self)
        self.code.setObjectName("directoryCode")
        self.code.setMaxLength(20)
        self.code.setAccessibleName(self.tr("Code"))
        self.name = QLineEdit(self)
        self.name.setObjectName("directoryName")
        self.name.setAccessibleName(self.tr("Name"))
        code_label, name_label = QLabel(self.tr("&Code:"), self), QLabel(self.tr("&Name:"), self)
        code_label.setBuddy(self.code)
        name_label.setBuddy(self.name)
        add = self.add_button = QPushButton(self.tr("&Add"), self)
        add.setObjectName("directoryAdd")
        add.clicked.connect(self.add)
        remove = self.remove_button = QPushButton(self.tr("&Remove"), self)
        remove.setObjectName("directoryRemove")
        remove.clicked.connect(self.remove)
        self.message = QLabel(self)
        self.message.setObjectName("directoryMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(style.colour(style.ERROR))
        form = QGridLayout()
        form.addWidget(code_label, 0, 0)
        form.addWidget(self.code, 0, 1)
        form.addWidget(name_label, 1, 0)
        form.addWidget(self.name, 1, 1)
        buttons_row = QHBoxLayout()
        buttons_row.addWidget(add)
        buttons_row.addWidget(remove)
        buttons_row.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Close"))
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(form)
        layout.addLayout(buttons_row)
        layout.addWidget(self.message)
        layout.addWidget(close)
        self.resize(420, 420)
        self.refresh()

    def refresh(self) -> None:
        entries = self.ctx.service.directory(self.kind)
        self.table.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            self.table.setItem(row, 0, QTableWidgetItem(entry.code))
            self.table.setItem(row, 1, QTableWidgetItem(entry.name))

    def add(self) -> None:
        """Checked and written by the service on a worker thread."""
        code, name, kind = self.code.text(), self.name.text(), self.kind

        def added(entry: DirectoryEntry) -> None:
            self.code.clear()
            self.name.clear()
            self._done()

        self._busy(True)
        self.ctx.tasks.run(
            lambda job: job.service.directory_add(kind, code, name), added, self._failed, self
        )

    def remove(self) -> None:
        item = self.table.item(self.table.currentRow(), 0)
        if item is None:
            self.message.setText(self.tr("Select a code to remove."))
            return
        code, kind = item.text(), self.kind
        self._busy(True)
        self.ctx.tasks.run(
            lambda job: job.service.directory_remove(kind, code),
            lambda _: self._done(),
            self._failed,
            self,
        )

    def _busy(self, busy: bool) -> None:
        for button in (self.add_button, self.remove_button):
            button.setEnabled(not busy)

    def _done(self) -> None:
        self._busy(False)
        self.message.clear()
        self.refresh()
        self.changed.emit()

    def _failed(self, error: Exception) -> None:
        self._busy(False)
        self.message.setText(self.error_text(error))
        self.refresh()

    def error_text(self, error: Exception) -> str:
        if isinstance(error, AccountInvalid):
            return "\n".join(problem_text(p) for p in error.problems)
        if isinstance(error, CodeExists):
            return self.tr("{code} is in the list already.").format(code=error.code)
        if isinstance(error, CodeInUse):
            return self.tr(
                "{code} is still assigned to account(s) {numbers}; remove it from them first."
            ).format(code=error.code, numbers=", ".join(error.numbers))
        if isinstance(error, CodeNotFound):
            return self.tr("{code} is not in the list (any more).").format(code=error.code)
        return str(error)
