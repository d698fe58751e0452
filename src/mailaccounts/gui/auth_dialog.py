"""The "Authentifizierungs-Einstellungen" dialog: SMTP logon method and
account information. OK hands the values to the account dialog; Cancel
changes nothing."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ..model.core import secret_problem
from ..secrets import Secret
from . import texts
from .binding import Binding
from .form import AUTH_DIALOG
from .layout import add_rows, ok_cancel_buttons


class AuthDialog(QDialog):
    def __init__(
        self,
        values: dict[str, Any],
        password_state: str | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("authSettingsDialog")
        self.setWindowTitle(self.tr("Authentication settings"))
        self.bindings = {spec.path: Binding(spec, self) for spec in AUTH_DIALOG.fields}
        grid = QGridLayout()
        add_rows(grid, list(self.bindings.values()))
        hint = QLabel(
            self.tr(
                "Choose the logon method your Internet service provider specified, and enter "
                "the account name and the password it assigned to you."
            ),
            self,
        )
        hint.setWordWrap(True)
        buttons = self.buttons = ok_cancel_buttons(self)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addLayout(grid)
        layout.addStretch(1)
        layout.addWidget(buttons)

        for path, binding in self.bindings.items():
            if path != "smtp.auth.password":
                binding.set_value(values[path.rsplit(".", 1)[-1]])
        password = self.password_edit
        password.setPlaceholderText(password_placeholder(password_state))
        same = self.bindings["smtp.auth.same_as_incoming"]
        same.on_change(self._update_states)
        self.bindings["smtp.auth.password"].on_change(self._check_password)
        self._update_states()
        self.setMinimumWidth(520)

    @property
    def password_edit(self) -> QLineEdit:
        widget = self.bindings["smtp.auth.password"].widget
        assert isinstance(widget, QLineEdit)
        return widget

    def _update_states(self) -> None:
        separate = not self.bindings["smtp.auth.same_as_incoming"].value()
        self.bindings["smtp.auth.username"].set_enabled(separate)
        self.bindings["smtp.auth.password"].set_enabled(separate)

    def _password_problem(self) -> str:
        problem = secret_problem(self.password_edit.text(), "smtp.auth.password")
        return "" if problem is None else texts.problem_text(problem.code, problem.params)

    def _check_password(self) -> None:
        """A password that cannot be sent is shown at the field and blocks OK."""
        text = self._password_problem()
        self.bindings["smtp.auth.password"].show_problem(text, warning=False)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not text)

    def accept(self) -> None:
        if self._password_problem():
            return
        super().accept()

    def values(self) -> dict[str, Any]:
        return {
            path.rsplit(".", 1)[-1]: binding.value()
            for path, binding in self.bindings.items()
            if path != "smtp.auth.password"
        }

    def typed_password(self) -> Secret | None:
        text = self.password_edit.text()
        return Secret(text) if text else None


def password_placeholder(state: str | None) -> str:
    """What an empty password field says: nothing when no password is set,
    "stored" when the keyring holds it, "missing" when the store refers to
    a keyring entry that is gone (it must be entered again)."""
    if state == "missing":
        return QCoreApplication.translate("form", "missing from the keyring – enter it again")
    if state is None:
        return ""
    return QCoreApplication.translate("form", "stored – type to replace")
