""" "Kontoeinstellungen testen": runs the connection test on a worker thread
and shows each step as it happens. Cancel shuts the sockets down, so it ends
the test at once; the window never waits on the network."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..model.providers import WARNING_CODES
from ..model.secret import Secret
from ..model.translatable import QT_TRANSLATE_NOOP
from ..net.report import CertificateInfo, ConnectionReport, Step, StepStatus, certificate_of
from . import style
from .running_dialog import RunningDialog
from .texts import plain_tooltip, problem_text

if TYPE_CHECKING:
    from .tasks import Job
    from .window_context import GuiContext


STEP_NAMES = {
    "connect": QT_TRANSLATE_NOOP("ConnectionTestDialog", "Connect"),
    "tls": QT_TRANSLATE_NOOP("ConnectionTestDialog", "TLS (implicit)"),
    "capabilities": QT_TRANSLATE_NOOP("ConnectionTestDialog", "Greeting and capabilities"),
    "starttls": QT_TRANSLATE_NOOP("ConnectionTestDialog", "Start TLS"),
    "login": QT_TRANSLATE_NOOP("ConnectionTestDialog", "Log in"),
    "mailbox": QT_TRANSLATE_NOOP("ConnectionTestDialog", "Open the mailbox"),
    "ehlo": QT_TRANSLATE_NOOP("ConnectionTestDialog", "Greeting (EHLO)"),
    "auth": QT_TRANSLATE_NOOP("ConnectionTestDialog", "Authenticate"),
    "send": QT_TRANSLATE_NOOP("ConnectionTestDialog", "Send a test message"),
    "quit": QT_TRANSLATE_NOOP("ConnectionTestDialog", "Log off"),
    "password": QT_TRANSLATE_NOOP("ConnectionTestDialog", "Password login"),
}
STATUS_NAMES = {
    StepStatus.RUNNING: QT_TRANSLATE_NOOP("ConnectionTestDialog", "running…"),
    StepStatus.OK: QT_TRANSLATE_NOOP("ConnectionTestDialog", "OK"),
    StepStatus.FAILED: QT_TRANSLATE_NOOP("ConnectionTestDialog", "failed"),
    StepStatus.WARNING: QT_TRANSLATE_NOOP("ConnectionTestDialog", "warning"),
}
SERVER_NAMES = {"pop3": "POP3", "smtp": "SMTP"}


class ConnectionTestDialog(RunningDialog):
    finished_test = Signal(object)
    """The ConnectionReport, or an Exception when the test could not run."""

    def __init__(
        self,
        ctx: GuiContext,
        data: dict[str, Any],
        refs: dict[str, str],
        typed: dict[str, Secret | None],
        trust: Callable[[str, CertificateInfo], None],
        parent: QWidget | None = None,
        timeout: float = 15.0,
        switch_to_oauth2: Callable[[str], None] | None = None,
    ) -> None:
        """*switch_to_oauth2*: how the account switches to OAuth2 at a
        provider (its key)."""
        super().__init__(ctx, "connectionTestDialog", "cancelTestButton", parent)
        self.setWindowTitle(self.tr("Test account settings"))
        self.data, self.refs, self.typed = data, refs, typed
        self.trust_callback = trust
        self.timeout = timeout
        self.report: ConnectionReport | None = None
        self._rows: dict[tuple[str, str], QTreeWidgetItem] = {}
        self._certificate: tuple[str, CertificateInfo] | None = None

        self.steps = self.steps_view(
            "testSteps", [self.tr("Server"), self.tr("Step"), self.tr("Result"), self.tr("Time")]
        )
        self.steps.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.summary = self.text_label("testSummary")
        self.trust_button = QPushButton(self.tr("&Trust this certificate"), self)
        self.trust_button.setObjectName("trustCertificateButton")
        self.trust_button.hide()
        self.trust_button.clicked.connect(self._trust)
        self.switch_callback = switch_to_oauth2
        self._switch: str | None = None
        """The provider the switch to OAuth2 goes to."""
        self.switch_button = QPushButton(self.tr("Switch to OAuth&2…"), self)
        self.switch_button.setObjectName("testSwitchToOAuth2Button")
        self.switch_button.hide()
        self.switch_button.clicked.connect(self._switch_to_oauth2)
        self.again_button = QPushButton(self.tr("Test &again"), self)
        self.again_button.setObjectName("testAgainButton")
        self.again_button.clicked.connect(self.start)
        buttons = QHBoxLayout()
        buttons.addWidget(self.trust_button)
        buttons.addWidget(self.switch_button)
        buttons.addStretch(1)
        buttons.addWidget(self.again_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.steps)
        layout.addWidget(self.summary)
        layout.addLayout(buttons)
        self.resize(660, 440)

    # -- running --------------------------------------------------------------

    def start(self) -> None:
        if self.running:
            return
        self.steps.clear()
        self._rows.clear()
        self._certificate = None
        self.trust_button.hide()
        self._switch = None
        self.switch_button.hide()
        self.summary.setStyleSheet("")
        self.summary.setText(self.tr("Testing…"))
        self.again_button.setEnabled(False)
        data, refs, typed, timeout = self.data, self.refs, self.typed, self.timeout

        def work(job: Job[Step]) -> ConnectionReport:
            return job.service.test_account(
                data, refs, typed, timeout=timeout, cancel=job.cancel, listener=job.progress
            )

        self.run_work(work, self._show_steps, self._done, self._done)

    def _show_steps(self, steps: Sequence[Step]) -> None:
        for step in steps:
            self._show_step(step)

    def _show_step(self, step: Step) -> None:
        key = (step.server, step.name)
        row = self._rows.get(key)
        if row is None:
            row = QTreeWidgetItem(
                self.steps,
                [SERVER_NAMES[step.server], self.tr(STEP_NAMES.get(step.name, step.name)), "", ""],
            )
            self._rows[key] = row
        row.setText(2, self.tr(STATUS_NAMES[step.status]))
        if step.status in (StepStatus.OK, StepStatus.FAILED):  # a warning takes no time
            row.setText(3, f"{step.seconds * 1000:.0f} ms")
        if step.problem is not None:
            text = problem_text(step.problem)
            row.setToolTip(2, plain_tooltip(text))
            warning = step.status is StepStatus.WARNING
            row.setForeground(2, Qt.GlobalColor.darkYellow if warning else Qt.GlobalColor.darkRed)
            if (certificate := certificate_of(step.problem)) is not None:
                self._certificate = (step.server, certificate)

    def _done(self, outcome: ConnectionReport | Exception) -> None:
        self.again_button.setEnabled(True)
        if isinstance(outcome, ConnectionReport):
            self.report = outcome
            self._summarise(outcome)
        else:
            self.summary.setStyleSheet(style.colour(style.ERROR))
            self.summary.setText(
                self.tr("The test could not run: {reason}").format(reason=str(outcome))
            )
        self.finished_test.emit(outcome)

    def _summarise(self, report: ConnectionReport) -> None:
        failures = [s for s in report.steps if s.status is StepStatus.FAILED]
        warnings = [self._line(s) for s in report.steps if s.status is StepStatus.WARNING]
        self._offer_switch(report)
        if not failures:
            self.summary.setStyleSheet(style.colour(style.WARNING if warnings else style.OK))
            self.summary.setText("\n".join([self.tr("All steps passed."), *warnings]))
            return
        lines = warnings + [self._line(s) for s in failures if s.problem is not None]
        if self._certificate is not None:
            server, cert = self._certificate
            lines.append(
                self.tr(
                    "Certificate of {host}:\nSubject: {subject}\nIssuer: {issuer}\n"
                    "Valid from {start} to {end}\nSHA-256: {sha256}"
                ).format(
                    host=cert.host,
                    subject=cert.subject,
                    issuer=cert.issuer,
                    start=cert.not_before,
                    end=cert.not_after,
                    sha256=cert.sha256[:48] + "\n" + cert.sha256[48:],  # 95 characters
                )
            )
            self.trust_button.setText(
                self.tr("&Trust this certificate for {server}").format(server=SERVER_NAMES[server])
            )
            self.trust_button.show()
        self.summary.setStyleSheet(style.colour(style.ERROR))
        self.summary.setText("\n".join(lines))

    def _line(self, step: Step) -> str:
        """``POP3 – Log in: <the problem>``."""
        where = f"{SERVER_NAMES[step.server]} – {self.tr(STEP_NAMES.get(step.name, step.name))}"
        if step.problem is None:
            return where
        return f"{where}: {problem_text(step.problem)}"

    def _offer_switch(self, report: ConnectionReport) -> None:
        """The switch to OAuth2, where a server at a provider's own host logs
        in with a password (its warning step). A refusal that names the
        provider from another host is only reported: switching would send
        that host the provider's access tokens."""
        named = [
            str(s.problem.params.get("oauth2", ""))
            for s in report.steps
            if s.problem is not None and s.problem.code in WARNING_CODES
        ]
        if named and self.switch_callback is not None:
            self._switch = named[0]
            self.switch_button.show()

    # -- buttons --------------------------------------------------------------

    def _switch_to_oauth2(self) -> None:
        if self._switch is None or self.switch_callback is None:
            return
        self.switch_callback(self._switch)
        self.accept()

    def _trust(self) -> None:
        if self._certificate is None:
            return
        server, cert = self._certificate
        self.trust_callback(server, cert)
        section = self.data.get(server) or {}
        section["trusted_certificate"] = {"host": cert.host, "sha256": cert.sha256}
        self.start()

    def cancelling(self) -> None:
        self.summary.setText(self.tr("Cancelling…"))
