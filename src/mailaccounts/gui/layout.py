"""Laying bound fields out in a grid: label | input, the problem text under
the input (and under a host name its ASCII form, when it differs);
checkboxes sit in the input column."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QGridLayout, QLabel, QWidget

from .binding import Binding

QWIDGETSIZE_MAX = (1 << 24) - 1


def add_rows(grid: QGridLayout, bindings: list[Binding[Any]]) -> None:
    grid.setColumnStretch(1, 1)
    row = grid.rowCount()
    for binding in bindings:
        if binding.label is not None:
            grid.addWidget(binding.label, row, 0)
        if binding.widget.maximumWidth() < QWIDGETSIZE_MAX:
            # left in its cell, so that it does not cap the column's width (a
            # box of checkboxes and a spin box would widen its labels instead)
            grid.addWidget(binding.widget, row, 1, Qt.AlignmentFlag.AlignLeft)
        else:
            grid.addWidget(binding.widget, row, 1)
        grid.addWidget(binding.error, row + 1, 1)
        row += 2
        if binding.hint is not None:
            grid.addWidget(binding.hint, row, 1)
            row += 1


def align_label_columns(boxes: Sequence[QWidget]) -> None:
    """Give the label column of stacked group boxes one width, so their inputs line up."""
    grids = [box.layout() for box in boxes]
    width = max(
        (
            label.sizeHint().width()
            for box in boxes
            for label in box.findChildren(QLabel)
            if label.buddy() is not None
        ),
        default=0,
    )
    for grid in grids:
        if isinstance(grid, QGridLayout):
            grid.setColumnMinimumWidth(0, width)


def ok_cancel_buttons(dialog: QDialog) -> QDialogButtonBox:
    """OK and Cancel, wired to accept and reject."""
    standard = QDialogButtonBox.StandardButton
    buttons = QDialogButtonBox(standard.Ok | standard.Cancel, dialog)
    buttons.button(standard.Ok).setText(QCoreApplication.translate("Buttons", "OK"))
    buttons.button(standard.Cancel).setText(QCoreApplication.translate("Buttons", "Cancel"))
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons
