""" "Einstellungen ermitteln": the automatic configuration of an address on a
worker thread, each query shown as it ends; Cancel stops it at once.

Settings from the domain's own file, the ISPDB or SRV records are filled in
as soon as they arrive, and the dialog says where they came from. A guess
(the MX host's provider, or servers that answered under common names) and
settings that came over plain HTTP are only shown: they are filled in when
the admin clicks Apply, never on their own. Passwords are never filled in.
Settings that sign in with OAuth2 say so and offer the way to the sign-in
on the account's OAuth2 card.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..autoconfig.result import Attempt, Proposal, Result
from ..model.translatable import QT_TRANSLATE_NOOP
from . import style
from .running_dialog import RunningDialog
from .texts import plain_tooltip, problem_text

if TYPE_CHECKING:
    from .tasks import Job
    from .window_context import GuiContext

SOURCE_NAMES = {
    "autoconfig": QT_TRANSLATE_NOOP("AutoconfigDialog", "the domain's own configuration file"),
    "ispdb": QT_TRANSLATE_NOOP(
        "AutoconfigDialog", "the ISPDB, a database of mail providers' settings"
    ),
    "srv": QT_TRANSLATE_NOOP("AutoconfigDialog", "the domain's SRV records (DNS)"),
    "mx": QT_TRANSLATE_NOOP(
        "AutoconfigDialog", "a guess: the ISPDB entry of the domain's mail server (MX)"
    ),
    "guess": QT_TRANSLATE_NOOP(
        "AutoconfigDialog", "a guess: servers that answered under common names"
    ),
}
SOURCE_COLUMN = {
    "autoconfig": QT_TRANSLATE_NOOP("AutoconfigDialog", "Domain"),
    "ispdb": QT_TRANSLATE_NOOP("AutoconfigDialog", "ISPDB"),
    "srv": QT_TRANSLATE_NOOP("AutoconfigDialog", "SRV"),
    "mx": QT_TRANSLATE_NOOP("AutoconfigDialog", "MX"),
    "guess": QT_TRANSLATE_NOOP("AutoconfigDialog", "Guess"),
    "probe": QT_TRANSLATE_NOOP("AutoconfigDialog", "Check"),
}
PROVIDER_NAMES = {
    "microsoft": QT_TRANSLATE_NOOP("AutoconfigDialog", "Microsoft"),
    "google": QT_TRANSLATE_NOOP("AutoconfigDialog", "Google"),
}
SECURITY_NAMES = {
    "ssl": QT_TRANSLATE_NOOP("AutoconfigDialog", "implicit SSL/TLS"),
    "starttls": QT_TRANSLATE_NOOP("AutoconfigDialog", "STARTTLS"),
    "none": QT_TRANSLATE_NOOP("AutoconfigDialog", "unencrypted"),
}

Apply = Callable[[Proposal], None]
SignIn = Callable[[], None]
"""Shows the account's OAuth2 card with its sign-in."""


def _tr(text: str) -> str:
    return QCoreApplication.translate("AutoconfigDialog", text)


