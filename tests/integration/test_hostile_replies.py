"""The network layer against hostile input and hostile servers on 127.0.0.1:
values that would smuggle in commands, malformed and non-ASCII replies,
endless and trickling replies. Every failure is a failed step with a problem
code; no secret reaches the report or any output."""

from __future__ import annotations

import json
from typing import Any

import pytest

from mailaccounts.net.check import run_test
from mailaccounts.net.report import ConnectionReport
from mailaccounts.secrets import Secret
from tests.support.hostile_servers import ScriptedServer, pop3, smtp
from tests.support.servers import free_port

from .test_connection_test import account, failure, steps

INJECTED = "geheim-7\r\nDELE 1\r\nDELE 2"


@pytest.fixture
def servers():  # type: ignore[no-untyped-def]
    """Starts scripted servers; stops them after the test."""
    started: list[ScriptedServer] = []

    def start(greeting: Any, script: Any) -> ScriptedServer:
        started.append(ScriptedServer(greeting, script).start())  # type: ignore[arg-type]
        return started[-1]

    yield start
    for server in started:
        server.stop()


def assert_secret_hidden(
    report: ConnectionReport, capfd: pytest.CaptureFixture[str], *secrets: str
) -> None:
    text = json.dumps(report.to_json(), ensure_ascii=False)
    captured = capfd.readouterr()
    for secret in secrets:
        for part in {secret, *secret.splitlines()} - {""}:
            assert part not in text
            assert part not in captured.out + captured.err


# -- D2: no command line with CR, LF or NUL leaves ------------------------------------


@pytest.mark.parametrize("spa", [False, True], ids=["user-pass", "ntlm"])
def test_pop3_password_with_line_breaks_is_never_sent(servers, capfd, spa: bool) -> None:  # type: ignore[no-untyped-def]
    server = servers(b"+OK ready\r\n", pop3())
    report = run_test(account(server.port, "none", spa=spa), {"pop3": Secret(INJECTED)}, timeout=3)
    failed = failure(report, "pop3")
    assert (failed.name, failed.problem.code) == ("login", "unsafe_value")
    assert failed.problem.params == {"field": "pop3.password"}
    wire = server.wire()
    assert b"DELE" not in wire and b"PASS" not in wire and b"AUTH" not in wire
    assert b"geheim-7" not in wire
    assert ("mailbox", "ok") not in steps(report, "pop3")
    assert_secret_hidden(report, capfd, INJECTED)


def test_pop3_user_name_with_nul_is_never_sent(servers) -> None:  # type: ignore[no-untyped-def]
    server = servers(b"+OK ready\r\n", pop3())
    data = account(server.port, "none", username="info\x00DELE 1")
    failed = failure(run_test(data, {"pop3": Secret("pw")}, timeout=3), "pop3")
    assert (failed.name, failed.problem.code) == ("login", "unsafe_value")
    assert failed.problem.params == {"field": "pop3.username"}
    assert b"USER" not in server.wire()


SMTP_FIELDS = {False: "smtp.auth", True: "pop3"}
"""Where the SMTP login comes from, by "same as incoming"."""


@pytest.mark.parametrize("method", ["login", "cram-md5"])
@pytest.mark.parametrize("same_as_incoming", [False, True], ids=["own-login", "same-as-pop3"])
@pytest.mark.parametrize("bad", ["password", "username"])
def test_smtp_credentials_with_line_breaks_are_never_sent(  # type: ignore[no-untyped-def]
    servers, capfd, method: str, same_as_incoming: bool, bad: str
) -> None:
    server = servers(b"220 smtp.test ESMTP\r\n", smtp())
    data = account(free_port(), smtp_port=server.port, smtp_security="none", method=method)
    data["smtp"]["auth"]["same_as_incoming"] = same_as_incoming
    password = INJECTED if bad == "password" else "pw"
    if bad == "username":
        data["pop3"]["username"] = data["smtp"]["auth"]["username"] = "smtpuser\r\nRSET"
    report = run_test(data, {"pop3": Secret(password), "smtp": Secret(password)}, timeout=3)
    failed = failure(report, "smtp")
    assert (failed.name, failed.problem.code) == ("auth", "unsafe_value")
    assert failed.problem.params == {"field": f"{SMTP_FIELDS[same_as_incoming]}.{bad}"}
    wire = server.wire()
    assert b"AUTH" not in wire and b"RSET" not in wire and b"DELE" not in wire
    assert_secret_hidden(report, capfd, INJECTED)


def test_smtp_sender_address_with_line_breaks_is_never_sent(servers) -> None:  # type: ignore[no-untyped-def]
    server = servers(b"220 smtp.test ESMTP\r\n", smtp())
    data = account(free_port(), smtp_port=server.port, smtp_security="none", method=None)
    data["address"] = "info@mustermann.de\r\nRSET\r\nMAIL FROM:<x@evil.test>"
    report = run_test(data, {}, timeout=3, send_test_message=True)
    failed = failure(report, "smtp")
    assert (failed.name, failed.problem.code) == ("send", "unsafe_value")
    assert failed.problem.params == {"field": "address"}
    wire = server.wire()
    assert b"MAIL" not in wire and b"RSET" not in wire
    json.dumps(report.to_json())
