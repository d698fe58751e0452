"""Between the form description (``model/form.py``) and Qt widgets: one
adapter per kind of field, each knowing how to build its widget, read and
write its value (signals blocked while the program writes), and tell when
the user changed it. No per-field glue anywhere else."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, ClassVar, Generic, TypeVar

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit, QSpinBox, QWidget

from ..model.core import HOST_PATHS, ascii_host
from ..model.form import Field, format_text, parse_text, plain
from ..model.rules import PORT_MAX, PORT_MIN
from . import style
from .widgets import CodesEdit, SecurityField

W = TypeVar("W", bound=QWidget)


@contextmanager
def signals_blocked(widget: QWidget) -> Iterator[None]:
    """What ``QSignalBlocker`` does; PySide6 6.12's own releases a reference
    to None each time it is used, until the interpreter aborts."""
    before = widget.blockSignals(True)
    try:
        yield
    finally:
        widget.blockSignals(before)


def translated(text: str) -> str:
    return QCoreApplication.translate("form", text)


class Binding(Generic[W]):
    """A field's widget, its label (unless the widget carries it), the line
    for its problems, and a hint line where the field has one."""

    labelled_by_widget: ClassVar[bool] = False

    def __init__(self, spec: Field, parent: QWidget) -> None:
        self.spec = spec
        label = translated(spec.label)
        self.widget: W = self.create(label, parent)
        self.widget.setObjectName(spec.path)
        self.widget.setAccessibleName(plain(label))
        self.label: QLabel | None = None
        if not self.labelled_by_widget:
            self.label = QLabel(label, parent)
            self.label.setBuddy(self.widget)
        self.error = _plain_label(parent, f"{spec.path}.problem")
        self.error.setWordWrap(True)  # problems quote imported values: plain text
        self.hint = self.create_hint(parent)

    def create(self, label: str, parent: QWidget) -> W:
        raise NotImplementedError

    def create_hint(self, parent: QWidget) -> QLabel | None:
        """A line under the input that explains the value, if the kind has one."""
        return None

    def value(self) -> Any:
        raise NotImplementedError

    def write(self, value: Any) -> None:
        raise NotImplementedError

    def connect(self, callback: Callable[[], None]) -> None:
        """Call *callback* whenever the user changes the value."""
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        with signals_blocked(self.widget):
            self.write(value)
        self.written()

    def written(self) -> None:
        """After any change of the value, the user's or the program's."""

    def set_enabled(self, enabled: bool) -> None:
        for widget in (self.widget, self.label, self.hint):
            if widget is not None:
                widget.setEnabled(enabled)

    def show_problem(self, text: str, warning: bool) -> None:
        self.error.setText(text)
        self.error.setStyleSheet(style.colour(style.WARNING if warning else style.ERROR))
        self.error.setVisible(bool(text))


class TextBinding(Binding[QLineEdit]):
    def create(self, label: str, parent: QWidget) -> QLineEdit:
        edit = QLineEdit(parent)
        edit.setMaxLength(self.spec.max_length)
        return edit

    def create_hint(self, parent: QWidget) -> QLabel | None:
        if self.spec.path not in HOST_PATHS:
            return None
        self.widget.textChanged.connect(lambda _: self.written())
        return _plain_label(parent, f"{self.spec.path}.ascii")

    def value(self) -> str:
        return self.widget.text()

    def write(self, value: Any) -> None:
        self.widget.setText(format_text(self.spec.kind, value))

    def connect(self, callback: Callable[[], None]) -> None:
        self.widget.textChanged.connect(lambda _: callback())

    def written(self) -> None:
        """Under a non-ASCII host name, its ASCII form: a look-alike shows."""
        if self.hint is None:
            return
        ascii_form = ascii_host(self.value().strip())
        if ascii_form:
            text = QCoreApplication.translate("form", "ASCII form: {host}")
            self.hint.setText(text.format(host=ascii_form))
        self.hint.setVisible(bool(ascii_form))


class PasswordBinding(TextBinding):
    """Write-only: shows what was typed, never a stored secret."""

    def create(self, label: str, parent: QWidget) -> QLineEdit:
        edit = super().create(label, parent)
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        return edit

    def set_placeholder(self, text: str) -> None:
        self.widget.setPlaceholderText(text)


class CodesBinding(Binding[CodesEdit]):
    def __init__(self, spec: Field, parent: QWidget, codes: list[str]) -> None:
        self._codes = codes
        super().__init__(spec, parent)

    def create(self, label: str, parent: QWidget) -> CodesEdit:
        edit = CodesEdit(self._codes, parent)
        edit.setMaxLength(self.spec.max_length)
        return edit

    def value(self) -> Any:
        return parse_text(self.spec.kind, self.widget.text())

    def write(self, value: Any) -> None:
        self.widget.setText(format_text(self.spec.kind, value))

    def connect(self, callback: Callable[[], None]) -> None:
        self.widget.textChanged.connect(lambda _: callback())


class _SpinBinding(Binding[QSpinBox]):
    """A whole number in a narrow spin box from *lowest* to *highest*; a
    value that is no number shows as the lowest."""

    lowest: ClassVar[int]
    highest: ClassVar[int]

    def create(self, label: str, parent: QWidget) -> QSpinBox:
        spin = QSpinBox(parent)
        spin.setRange(self.lowest, self.highest)
        spin.setGroupSeparatorShown(False)
        spin.setMaximumWidth(spin.fontMetrics().horizontalAdvance("0000000") + 40)
        return spin

    def write(self, value: Any) -> None:
        self.widget.setValue(value if isinstance(value, int) else self.lowest)

    def connect(self, callback: Callable[[], None]) -> None:
        self.widget.valueChanged.connect(lambda _: callback())


class PortBinding(_SpinBinding):
    lowest, highest = PORT_MIN, PORT_MAX

    def value(self) -> int:
        return self.widget.value()


class CountBinding(_SpinBinding):
    """A whole number or none: the spin box's lowest step, shown as "–",
    stands for none. The model checks the range and says it at the field."""

    lowest, highest = 0, 99999

    def create(self, label: str, parent: QWidget) -> QSpinBox:
        spin = super().create(label, parent)
        spin.setSpecialValueText("–")
        return spin

    def value(self) -> int | None:
        return self.widget.value() or None


class ListBinding(TextBinding):
    """A list typed as one text (times, words): ``form.parse_text`` reads it,
    ``format_text`` (in ``TextBinding.write``) shows it."""

    def value(self) -> Any:
        return parse_text(self.spec.kind, self.widget.text())


class BoolBinding(Binding[QCheckBox]):
    labelled_by_widget = True

    def create(self, label: str, parent: QWidget) -> QCheckBox:
        return QCheckBox(label, parent)

    def value(self) -> bool:
        return self.widget.isChecked()

    def write(self, value: Any) -> None:
        self.widget.setChecked(bool(value))

    def connect(self, callback: Callable[[], None]) -> None:
        self.widget.toggled.connect(lambda _: callback())


class SecurityBinding(Binding[SecurityField]):
    labelled_by_widget = True

    def create(self, label: str, parent: QWidget) -> SecurityField:
        return SecurityField(label, parent)

    def value(self) -> str:
        return self.widget.value()

    def write(self, value: Any) -> None:
        self.widget.set_value(str(value))

    def connect(self, callback: Callable[[], None]) -> None:
        self.widget.changed.connect(callback)


class ChoiceBinding(Binding[QComboBox]):
    def create(self, label: str, parent: QWidget) -> QComboBox:
        combo = QComboBox(parent)
        for value, text in self.spec.choices:
            combo.addItem(translated(text), value)
        return combo

    def value(self) -> Any:
        return self.widget.currentData()

    def write(self, value: Any) -> None:
        self.widget.setCurrentIndex(max(0, self.widget.findData(value)))

    def connect(self, callback: Callable[[], None]) -> None:
        self.widget.currentIndexChanged.connect(lambda _: callback())


_KINDS: dict[str, type[Binding[Any]]] = {
    "text": TextBinding,
    "password": PasswordBinding,
    "port": PortBinding,
    "bool": BoolBinding,
    "security": SecurityBinding,
    "choice": ChoiceBinding,
    "count": CountBinding,
    "times": ListBinding,
    "words": ListBinding,
}


def bind(spec: Field, parent: QWidget, codes: list[str] | None = None) -> Binding[Any]:
    """The binding for *spec*'s kind; *codes* complete a "codes" field."""
    if spec.kind == "codes":
        return CodesBinding(spec, parent, codes or [])
    return _KINDS[spec.kind](spec, parent)


def _plain_label(parent: QWidget, name: str) -> QLabel:
    label = QLabel(parent)
    label.setObjectName(name)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.hide()
    return label