class AutoconfigDialog(RunningDialog):
    finished_lookup = Signal(object)
    """The Result, or the Exception when the lookup could not run."""

    def __init__(
        self,
        ctx: GuiContext,
        address: str,
        apply: Apply,
        parent: QWidget | None = None,
        lookup: Callable[..., Result] | None = None,
        sign_in: SignIn | None = None,
    ) -> None:
        super().__init__(ctx, "autoconfigDialog", "autoconfigCloseButton", parent)
        self.setWindowTitle(self.tr("Find settings"))
        self.address, self.apply_callback = address, apply
        self.sign_in_callback = sign_in
        self._lookup = lookup
        """For tests and screenshots: what runs instead of autoconfig.engine.lookup."""
        self.lookup_result: Result | None = None
        self.applied = False
        self._rows: dict[int, QTreeWidgetItem] = {}

        self.summary = self.text_label("autoconfigSummary")  # they show what servers sent
        self.proposal_text = self.text_label("autoconfigSettings")
        self.warning = self.text_label("autoconfigWarning")
        self.warning.setStyleSheet(style.colour(style.ERROR))
        self.warning.hide()
        self.notice = self.text_label("autoconfigNotice")
        self.notice.hide()
        self.tried = self.steps_view(
            "autoconfigTried",
            [self.tr("Source"), self.tr("Query"), self.tr("Answer"), self.tr("Time")],
        )
        header = self.tried.header()
        header.setStretchLastSection(False)
        for column, mode in (
            (0, QHeaderView.ResizeMode.ResizeToContents),
            (1, QHeaderView.ResizeMode.Interactive),
            (2, QHeaderView.ResizeMode.Stretch),
            (3, QHeaderView.ResizeMode.ResizeToContents),
        ):
            header.setSectionResizeMode(column, mode)
        header.resizeSection(1, 330)
        self.tried_label = QLabel(self.tr("What was tried:"), self)
        self.apply_button = QPushButton(self.tr("&Apply these settings"), self)
        self.apply_button.setObjectName("autoconfigApplyButton")
        self.apply_button.hide()
        self.apply_button.clicked.connect(self._apply_confirmed)
        self.sign_in_button = QPushButton(self.tr("Go to the OAuth2 &sign-in"), self)
        self.sign_in_button.setObjectName("autoconfigSignInButton")
        self.sign_in_button.hide()
        self.sign_in_button.clicked.connect(self._go_to_sign_in)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.sign_in_button)
        buttons.addWidget(self.apply_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.proposal_text)
        layout.addWidget(self.warning)
        layout.addWidget(self.notice)
        layout.addWidget(self.tried_label)
        layout.addWidget(self.tried, 1)
        layout.addLayout(buttons)
        self.resize(980, 500)

    # -- running --------------------------------------------------------------

    def start(self) -> None:
        if self.running:
            return
        self.summary.setText(
            self.tr("Looking up the settings for {address}…").format(address=self.address)
        )
        address, run_lookup = self.address, self._lookup
        if run_lookup is None:
            # The engine (dnspython, the HTTPS client) loads with the first
            # lookup, not with the window or this dialog, and here on the GUI
            # thread: nothing is imported on two threads at once
            # (docs/architecture.md, "Start-up").
            from ..autoconfig.lookup import lookup as run_lookup

        def work(job: Job[Attempt]) -> Result:
            assert run_lookup is not None
            return run_lookup(address, cancel=job.cancel, listener=job.progress)

        self.run_work(work, self._show_attempts, self.show_result, self.show_result)

    def _show_attempts(self, attempts: Sequence[Attempt]) -> None:
        for attempt in attempts:
            self.show_attempt(attempt)

    def show_attempt(self, attempt: Attempt) -> None:
        row = self._rows.get(attempt.id)
        if row is None:
            source = SOURCE_COLUMN.get(attempt.source, attempt.source)
            row = QTreeWidgetItem(self.tried, [_tr(source), attempt.query, "", ""])
            row.setToolTip(1, plain_tooltip(attempt.query))
            self._rows[attempt.id] = row
        outcome = attempt.outcome(problem_text)
        row.setText(2, outcome)
        row.setToolTip(2, plain_tooltip(outcome))
        if not attempt.running:
            row.setText(3, f"{attempt.ms} ms")

    def show_result(self, outcome: Result | Exception) -> None:
        if not isinstance(outcome, Result):
            self.summary.setStyleSheet(style.colour(style.ERROR))
            self.summary.setText(
                self.tr("The settings could not be looked up: {reason}").format(reason=str(outcome))
            )
            self.finished_lookup.emit(outcome)
            return
        self.lookup_result = outcome
        for attempt in outcome.tried:  # the final word on each, in the order of the sources
            self.show_attempt(attempt)
        order = {a.id: i for i, a in enumerate(outcome.tried)}
        rows = sorted(self._rows.items(), key=lambda item: order.get(item[0], len(order)))
        for _, row in rows:
            self.tried.takeTopLevelItem(self.tried.indexOfTopLevelItem(row))
        self.tried.addTopLevelItems([row for _, row in rows])
        proposal = outcome.proposal
        if proposal is None:
            text = (
                self.tr("Cancelled.")
                if outcome.cancelled
                else self.tr(
                    "No settings were found for {address}. Enter them by hand; the list "
                    "below shows what was tried."
                ).format(address=self.address)
            )
            self.summary.setText(text)
        else:
            self._show_proposal(proposal)
        self.finished_lookup.emit(outcome)

    def _show_proposal(self, proposal: Proposal) -> None:
        self.summary.setText(
            self.tr("Settings for {address} from {source}:\n{origin}").format(
                address=self.address,
                source=_tr(SOURCE_NAMES[proposal.source]),
                origin=proposal.origin,
            )
        )
        self.proposal_text.setText(self._settings_text(proposal))
        warnings = []
        if proposal.is_guess:
            warnings.append(self.tr("This is a guess: check the settings before you apply them."))
        if proposal.insecure_url is not None:
            warnings.append(
                self.tr(
                    "These settings came over unencrypted HTTP ({url}): anyone on the way "
                    "could have changed them. Check them before you apply them."
                ).format(url=proposal.insecure_url)
            )
        warnings.extend(problem_text(w) for w in proposal.warnings)
        if proposal.needs_confirmation:
            self.apply_button.show()
            self.apply_button.setDefault(True)
            self.close_button.setText(self.tr("Do &not apply"))
            self.notice.setStyleSheet("")
            self.notice.setText(
                self.tr("Nothing has been filled in yet: Apply fills in these settings.")
            )
        elif proposal.signs_in:
            self._apply(proposal)
            self.notice.setStyleSheet(style.colour(style.OK))
            self.notice.setText(
                self.tr(
                    "The settings have been filled in. This account signs in with OAuth2, "
                    "without a password: enter the client ID of your organisation's app "
                    "registration on the “OAuth2” card, then sign in there (“Sign in…”)."
                )
            )
            self.sign_in_button.setVisible(self.sign_in_callback is not None)
            self.sign_in_button.setDefault(True)
        else:
            self._apply(proposal)
            self.notice.setStyleSheet(style.colour(style.OK))
            self.notice.setText(
                self.tr(
                    "The settings have been filled in. Passwords are never filled in: "
                    "enter them yourself."
                )
            )
        self.notice.show()
        self.warning.setText("\n".join(warnings))
        self.warning.setVisible(bool(warnings))

    def _settings_text(self, proposal: Proposal) -> str:
        pop3 = proposal.pop3
        lines = [
            self.tr("POP3: {server}, port {port}, {security}, user name {username}").format(
                server=pop3.server,
                port=pop3.port,
                security=_tr(SECURITY_NAMES[pop3.security]),
                username=pop3.username or "–",
            )
            + (self.tr(", SPA") if pop3.spa else "")
            + (self.tr(", OAuth2") if pop3.oauth2 else "")
        ]
        smtp = proposal.smtp
        if smtp is None:
            lines.append(self.tr("SMTP: none found (the outgoing server stays as it is)"))
        elif smtp.auth_required:
            lines.append(
                self.tr(
                    "SMTP: {server}, port {port}, {security}, logon {method} as {username}"
                ).format(
                    server=smtp.server,
                    port=smtp.port,
                    security=_tr(SECURITY_NAMES[smtp.security]),
                    method="OAuth2" if smtp.auth_method == "oauth2" else smtp.auth_method.upper(),
                    username=smtp.username or "–",
                )
            )
        else:
            lines.append(
                self.tr("SMTP: {server}, port {port}, {security}, no logon").format(
                    server=smtp.server,
                    port=smtp.port,
                    security=_tr(SECURITY_NAMES[smtp.security]),
                )
            )
        if proposal.oauth2 is not None:
            lines.append(self._oauth2_text(proposal.oauth2))
        if proposal.leave_on_server:
            lines.append(self.tr("Fetched mail stays on the server (the provider advises it)."))
        return "\n".join(lines)

    def _oauth2_text(self, section: dict[str, Any]) -> str:
        provider = str(section.get("provider"))
        if provider in PROVIDER_NAMES:
            where = _tr(PROVIDER_NAMES[provider])
        else:
            where = str(section.get("authorization_url") or "–")
        return self.tr("Sign-in: OAuth2 at {provider}, no password").format(provider=where)

    # -- buttons --------------------------------------------------------------

    def _apply(self, proposal: Proposal) -> None:
        self.apply_callback(proposal)
        self.applied = True

    def _apply_confirmed(self) -> None:
        proposal = self.lookup_result.proposal if self.lookup_result is not None else None
        if proposal is not None:
            self._apply(proposal)
        if proposal is not None and proposal.signs_in:
            self._go_to_sign_in()
        else:
            self.accept()

    def _go_to_sign_in(self) -> None:
        self.accept()
        if self.sign_in_callback is not None:
            self.sign_in_callback()

    def cancelling(self) -> None:
        self.summary.setText(self.tr("Cancelling…"))

    def close_idle(self) -> None:  # like Esc and the window's close button: applies nothing
        self.reject()
