"""Signing an account in at its OAuth2 provider, in the account dialog: who
is signed in, sign in (the system browser, or a code for another device),
check that the sign-in still works, sign out. The flows run on a worker
thread; the browser is opened from the GUI thread. A new sign-in is saved
with the account, like a typed password."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ..model.secret import Secret
from ..net.report import NetError
from ..oauth2.flow import device_sign_in, sign_in
from ..oauth2.grant import Grant
from . import style
from .texts import problem_text

if TYPE_CHECKING:
    from .tasks import Job, Running
    from .window_context import GuiContext


class Prompt(NamedTuple):
    """What a sign-in asks of the GUI: open *url* in the browser, or (with
    a *code*) show the admin where to enter which code."""

    url: str
    code: str | None = None


class OAuth2Panel(QWidget):
    changed = Signal()
    """A sign-in or sign-out is waiting to be saved with the account."""

    def __init__(
        self,
        ctx: GuiContext,
        data: Callable[[], dict[str, Any]],
        refs: Callable[[], dict[str, str]],
        parent: QWidget | None = None,
        typed: Callable[[], Mapping[str, Secret | None]] = dict,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("oauth2Panel")
        self.ctx = ctx
        self._data = data
        self._refs = refs
        self._typed = typed
        """The dialog's typed secrets: a client secret not saved yet is used."""
        self.pending: Secret | bool | None = False
        """False: nothing to save; a Secret: a new grant; None: sign out."""
        self._cancel: Running | None = None
        self.state = QLabel(self)
        self.state.setObjectName("oauth2State")
        self.state.setTextFormat(Qt.TextFormat.PlainText)
        self.state.setWordWrap(True)
        self.sign_in_button = self._button("oauth2SignInButton", self.tr("&Sign in…"))
        self.sign_in_button.clicked.connect(lambda: self.sign_in(device=False))
        self.device_button = self._button("oauth2DeviceButton", self.tr("Sign in with a &code…"))
        self.device_button.clicked.connect(lambda: self.sign_in(device=True))
        self.check_button = self._button("oauth2CheckButton", self.tr("C&heck sign-in"))
        self.check_button.clicked.connect(self.check)
        self.sign_out_button = self._button("oauth2SignOutButton", self.tr("Sign &out"))
        self.sign_out_button.clicked.connect(self.sign_out)
        self.cancel_button = self._button("oauth2CancelButton", self.tr("Cancel"))
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.hide()
        buttons = QHBoxLayout()
        for button in (
            self.sign_in_button,
            self.device_button,
            self.check_button,
            self.sign_out_button,
            self.cancel_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.state)
        layout.addLayout(buttons)
        self.show_stored()

    def _button(self, name: str, text: str) -> QPushButton:
        button = QPushButton(self)
        button.setText(text)
        button.setObjectName(name)
        return button

    # -- what the panel says ------------------------------------------------------

    def show_stored(self) -> None:
        if self.pending is None:
            self._say(self.tr("Signed out; saved with the account."))
        elif isinstance(self.pending, Secret):
            self._say(self.tr("Signed in; saved with the account."))
        elif "oauth2" in self._refs():
            self._say(self.tr("Signed in (use “Check sign-in” to see as whom and that it works)."))
        else:
            self._say(self.tr("Not signed in."))
        self._busy(False)

    def _say(self, text: str, colour: str = "") -> None:
        self.state.setText(text)
        self.state.setStyleSheet(style.colour(colour) if colour else "")

    def _busy(self, busy: bool) -> None:
        for button in (self.sign_in_button, self.device_button, self.check_button):
            button.setEnabled(not busy)
        signed_in = isinstance(self.pending, Secret) or (
            self.pending is False and "oauth2" in self._refs()
        )
        self.sign_out_button.setEnabled(not busy and signed_in)
        self.check_button.setEnabled(not busy and signed_in)
        self.cancel_button.setVisible(busy)

    def _show_code(self, url: str, code: str) -> None:
        self._say(
            self.tr("Open {url} on any device and enter the code {code}.").format(
                url=url, code=code
            )
        )

    # -- actions ----------------------------------------------------------------

    def sign_in(self, device: bool) -> None:
        data, refs, typed = self._data(), self._refs(), dict(self._typed())
        settings = dict(data.get("oauth2") or {})
        username = str((data.get("pop3") or {}).get("username", ""))

        def work(job: Job[Prompt]) -> Grant:
            def prompt(url: str, code: str | None = None) -> None:
                job.progress(Prompt(url, code))

            secret = job.service.client_secret(refs, typed)
            if device:
                return device_sign_in(
                    settings, prompt, username, cancel=job.cancel, client_secret=secret
                )
            return sign_in(settings, prompt, username, cancel=job.cancel, client_secret=secret)

        self._say(self.tr("Waiting for the sign-in in the browser…"))
        self._busy(True)
        self._cancel = self.ctx.tasks.run(
            work, self._signed_in, self._failed, self, progress=self._prompt, waits=True
        )

    def _prompt(self, prompts: Sequence[Prompt]) -> None:
        for prompt in prompts:
            if prompt.code is None:
                QDesktopServices.openUrl(QUrl(prompt.url))
            else:
                self._show_code(prompt.url, prompt.code)

    def _signed_in(self, grant: Grant) -> None:
        self.pending = grant.to_secret()
        self._busy(False)
        self._say(
            self.tr("Signed in as {user}; saved with the account.").format(user=grant.user),
            style.OK,
        )
        self.changed.emit()

    def check(self) -> None:
        data, refs, secrets = self._data(), self._refs(), dict(self._typed())
        pending = self.pending if isinstance(self.pending, Secret) else None

        def work(job: Job[None]) -> Grant:
            typed = Grant.from_secret(pending) if pending is not None else None
            return job.service.check_sign_in(
                data, refs, typed, cancel=job.cancel, typed_secrets=secrets
            )

        self._say(self.tr("Checking the sign-in…"))
        self._busy(True)
        self._cancel = self.ctx.tasks.run(work, self._checked, self._failed, owner=self, waits=True)

    def _checked(self, grant: Grant) -> None:
        if isinstance(self.pending, Secret):  # refreshed, and still to be saved
            self.pending = grant.to_secret()
        self._busy(False)
        self._say(
            self.tr("Signed in as {user}; the sign-in works.").format(user=grant.user), style.OK
        )

    def sign_out(self) -> None:
        self.pending = None
        self.show_stored()
        self.changed.emit()

    def cancel(self) -> None:
        if self._cancel is not None:
            self._cancel.cancel()

    def _failed(self, error: Exception) -> None:
        self._busy(False)
        text = problem_text(error.problem) if isinstance(error, NetError) else str(error)
        self._say(text, style.ERROR)

    def secret_change(self) -> dict[str, Secret | None]:
        """For the save: a new grant, a sign-out, or nothing."""
        if self.pending is False:
            return {}
        return {"oauth2": self.pending if isinstance(self.pending, Secret) else None}
