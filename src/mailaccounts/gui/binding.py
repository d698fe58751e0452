"""One small binding layer between the form description and Qt widgets: each
kind of field knows how to build its widget, read and write its value, and
tell when it changes. No per-field glue anywhere else."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit, QSpinBox, QWidget

from ..model.core import HOST_PATHS, ascii_host, parse_codes
from .form import FieldSpec
from .widgets import CodesEdit, SecurityField


def translated(text: str) -> str:
    return QCoreApplication.translate("form", text)


def plain(label: str) -> str:
    """A label without its mnemonic and colon, for accessible names and messages."""
    return label.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip(":").strip()


class Binding:
    def __init__(self, spec: FieldSpec, parent: QWidget, codes: list[str] | None = None):
        self.spec = spec
        label = translated(spec.label)
        self.label: QLabel | None = None
        self.widget = self._create(label, parent, codes or [])
        self.widget.setObjectName(spec.path)
        self.widget.setAccessibleName(plain(label))
        if spec.kind not in ("bool", "security"):
            self.label = QLabel(label, parent)
            self.label.setBuddy(self.widget)
        self.error = QLabel(parent)
        self.error.setObjectName(f"{spec.path}.problem")
        self.error.setTextFormat(Qt.TextFormat.PlainText)  # problems quote imported values
        self.error.setWordWrap(True)
        self.error.hide()
        self.hint: QLabel | None = None
        if spec.path in HOST_PATHS and isinstance(self.widget, QLineEdit):
            self.hint = QLabel(parent)
            self.hint.setObjectName(f"{spec.path}.ascii")
            self.hint.setTextFormat(Qt.TextFormat.PlainText)
            self.hint.hide()
            self.widget.textChanged.connect(self._update_hint)

    def _create(self, label: str, parent: QWidget, codes: list[str]) -> QWidget:
        kind = self.spec.kind
        if kind in ("text", "password"):
            edit = QLineEdit(parent)
            edit.setMaxLength(self.spec.max_length)
            if kind == "password":
                edit.setEchoMode(QLineEdit.EchoMode.Password)
            return edit
        if kind == "codes":
            codes_edit = CodesEdit(codes, parent)
            codes_edit.setMaxLength(self.spec.max_length)
            return codes_edit
        if kind == "port":
            spin = QSpinBox(parent)
            spin.setRange(1, 65535)
            spin.setGroupSeparatorShown(False)
            spin.setMaximumWidth(spin.fontMetrics().horizontalAdvance("0000000") + 40)
            return spin
        if kind == "bool":
            return QCheckBox(label, parent)
        if kind == "security":
            return SecurityField(label, parent)
        if kind == "choice":
            combo = QComboBox(parent)
            for value, text in self.spec.choices:
                combo.addItem(translated(text), value)
            return combo
        raise ValueError(f"unknown field kind {kind}")

    def value(self) -> Any:
        w = self.widget
        if isinstance(w, CodesEdit):
            return parse_codes(w.text())
        if isinstance(w, QLineEdit):
            return w.text()
        if isinstance(w, QSpinBox):
            return w.value()
        if isinstance(w, QCheckBox):
            return w.isChecked()
        if isinstance(w, SecurityField):
            return w.value()
        if isinstance(w, QComboBox):
            return w.currentData()
        raise TypeError(type(w))

    def set_value(self, value: Any) -> None:
        w = self.widget
        w.blockSignals(True)
        try:
            if isinstance(w, CodesEdit):
                w.setText("; ".join(value or []))
            elif isinstance(w, QLineEdit):
                w.setText("" if value is None else str(value))
            elif isinstance(w, QSpinBox):
                w.setValue(int(value))
            elif isinstance(w, QCheckBox):
                w.setChecked(bool(value))
            elif isinstance(w, SecurityField):
                w.set_value(str(value))
            elif isinstance(w, QComboBox):
                w.setCurrentIndex(max(0, w.findData(value)))
        finally:
            w.blockSignals(False)
        self._update_hint()

    def _update_hint(self) -> None:
        """Under a non-ASCII host name, its ASCII form: a look-alike shows."""
        if self.hint is None:
            return
        ascii_form = ascii_host(str(self.value()).strip())
        if ascii_form:
            text = QCoreApplication.translate("form", "ASCII form: {host}")
            self.hint.setText(text.format(host=ascii_form))
        self.hint.setVisible(bool(ascii_form))

    def on_change(self, callback: Callable[[], None]) -> None:
        w = self.widget
        if isinstance(w, QLineEdit):
            w.textChanged.connect(lambda _: callback())
        elif isinstance(w, QSpinBox):
            w.valueChanged.connect(lambda _: callback())
        elif isinstance(w, QCheckBox):
            w.toggled.connect(lambda _: callback())
        elif isinstance(w, SecurityField):
            w.changed.connect(callback)
        elif isinstance(w, QComboBox):
            w.currentIndexChanged.connect(lambda _: callback())

    def set_enabled(self, enabled: bool) -> None:
        self.widget.setEnabled(enabled)
        if self.label is not None:
            self.label.setEnabled(enabled)
        if self.hint is not None:
            self.hint.setEnabled(enabled)

    def show_problem(self, text: str, warning: bool) -> None:
        if not text:
            self.error.hide()
            self.error.clear()
            return
        self.error.setText(text)
        colour = "#9a5b00" if warning else "#b00020"
        self.error.setStyleSheet(f"color: {colour};")
        self.error.show()
