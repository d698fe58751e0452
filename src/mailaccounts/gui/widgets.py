"""Small input widgets the form needs beyond Qt's own."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QStringListModel, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLineEdit,
    QWidget,
)

from ..model.form import SECURITY_MODES


class SecurityField(QWidget):
    """The CRM's "SSL erforderlich" checkbox plus the choice between implicit
    TLS and STARTTLS. Its value is "ssl", "starttls" or "none"."""

    changed = Signal()

    def __init__(self, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.check = QCheckBox(label, self)
        self.mode = QComboBox(self)
        for value, text in SECURITY_MODES:
            self.mode.addItem(QCoreApplication.translate("form", text), value)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.check)
        layout.addWidget(self.mode)
        layout.addStretch(1)
        self.check.toggled.connect(self._toggled)
        self.mode.currentIndexChanged.connect(lambda _: self.changed.emit())
        self.setFocusProxy(self.check)

    def _toggled(self, on: bool) -> None:
        self.mode.setEnabled(on)
        self.changed.emit()

    def value(self) -> str:
        return str(self.mode.currentData()) if self.check.isChecked() else "none"

    def set_value(self, value: str) -> None:
        self.check.setChecked(value != "none")
        self.mode.setEnabled(value != "none")
        if value != "none":
            self.mode.setCurrentIndex(max(0, self.mode.findData(value)))


class _MultiCodeCompleter(QCompleter):
    """Completes the code after the last ";"."""

    def splitPath(self, path: str) -> list[str]:
        return [path.rsplit(";", 1)[-1].strip()]

    def pathFromIndex(self, index: object) -> str:
        code = super().pathFromIndex(index)  # type: ignore[arg-type]
        widget = self.widget()
        text = widget.text() if isinstance(widget, QLineEdit) else ""
        head = text.rsplit(";", 1)[0] + "; " if ";" in text else ""
        return head + code


class CodesEdit(QLineEdit):
    """Operator or workgroup codes, ";"-separated; F5 asks for the picker."""

    pick_requested = Signal()

    def __init__(self, codes: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        completer = _MultiCodeCompleter(QStringListModel(codes, self), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setCompleter(completer)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_F5:
            self.pick_requested.emit()
            return
        super().keyPressEvent(event)
