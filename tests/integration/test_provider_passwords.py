"""Providers that stop password login (Microsoft 365, Google): the
connection test warns of them, reports their "passwords are off" answers as
exactly that, and the CLI mentions them. Scripted servers on 127.0.0.1 answer
as the providers' servers do; a provider's own host name is never reached
(there is no route to it here: its connect step fails at DNS)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mailaccounts.model.secret import Secret
from mailaccounts.net.check import run_test
from mailaccounts.net.report import ConnectionReport, Step, StepStatus
from tests.support.accounts import pop3_account
from tests.support.hostile_servers import ScriptedServer, pop3, smtp
from tests.support.servers import free_port
from tests.support.types import Cli, StartScriptedServer

from .test_connection_test import account, failure

PASSWORD = Secret("geheim-provider")


@pytest.fixture
def servers() -> Iterator[StartScriptedServer]:
    started: list[ScriptedServer] = []

    def start(greeting: Any, script: Any) -> ScriptedServer:
        started.append(ScriptedServer(greeting, script).start())
        return started[-1]

    yield start
    for server in started:
        server.stop()


def smtp_login_answered(servers: StartScriptedServer, answer: bytes) -> ConnectionReport:
    """AUTH LOGIN at a scripted SMTP server that refuses the password with *answer*."""
    agreeable = smtp()
    logins: list[bytes] = []

    def script(line: bytes) -> Any:
        verb = line.split(b" ", 1)[0].strip().upper()
        if verb in (b"EHLO", b"QUIT"):
            return agreeable(line)
        if verb == b"AUTH":
            return b"334 VXNlcm5hbWU6\r\n"
        logins.append(line)  # the user name, then the password
        return b"334 UGFzc3dvcmQ6\r\n" if len(logins) == 1 else answer

    server = servers(b"220 smtp.test ESMTP\r\n", script)
    data = account(free_port(), smtp_port=server.port, smtp_security="none", method="login")
    return run_test(data, {"smtp": PASSWORD}, timeout=3)


MICROSOFT_SMTP = [
    b"535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the "
    b"Tenant. Visit https://aka.ms/smtp_auth_disabled for more information.\r\n",
    b"535 5.7.139 Authentication unsuccessful, basic authentication is disabled.\r\n",
    b"550 5.7.30 Basic authentication is not supported for Client Submission.\r\n",
]
GOOGLE_SMTP = [
    b"534-5.7.9 Application-specific password required. For more information, go to\r\n"
    b"534 5.7.9  https://support.google.com/mail/?p=InvalidSecondFactor\r\n",
    b"534-5.7.14 <https://accounts.google.com/signin/continue?sarp=1> Please log in via your "
    b"web browser and\r\n534 5.7.14 then try again.\r\n",
]


@pytest.mark.parametrize(
    ("answer", "provider"),
    [(a, "Microsoft 365") for a in MICROSOFT_SMTP] + [(a, "Google") for a in GOOGLE_SMTP],
)
def test_smtp_passwords_off_is_its_own_problem(
    servers: StartScriptedServer, answer: bytes, provider: str
) -> None:
    failed = failure(smtp_login_answered(servers, answer), "smtp")
    assert (failed.name, failed.problem.code) == ("auth", "provider_password_refused")
    assert failed.problem.params["provider"] == provider
    assert failed.problem.params["oauth2"] == {"Microsoft 365": "microsoft"}.get(provider, "google")
    assert failed.problem.params["text"].startswith(answer[:3].decode())


@pytest.mark.parametrize(
    "answer",
    [
        b"535 5.7.139 Authentication unsuccessful, the user credentials were incorrect.\r\n",
        b"535-5.7.8 Username and Password not accepted. For more information, go to\r\n"
        b"535 5.7.8  https://support.google.com/mail/?p=BadCredentials\r\n",
    ],
)
def test_smtp_a_wrong_password_stays_a_rejected_login(
    servers: StartScriptedServer, answer: bytes
) -> None:
    failed = failure(smtp_login_answered(servers, answer), "smtp")
    assert (failed.name, failed.problem.code) == ("auth", "auth_rejected")


@pytest.mark.parametrize(
    ("answer", "code"),
    [
        (
            b"-ERR [AUTH] Application-specific password required: "
            b"https://support.google.com/accounts/answer/185833\r\n",
            "provider_password_refused",
        ),
        (
            b"-ERR [AUTH] Web login required: https://support.google.com/mail/answer/78754\r\n",
            "provider_password_refused",
        ),
        # Microsoft's answer when POP3 basic authentication is off is also its
        # answer to a wrong password: it stays a rejected login
        (b"-ERR Logon failure: unknown user name or bad password.\r\n", "auth_rejected"),
    ],
)
def test_pop3_passwords_off_is_its_own_problem(
    servers: StartScriptedServer, answer: bytes, code: str
) -> None:
    server = servers(b"+OK ready\r\n", pop3({"PASS": answer}))
    data = account(server.port, "none")
    report = run_test(data, {"pop3": PASSWORD}, timeout=3)
    failed = failure(report, "pop3")
    assert (failed.name, failed.problem.code) == ("login", code)
    if code == "provider_password_refused":
        assert failed.problem.params["provider"] == "Google"
        assert failed.problem.params["oauth2"] == "google"
    assert PASSWORD.reveal() not in json.dumps(report.to_json())


def provider_account(**changes: Any) -> dict[str, Any]:
    data = account(free_port(), "ssl", smtp_security="starttls", method="login")
    data["pop3"]["server"] = "Outlook.Office365.COM."  # case and the trailing dot do not matter
    data["smtp"]["server"] = "smtp.gmail.com"
    for path, value in changes.items():
        *parents, leaf = path.split(".")
        node = data
        for part in parents:
            node = node[part]
        node[leaf] = value
    return data


def warnings(report: ConnectionReport) -> list[tuple[str, str]]:
    return [
        (s.server, s.problem.code)
        for s in report.steps
        if s.status is StepStatus.WARNING and s.problem is not None
    ]


def test_the_connection_test_warns_before_each_provider_server() -> None:
    seen: list[Step] = []
    report = run_test(provider_account(), {}, timeout=2, listener=seen.append)
    assert warnings(report) == [
        ("pop3", "password_off_microsoft_pop3"),
        ("smtp", "password_off_google"),
    ]
    order = [(s.server, s.name, s.status.value) for s in seen]
    assert order[0] == ("pop3", "password", "warning")  # before the server is asked
    assert order.index(("smtp", "password", "warning")) < order.index(
        ("smtp", "connect", "running")
    )
    as_json = report.to_json()
    first = as_json["steps"][0]
    assert first["status"] == "warning"
    assert first["problem"] == {
        "code": "password_off_microsoft_pop3",
        "host": "Outlook.Office365.COM.",
        "provider": "Microsoft 365",
        "oauth2": "microsoft",
    }


def test_no_warning_once_the_servers_use_oauth2() -> None:
    data = provider_account(**{"pop3.oauth2": True, "smtp.auth.method": "oauth2"})
    report = run_test(data, {}, timeout=2)
    assert warnings(report) == []
    no_auth = provider_account(**{"pop3.server": "pop.mustermann.de", "smtp.auth.required": False})
    assert warnings(run_test(no_auth, {}, timeout=2)) == []


def test_a_warning_does_not_fail_the_test() -> None:
    report = ConnectionReport(
        [
            Step("pop3", "password", StepStatus.WARNING),
            Step("pop3", "connect", StepStatus.OK),
        ]
    )
    assert report.ok and report.to_json()["ok"] is True


def test_cli_show_and_test_mention_the_provider(cli: Cli) -> None:
    assert cli("operators", "add", "ADM").code == 0
    data = pop3_account()
    data["pop3"]["server"] = "pop.gmail.com"
    data["smtp"]["server"] = "SMTP.office365.com"
    data["smtp"]["auth"]["method"] = "login"
    added = cli("add", "--file", "-", stdin=json.dumps(data))
    assert added.code == 0, added.err
    assert "warning: pop3.server: pop.gmail.com: Google no longer accepts passwords" in added.err
    shown = cli("show", "1000")
    assert shown.code == 0
    assert (
        "warning: smtp.server: SMTP.office365.com: Microsoft 365 turns password login for "
        "SMTP (SMTP AUTH) off by default from the end of December 2026" in shown.err
    )
    tested = cli(
        "test", "1000", "--timeout", "2", "--password", "pop3", "--password", "smtp", stdin="a\nb\n"
    )
    assert tested.code == 1  # nothing answers at those names here
    rows = [line.split()[:3] for line in tested.out.splitlines()]
    assert ["POP3", "password", "warning"] in rows and ["SMTP", "password", "warning"] in rows
    assert "switch the account to OAuth2" in tested.out
    as_json = json.loads(cli("test", "1000", "--timeout", "2", "--json").out)
    assert [s["problem"]["code"] for s in as_json["steps"] if s["status"] == "warning"] == [
        "password_off_google",
        "password_ending_microsoft_smtp",
    ]


def test_fetching_reports_the_provider_refusal_too(
    cli: Cli, servers: StartScriptedServer, tmp_path: Path
) -> None:
    refusing = pop3({"PASS": b"-ERR [AUTH] Web login required: https://support.google.com/\r\n"})
    server = servers(b"+OK ready\r\n", refusing)
    assert cli("operators", "add", "ADM").code == 0
    data = pop3_account()
    data["pop3"].update(
        {"server": "127.0.0.1", "port": server.port, "security": "none", "password": "geheim-1"}
    )
    assert cli("add", "--file", "-", stdin=json.dumps(data)).code == 0
    fetched = cli("--mail-root", str(tmp_path / "mail"), "fetch", "1000", "--json")
    assert fetched.code == 1
    [result] = json.loads(fetched.out)["accounts"]
    assert result["problem"]["code"] == "provider_password_refused"
    assert result["problem"]["message"].startswith(
        "Google no longer accepts passwords for this server: switch the account to OAuth2"
    )
    assert "geheim-1" not in fetched.out + fetched.err
