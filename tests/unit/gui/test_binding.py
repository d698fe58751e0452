"""The widget binding (``gui/binding.py``) on its own: one adapter per kind
of field builds its widget from the form description, writes a value
without telling the dialog, reads it back, and reports the user's changes."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QCheckBox, QComboBox, QLineEdit, QSpinBox, QWidget
from pytestqt.qtbot import QtBot

from mailaccounts.gui.binding import Binding, bind
from mailaccounts.gui.widgets import CodesEdit, SecurityField
from mailaccounts.model import form


@pytest.fixture
def parent(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def spec(path: str) -> form.Field:
    return next(field for field in form.fields() if field.path == path)


def changes(binding: Binding[Any]) -> list[None]:
    """What the binding reports as the user's changes, as they come."""
    seen: list[None] = []
    binding.connect(lambda: seen.append(None))
    return seen


@pytest.mark.parametrize("field", list(form.fields()), ids=lambda f: f.path)
def test_every_field_gets_a_widget_named_by_its_path(parent: QWidget, field: form.Field) -> None:
    binding = bind(field, parent, ["ADM"])
    assert binding.widget.objectName() == field.path
    assert binding.widget.accessibleName() == form.plain(field.label)
    assert binding.error.objectName() == f"{field.path}.problem"
    assert binding.error.textFormat() == Qt.TextFormat.PlainText
    assert binding.error.isHidden()
    if isinstance(binding.widget, QCheckBox | SecurityField):
        assert binding.label is None  # the widget carries its label
    else:
        assert binding.label is not None and binding.label.buddy() is binding.widget


@pytest.mark.parametrize(
    ("path", "widget", "value", "typed", "read"),
    [
        ("pop3.username", QLineEdit, "info", "x", "infox"),
        ("pop3.password", QLineEdit, "", "pw", "pw"),
        ("operators", CodesEdit, ["ADM", "MUE"], ";SCH", ["ADM", "MUE", "SCH"]),
        ("fetch.times", QLineEdit, ["08:00"], " 12:30", ["08:00", "12:30"]),
        ("oauth2.scopes", QLineEdit, ["openid"], " email", ["openid", "email"]),
    ],
)
def test_a_text_is_written_silently_and_typing_is_reported(
    qtbot: QtBot,
    parent: QWidget,
    path: str,
    widget: type[QWidget],
    value: Any,
    typed: str,
    read: Any,
) -> None:
    binding = bind(spec(path), parent, ["ADM", "MUE", "SCH"])
    assert isinstance(binding.widget, widget)
    seen = changes(binding)
    binding.set_value(value)
    assert binding.value() == value and seen == []
    assert isinstance(binding.widget, QLineEdit)  # CodesEdit is one too
    binding.widget.setFocus()
    binding.widget.end(False)
    qtbot.keyClicks(binding.widget, typed)
    assert binding.value() == read
    assert len(seen) == len(typed)


def test_a_text_field_keeps_to_its_length(parent: QWidget) -> None:
    binding = bind(spec("number"), parent)
    binding.set_value("123456")
    assert binding.value() == "1234"


def test_a_password_is_never_shown(parent: QWidget) -> None:
    binding = bind(spec("pop3.password"), parent)
    assert binding.widget.echoMode() == QLineEdit.EchoMode.Password


@pytest.mark.parametrize(
    ("host", "hint"),
    [("pop.müller.de", "ASCII form: pop.xn--mller-kva.de"), ("pop.mueller.de", None)],
)
def test_a_host_name_shows_its_ascii_form(
    qtbot: QtBot, parent: QWidget, host: str, hint: str | None
) -> None:
    binding = bind(spec("pop3.server"), parent)
    assert binding.hint is not None and binding.hint.objectName() == "pop3.server.ascii"
    binding.set_value(host)
    assert binding.hint.isHidden() is (hint is None)
    if hint is not None:
        assert binding.hint.text() == hint
    binding.set_value("")
    for char in "mü.de":  # typed: the same (QTest knows ASCII keys only)
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(
                binding.widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char)
            )
    assert not binding.hint.isHidden() and binding.hint.text() == "ASCII form: xn--m-eha.de"
    assert bind(spec("pop3.username"), parent).hint is None  # a user name is no host


