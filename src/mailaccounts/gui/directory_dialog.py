"""Maintaining the directory of operators or workgroups."""

from __future__ import annotations

from typing import TYPE_CHECKING

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

from ..model.messages import format_problem
from ..model.problems import AccountInvalid
from ..store import DirectoryKind, StoreError

if TYPE_CHECKING:
    from .context import GuiContext


class DirectoryDialog(QDialog):
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
        add = QPushButton(self.tr("&Add"), self)
        add.setObjectName("directoryAdd")
        add.clicked.connect(self.add)
        remove = QPushButton(self.tr("&Remove"), self)
        remove.setObjectName("directoryRemove")
        remove.clicked.connect(self.remove)
        self.message = QLabel(self)
        self.message.setObjectName("directoryMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
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
        entries = self.ctx.store.directory(self.kind)
        self.table.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            self.table.setItem(row, 0, QTableWidgetItem(entry.code))
            self.table.setItem(row, 1, QTableWidgetItem(entry.name))

    def add(self) -> None:
        from pydantic import ValidationError

        from ..model.account import DirectoryEntryIn
        from ..model.validation import problems_from_pydantic

        try:
            entry = DirectoryEntryIn.model_validate(
                {"code": self.code.text(), "name": self.name.text()}
            )
            self.ctx.store.directory_add(self.kind, entry.code, entry.name)
        except ValidationError as exc:
            self.message.setText("\n".join(map(format_problem, problems_from_pydantic(exc))))
            return
        except (StoreError, AccountInvalid) as exc:
            self.message.setText(str(exc))
            return
        self.message.clear()
        self.code.clear()
        self.name.clear()
        self.refresh()

    def remove(self) -> None:
        item = self.table.item(self.table.currentRow(), 0)
        if item is None:
            self.message.setText(self.tr("Select a code to remove."))
            return
        try:
            self.ctx.store.directory_remove(self.kind, item.text())
        except StoreError as exc:
            self.message.setText(str(exc))
            return
        self.message.clear()
        self.refresh()
