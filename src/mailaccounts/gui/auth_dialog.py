"""The "Authentifizierungs-Einstellungen" dialog: SMTP logon method and
account information. Its fields are bound by the account dialog like every
other field; OK keeps what was typed, Cancel puts the values back."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QGridLayout, QLabel, QVBoxLayout, QWidget

from ..model import form
from ..model.core import secret_problem
from .binding import Binding, PasswordBinding, bind
from .layout import add_rows, ok_cancel_buttons


class AuthDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("authSettingsDialog")
        self.setWindowTitle(self.tr("Authentication settings"))
        self.bindings: dict[str, Binding[Any]] = {
            spec.path: bind(spec, self) for spec in form.AUTH_DIALOG.fields
        }
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
        self.password.connect(self._check_password)
        self.setMinimumWidth(520)

    @property
    def password(self) -> PasswordBinding:
        binding = self.bindings["smtp.auth.password"]
        assert isinstance(binding, PasswordBinding)
        return binding

    def _password_sendable(self) -> bool:
        return secret_problem(self.password.value(), "smtp.auth.password") is None

    def _check_password(self) -> None:
        """A password that cannot be sent blocks OK. Why is shown at the field
        by the account dialog, which validates these fields with the others."""
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(self._password_sendable())

    def accept(self) -> None:
        if not self._password_sendable():
            return
        super().accept()


def password_placeholder(state: str | None) -> str:
    """What an empty password field says: nothing when no password is set,
    "stored" when the keyring holds it, "missing" when the store refers to
    a keyring entry that is gone (it must be entered again)."""
    if state == "missing":
        return QCoreApplication.translate("form", "missing from the keyring – enter it again")
    if state is None:
        return ""
    return QCoreApplication.translate("form", "stored – type to replace")
