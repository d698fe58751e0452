"""The whole connection test of one account: POP3, then SMTP.

Each server is tested to its first failing step; a failure on one does not
stop the test of the other."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from typing import Any

from ..model.providers import password_notices
from ..model.rules import smtp_login_of, smtp_server_of
from .pop3 import Pop3Target
from .pop3 import run as run_pop3
from .report import ConnectionReport, NetError, Step, StepStatus
from .sasl import Credential
from .smtp import SmtpTarget
from .smtp import run as run_smtp
from .steps import Recorder, StepListener
from .transport import CancelToken, StepClock

DEFAULT_TIMEOUT = 15.0


def _pin(section: Mapping[str, Any], host: str) -> str | None:
    trusted = section.get("trusted_certificate") or {}
    if trusted and str(trusted.get("host", "")).casefold() == host.casefold():
        return str(trusted["sha256"])
    return None


def pop3_target(data: Mapping[str, Any]) -> Pop3Target:
    pop3 = data["pop3"]
    return Pop3Target(
        host=pop3["server"],
        port=pop3["port"],
        security=pop3["security"],
        username=pop3["username"],
        spa=pop3["spa"],
        pinned_sha256=_pin(pop3, pop3["server"]),
        oauth2=bool(pop3.get("oauth2")),
    )


def smtp_target(data: Mapping[str, Any]) -> SmtpTarget:
    """The server and login the account's rules say (``model/rules.py``)."""
    server = smtp_server_of(data)
    login = smtp_login_of(data)
    return SmtpTarget(
        host=server.host,
        port=server.port,
        security=server.security,
        server_name=server.server_name,
        auth_method=login.method if login.required else None,
        username=login.username,
        sender=data["address"],
        pinned_sha256=_pin(data["smtp"], server.tls_name),
        username_field=login.username_field,
        password_field=login.password_field,
    )


def _warn_of_passwords(
    data: Mapping[str, Any],
    server: str,
    report: ConnectionReport,
    listener: StepListener | None,
) -> None:
    """A warning step ``password`` for *server* when it logs in with a
    password at a provider that has turned that off or turns it off."""
    for notice in password_notices(data):
        if notice.server == server:
            step = Step(server, "password", StepStatus.WARNING, problem=notice.problem)
            report.steps.append(step)
            if listener is not None:
                listener(step)


def run_test(
    data: Mapping[str, Any],
    secrets: Mapping[str, Credential],
    *,
    timeout: float = DEFAULT_TIMEOUT,
    send_test_message: bool = False,
    cancel: CancelToken | None = None,
    listener: StepListener | None = None,
) -> ConnectionReport:
    """*data* is a validated account in its JSON form; *secrets* by name
    (``pop3``, ``smtp`` passwords; ``oauth2``: the account's token source).
    *timeout* (seconds) bounds every wait for the server and every step."""
    cancel = cancel or CancelToken()
    clock = StepClock(timeout)
    report = ConnectionReport()
    pop3 = pop3_target(data)
    _warn_of_passwords(data, "pop3", report, listener)
    with contextlib.suppress(NetError):
        run_pop3(
            pop3,
            secrets.get("oauth2") if pop3.oauth2 else secrets.get("pop3"),
            Recorder("pop3", report, listener, clock),
            clock,
            cancel,
        )
    if cancel.cancelled:
        return report
    target = smtp_target(data)
    smtp_secret = secrets.get(smtp_login_of(data).secret)
    _warn_of_passwords(data, "smtp", report, listener)
    with contextlib.suppress(NetError):
        run_smtp(
            target,
            target.username,
            smtp_secret,
            Recorder("smtp", report, listener, clock),
            clock,
            cancel,
            send_test_message,
        )
    return report