def test_a_port_is_a_number_and_anything_else_shows_the_lowest(parent: QWidget) -> None:
    binding = bind(spec("pop3.port"), parent)
    assert isinstance(binding.widget, QSpinBox)
    assert (binding.widget.minimum(), binding.widget.maximum()) == (1, 65535)
    seen = changes(binding)
    binding.set_value(995)
    assert binding.value() == 995
    binding.set_value("995")  # not a number: an imported file may carry anything
    assert binding.value() == 1
    assert seen == []
    binding.widget.stepBy(1)
    assert binding.value() == 2 and len(seen) == 1


def test_a_count_of_none_is_the_dash(parent: QWidget) -> None:
    binding = bind(spec("fetch.delete_after_days"), parent)
    assert isinstance(binding.widget, QSpinBox)
    binding.set_value(None)
    assert binding.value() is None and binding.widget.text() == "–"
    binding.set_value(30)
    assert binding.value() == 30 and binding.widget.text() == "30"


def test_a_checkbox_written_and_clicked(parent: QWidget) -> None:
    binding = bind(spec("pop3.spa"), parent)
    assert isinstance(binding.widget, QCheckBox)
    assert binding.widget.text() == spec("pop3.spa").label
    seen = changes(binding)
    binding.set_value(1)  # truthy values from a file are a tick
    assert binding.value() is True and seen == []
    binding.widget.click()
    assert binding.value() is False and len(seen) == 1


@pytest.mark.parametrize("value", ["ssl", "starttls", "none"])
def test_security_is_a_checkbox_and_its_mode(parent: QWidget, value: str) -> None:
    binding = bind(spec("smtp.security"), parent)
    assert isinstance(binding.widget, SecurityField)
    seen = changes(binding)
    binding.set_value(value)
    assert binding.value() == value and seen == []
    assert binding.widget.check.isChecked() is (value != "none")
    assert binding.widget.mode.isEnabled() is (value != "none")
    binding.widget.check.click()
    assert (binding.value() == "none") is (value != "none") and len(seen) == 1


def test_a_choice_shows_labels_and_holds_values(parent: QWidget) -> None:
    binding = bind(spec("smtp.auth.method"), parent)
    assert isinstance(binding.widget, QComboBox)
    field = spec("smtp.auth.method")
    shown = [binding.widget.itemText(i) for i in range(binding.widget.count())]
    assert shown == [label for _, label in field.choices]
    seen = changes(binding)
    binding.set_value("cram-md5")
    assert binding.value() == "cram-md5" and seen == []
    binding.set_value("no such method")  # shown as the first, never as nothing
    assert binding.value() == field.choices[0][0]
    binding.widget.setCurrentIndex(2)
    assert binding.value() == field.choices[2][0] and len(seen) == 1


def test_disabling_greys_label_and_hint_too(parent: QWidget) -> None:
    binding = bind(spec("smtp.server"), parent)
    binding.set_enabled(False)
    assert binding.label is not None and binding.hint is not None
    assert not binding.widget.isEnabled()
    assert not binding.label.isEnabled() and not binding.hint.isEnabled()
    binding.set_enabled(True)
    assert binding.widget.isEnabled() and binding.label.isEnabled() and binding.hint.isEnabled()


def test_a_problem_shows_under_the_field_as_plain_text(parent: QWidget) -> None:
    binding = bind(spec("pop3.server"), parent)
    binding.show_problem("<b>not a host</b>", warning=False)
    assert not binding.error.isHidden() and binding.error.text() == "<b>not a host</b>"
    error_style = binding.error.styleSheet()
    binding.show_problem("a warning", warning=True)
    assert binding.error.styleSheet() != error_style
    binding.show_problem("", warning=False)
    assert binding.error.isHidden()
