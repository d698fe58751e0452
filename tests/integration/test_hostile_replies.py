"""The network layer against hostile input and hostile servers on 127.0.0.1:
values that would smuggle in commands, malformed and non-ASCII replies,
endless and trickling replies. Every failure is a failed step with a problem
code; no secret reaches the report or any output."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mailaccounts.model.secret import Secret
from mailaccounts.net.check import run_test
from mailaccounts.net.report import ConnectionReport, certificate_of
from tests.support.certs import Authority
from tests.support.hostile_servers import ScriptedServer, pop3, smtp
from tests.support.servers import SmtpHandler, free_port
from tests.support.types import SmtpFactory, StartScriptedServer

from .test_connection_test import account, failure, steps

INJECTED = "geheim-7\r\nDELE 1\r\nDELE 2"


@pytest.fixture
def servers() -> Iterator[StartScriptedServer]:
    """Starts scripted servers; stops them after the test."""
    started: list[ScriptedServer] = []

    def start(greeting: Any, script: Any) -> ScriptedServer:
        started.append(ScriptedServer(greeting, script).start())
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
def test_pop3_password_with_line_breaks_is_never_sent(
    servers: StartScriptedServer, capfd: pytest.CaptureFixture[str], spa: bool
) -> None:
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


def test_pop3_user_name_with_nul_is_never_sent(servers: StartScriptedServer) -> None:
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
def test_smtp_credentials_with_line_breaks_are_never_sent(
    servers: StartScriptedServer,
    capfd: pytest.CaptureFixture[str],
    method: str,
    same_as_incoming: bool,
    bad: str,
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


def test_smtp_sender_address_with_line_breaks_is_never_sent(servers: StartScriptedServer) -> None:
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


# -- D5: malformed and non-ASCII replies, non-ASCII credentials and addresses ---------

UMLAUT_PW = "Grüße-2026"


def test_stat_answers_that_are_not_numbers(
    servers: StartScriptedServer, smtp_factory: SmtpFactory
) -> None:
    _, smtp_port = smtp_factory("none")
    for answer in (b"+OK \xc2\xb2 5\r\n", b"+OK 3 lots\r\n", b"+OK\r\n", b"+OK \xff\xfe\r\n"):
        server = servers(b"+OK ready\r\n", pop3({"STAT": answer}))
        data = account(server.port, "none", smtp_port=smtp_port, smtp_security="none", method=None)
        report = run_test(data, {"pop3": Secret("pw")}, timeout=3)
        failed = failure(report, "pop3")
        assert (failed.name, failed.problem.code) == ("mailbox", "protocol_error"), answer
        assert failed.problem.params["text"].startswith("+OK")
        assert steps(report, "smtp") == [("connect", "ok"), ("ehlo", "ok"), ("quit", "ok")]
        json.dumps(report.to_json())


def test_cram_md5_challenge_that_is_not_base64(
    servers: StartScriptedServer, capfd: pytest.CaptureFixture[str]
) -> None:
    for challenge in (b"334 abc\r\n", b"334 \xff\xfe\r\n", b"334 ====\r\n"):
        server = servers(b"220 smtp.test ESMTP\r\n", smtp({"AUTH CRAM-MD5": challenge}))
        data = account(free_port(), smtp_port=server.port, smtp_security="none")
        report = run_test(data, {"smtp": Secret("geheim-cram")}, timeout=3)
        failed = failure(report, "smtp")
        assert (failed.name, failed.problem.code) == ("auth", "protocol_error"), challenge
        assert "CRAM-MD5" in failed.problem.params["text"]
        assert steps(report, "pop3") == [("connect", "failed")]  # nothing listens there
        assert_secret_hidden(report, capfd, "geheim-cram")


@pytest.fixture
def umlaut_smtp(authority: Authority) -> Iterator[tuple[SmtpHandler, int]]:
    from tests.support.servers import smtp_server

    controller, handler, port = smtp_server(
        {"smtpuser": UMLAUT_PW, "jürgen": UMLAUT_PW},
        certificate=authority.issue(["localhost"]),
    )
    yield handler, port
    controller.stop()


@pytest.mark.parametrize("user", ["smtpuser", "jürgen"])
@pytest.mark.parametrize("method", ["login", "cram-md5"])
def test_smtp_login_with_umlauts_is_sent_as_utf8(
    umlaut_smtp: tuple[SmtpHandler, int],
    trusted_ca: Path,
    capfd: pytest.CaptureFixture[str],
    method: str,
    user: str,
) -> None:
    _, port = umlaut_smtp
    data = account(free_port(), smtp_port=port, method=method)
    data["smtp"]["auth"]["username"] = user
    report = run_test(data, {"smtp": Secret(UMLAUT_PW)}, timeout=5)
    assert steps(report, "smtp")[-2:] == [("auth", "ok"), ("quit", "ok")]
    # the server really checks it: the same letters in another form do not pass
    for wrong in ("Grusse-2026", "Gru\u0308ße-2026"):
        failed = failure(run_test(data, {"smtp": Secret(wrong)}, timeout=5), "smtp")
        assert (failed.name, failed.problem.code) == ("auth", "auth_rejected")
    assert_secret_hidden(report, capfd, UMLAUT_PW)


def test_pop3_login_with_umlauts_against_dovecot(
    trusted_ca: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    from tests.support.certs import Authority
    from tests.support.servers import Dovecot

    server = Dovecot({"info": UMLAUT_PW}, Authority.shared().issue(["localhost"])).start()
    try:
        report = run_test(account(server.tls_port, "ssl"), {"pop3": Secret(UMLAUT_PW)}, timeout=5)
        assert steps(report, "pop3")[-2:] == [("login", "ok"), ("mailbox", "ok")]
        wrong = run_test(
            account(server.tls_port, "ssl"), {"pop3": Secret("Grusse-2026")}, timeout=5
        )
        assert (failure(wrong, "pop3").name, failure(wrong, "pop3").problem.code) == (
            "login",
            "auth_rejected",
        )
        assert_secret_hidden(report, capfd, UMLAUT_PW)
    finally:
        server.stop()


@pytest.mark.parametrize("smtputf8", [False, True], ids=["plain-server", "smtputf8-server"])
def test_test_message_to_an_address_with_umlauts(
    authority: Authority, trusted_ca: Path, smtputf8: bool
) -> None:
    from tests.support.servers import smtp_server

    controller, handler, port = smtp_server(
        {"smtpuser": "pw"}, certificate=authority.issue(["localhost"]), smtputf8=smtputf8
    )
    try:
        data = account(free_port(), smtp_port=port, method=None)
        data["address"] = "jürgen@müller.example"
        report = run_test(data, {}, timeout=5, send_test_message=True)
        if smtputf8:
            assert steps(report, "smtp")[-2:] == [("send", "ok"), ("quit", "ok")]
            [message] = handler.messages
            assert message.mail_from == message.rcpt_tos[0] == "jürgen@müller.example"
            assert "To: jürgen@müller.example" in message.original_content.decode()
        else:
            failed = failure(report, "smtp")
            assert (failed.name, failed.problem.code) == ("send", "smtputf8_not_offered")
            assert handler.messages == []
        json.dumps(report.to_json())
    finally:
        controller.stop()


def test_test_message_to_a_domain_with_umlauts_needs_no_smtputf8(smtp_factory: SmtpFactory) -> None:
    handler, port = smtp_factory("none")
    data = account(free_port(), smtp_port=port, smtp_security="none", method=None)
    data["address"] = "info@müller.example"
    report = run_test(data, {}, timeout=5, send_test_message=True)
    assert steps(report, "smtp")[-2:] == [("send", "ok"), ("quit", "ok")]
    [message] = handler.messages
    assert message.mail_from == message.rcpt_tos[0] == "info@xn--mller-kva.example"


def test_server_text_with_control_characters_and_bad_utf8(servers: StartScriptedServer) -> None:
    junk = b"-ERR \x1b[2J\x1b]0;owned\x07 nope\x00 \xff\xfe Gr\xc3\xbc\xc3\x9fe \xc2\x9b31m\r\n"
    capa = b"+OK\r\nUSER\r\nX-\x1b[2J\x00\r\n.\r\n"
    server = servers(b"+OK ready\r\n", pop3({"PASS": junk, "CAPA": capa}))
    report = run_test(account(server.port, "none"), {"pop3": Secret("pw")}, timeout=3)
    [capabilities] = [s for s in report.steps if s.name == "capabilities"]
    assert capabilities.detail["capabilities"] == ["USER", "X-\\x1b[2J\\x00"]
    failed = failure(report, "pop3")
    assert (failed.name, failed.problem.code) == ("login", "auth_rejected")
    text = failed.problem.params["text"]
    assert text.startswith("-ERR ") and "nope" in text and "Grüße" in text
    assert not any(ord(c) < 32 or 127 <= ord(c) < 160 for c in text), repr(text)


def test_a_secret_the_server_echoes_is_not_in_the_report(
    servers: StartScriptedServer, capfd: pytest.CaptureFixture[str]
) -> None:
    import base64

    secret = "Echo-Geheim-9"
    encoded = base64.b64encode(secret.encode()).decode()
    server = servers(b"+OK ready\r\n", pop3({"PASS": f"-ERR wrong password {secret}\r\n".encode()}))
    report = run_test(account(server.port, "none"), {"pop3": Secret(secret)}, timeout=3)
    assert failure(report, "pop3").problem.params["text"] == "-ERR wrong password ********"
    assert_secret_hidden(report, capfd, secret)

    # AUTH LOGIN: the server echoes the base64 password it got; CRAM-MD5: the secret
    echo = f"535 no such password: {secret} ({encoded})\r\n".encode()
    login = smtp(
        {"AUTH LOGIN": b"334 VXNlcm5hbWU6\r\n", "c210cHVzZXI=": b"334 UGFzc3dvcmQ6\r\n"}, echo
    )
    cram = smtp({"AUTH CRAM-MD5": b"334 PDEyMz4=\r\n"}, echo)
    for method, script in (("login", login), ("cram-md5", cram)):
        smtp_server = servers(b"220 smtp.test ESMTP\r\n", script)
        data = account(free_port(), smtp_port=smtp_server.port, smtp_security="none", method=method)
        report = run_test(data, {"smtp": Secret(secret)}, timeout=3)
        failed = failure(report, "smtp")
        assert (failed.name, failed.problem.code) == ("auth", "auth_rejected")
        assert failed.problem.params["text"] == "535 no such password: ******** (********)"
        assert_secret_hidden(report, capfd, secret, encoded)


def test_tls_junk_after_the_handshake(
    authority: Authority, trusted_ca: Path, smtp_factory: SmtpFactory
) -> None:
    from tests.support.hostile_servers import tls_junk_server

    server = tls_junk_server(authority.issue(["localhost"]))
    _, smtp_port = smtp_factory("none")
    try:
        data = account(server.port, "ssl", smtp_port=smtp_port, smtp_security="none", method=None)
        report = run_test(data, {"pop3": Secret("pw")}, timeout=3)
        failed = failure(report, "pop3")
        assert (failed.name, failed.problem.code) == ("capabilities", "connection_lost")
        assert steps(report, "smtp")[-1] == ("quit", "ok")
    finally:
        server.stop()


def test_an_unexpected_exception_in_a_step_is_a_failed_step() -> None:
    from mailaccounts.net.report import NetError
    from mailaccounts.net.steps import Recorder

    report = ConnectionReport()
    seen: list[Any] = []
    recorder = Recorder("smtp", report, seen.append)
    with pytest.raises(NetError), recorder.step("auth"):
        raise UnicodeEncodeError("ascii", "Grüße-geheim", 2, 3, "ordinal not in range")
    [step] = report.steps
    assert step.problem is not None
    assert (step.name, step.status.value, step.problem.code) == ("auth", "failed", "protocol_error")
    assert step.problem.params == {"text": "UnicodeEncodeError"}
    assert "geheim" not in json.dumps(report.to_json())
    assert [s.status.value for s in seen] == ["running", "failed"]


# -- D6: limits on replies and on the time a step takes ---------------------------------

MEASURED_CLIENT = """
import json, resource, sys, time
from mailaccounts.net.check import run_test
from mailaccounts.model.secret import Secret

def peak_kib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

data, timeout = json.loads(sys.argv[1]), float(sys.argv[2])
before, started = peak_kib(), time.monotonic()
report = run_test(data, {"pop3": Secret("pw"), "smtp": Secret("pw")}, timeout=timeout)
print(json.dumps({
    "report": report.to_json(),
    "seconds": time.monotonic() - started,
    "grew_mib": (peak_kib() - before) / 1024,
}))
"""


def measured_run(data: dict[str, Any], timeout: float) -> dict[str, Any]:
    """The test in a process of its own: its report, time and peak memory growth."""
    import os
    import subprocess
    import sys

    from tests.support.cli import REPO

    done = subprocess.run(
        [sys.executable, "-c", MEASURED_CLIENT, json.dumps(data), str(timeout)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=120,
        check=True,
    )
    measured: dict[str, Any] = json.loads(done.stdout)
    return measured


def failed_step(report: dict[str, Any], server: str) -> dict[str, Any]:
    step: dict[str, Any]
    [step] = [s for s in report["steps"] if s["server"] == server and s["status"] == "failed"]
    return step


def test_endless_capa_is_cut_off_with_little_memory(servers: StartScriptedServer) -> None:
    from tests.support.hostile_servers import endless

    capa = endless(b"+OK\r\n", b"X-CAPABILITY-" + b"x" * 20 + b"\r\n")
    server = servers(b"+OK ready\r\n", pop3({"CAPA": capa}))
    result = measured_run(account(server.port, "none"), timeout=10)
    step = failed_step(result["report"], "pop3")
    assert (step["step"], step["problem"]["code"]) == ("capabilities", "reply_too_long")
    assert step["problem"]["lines"] == 1000
    assert result["seconds"] < 3 and result["grew_mib"] < 50, result


def test_endless_ehlo_is_cut_off_with_little_memory(servers: StartScriptedServer) -> None:
    from tests.support.hostile_servers import endless

    ehlo = endless(b"250-smtp.test\r\n", b"250-X-EXTENSION-" + b"x" * 20 + b"\r\n")
    server = servers(b"220 smtp.test ESMTP\r\n", smtp({"EHLO": ehlo}))
    data = account(free_port(), smtp_port=server.port, smtp_security="none")
    result = measured_run(data, timeout=10)
    step = failed_step(result["report"], "smtp")
    assert (step["step"], step["problem"]["code"]) == ("ehlo", "reply_too_long")
    assert result["seconds"] < 3 and result["grew_mib"] < 50, result


@pytest.mark.parametrize("protocol", ["pop3", "smtp"])
def test_a_line_without_end_is_cut_off(servers: StartScriptedServer, protocol: str) -> None:
    from tests.support.hostile_servers import endless

    line = endless(b"", b"x" * 1000, lines=100_000)  # 100 MB, no line break
    if protocol == "pop3":
        server = servers(line, pop3())
        data = account(server.port, "none")
    else:
        server = servers(b"220 smtp.test ESMTP\r\n", smtp({"EHLO": line}))
        data = account(free_port(), smtp_port=server.port, smtp_security="none")
    started = time.monotonic()
    failed = failure(
        run_test(data, {"pop3": Secret("pw"), "smtp": Secret("pw")}, timeout=5), protocol
    )
    assert time.monotonic() - started < 3
    assert (failed.name, failed.problem.code) == (
        "capabilities" if protocol == "pop3" else "ehlo",
        "reply_too_long",
    )
    assert failed.problem.params["line_bytes"] == 8192


def run_in_thread(
    data: dict[str, Any], timeout: float, wait: float
) -> tuple[ConnectionReport, float]:
    """run_test on a worker; fails if it does not end within *wait* seconds."""
    result: list[ConnectionReport] = []
    started = time.monotonic()
    worker = threading.Thread(
        target=lambda: result.append(run_test(data, {"pop3": Secret("pw")}, timeout=timeout))
    )
    worker.start()
    worker.join(wait)
    assert not worker.is_alive(), f"the test still runs after {wait} s"
    return result[0], time.monotonic() - started


@pytest.mark.parametrize("where", ["greeting", "capa"])
def test_a_trickling_pop3_server_cannot_hold_a_step_open(
    servers: StartScriptedServer, where: str
) -> None:
    from tests.support.hostile_servers import trickle

    if where == "greeting":  # one byte every 0.2 s, the line never ends
        server = servers(trickle(b"+", b"O", every=0.2), pop3())
    else:  # one capability every 0.5 s, the list never ends
        server = servers(b"+OK ready\r\n", pop3({"CAPA": trickle(b"+OK\r\n", b"X-SLOW\r\n")}))
    report, elapsed = run_in_thread(account(server.port, "none"), timeout=2, wait=8)
    failed = failure(report, "pop3")
    assert (failed.name, failed.problem.code) == ("capabilities", "step_deadline")
    assert failed.problem.params["seconds"] == 2
    assert 1.9 <= failed.seconds < 3 and elapsed < 3.5


def test_a_trickling_smtp_server_cannot_hold_a_step_open(servers: StartScriptedServer) -> None:
    from tests.support.hostile_servers import trickle

    ehlo = trickle(b"250-smtp.test\r\n", b"250-X-SLOW\r\n")
    server = servers(b"220 smtp.test ESMTP\r\n", smtp({"EHLO": ehlo}))
    data = account(free_port(), smtp_port=server.port, smtp_security="none")
    report, elapsed = run_in_thread(data, timeout=2, wait=8)
    failed = failure(report, "smtp")
    assert (failed.name, failed.problem.code) == ("ehlo", "step_deadline")
    assert failed.problem.params["seconds"] == 2
    assert 1.9 <= failed.seconds < 3 and elapsed < 3.5


def test_certificate_names_with_control_characters(trusted_ca: Path) -> None:
    from tests.support.certs import Authority
    from tests.support.hostile_servers import tls_junk_server

    evil = Authority("Evil \x1b[2J\x1b]0;owned\x07 CA").issue(["localhost"])
    server = tls_junk_server(evil)
    try:
        report = run_test(account(server.port, "ssl"), {"pop3": Secret("pw")}, timeout=3)
        failed = failure(report, "pop3")
        assert (failed.name, failed.problem.code) == ("tls", "cert_untrusted")
        certificate = certificate_of(failed.problem)
        assert certificate is not None and "Evil" in certificate.issuer
        shown = certificate.issuer + certificate.subject
        assert not any(ord(c) < 32 or 127 <= ord(c) < 160 for c in shown), repr(shown)
    finally:
        server.stop()


def test_cancel_still_ends_a_trickling_step_within_a_second(servers: StartScriptedServer) -> None:
    from mailaccounts.net.transport import CancelToken
    from tests.support.hostile_servers import trickle

    server = servers(b"+OK ready\r\n", pop3({"CAPA": trickle(b"+OK\r\n", b"X-SLOW\r\n")}))
    cancel = CancelToken()
    result: list[ConnectionReport] = []
    worker = threading.Thread(
        target=lambda: result.append(
            run_test(
                account(server.port, "none"), {"pop3": Secret("pw")}, timeout=30, cancel=cancel
            )
        )
    )
    worker.start()
    time.sleep(1.2)
    cancelled_at = time.monotonic()
    cancel.cancel()
    worker.join(5)
    assert time.monotonic() - cancelled_at < 1.0
    failed = failure(result[0], "pop3")
    assert (failed.name, failed.problem.code) == ("capabilities", "cancelled")
    assert steps(result[0], "smtp") == []


# -- what we say of ourselves, and refusals of the test message ----------------------


def test_ehlo_names_our_address_without_asking_dns(servers: StartScriptedServer) -> None:
    """smtplib would ask the resolver for our name (getfqdn) outside any
    deadline; we greet with our address literal, as mail clients do."""
    server = servers(b"220 smtp.test ESMTP\r\n", smtp())
    data = account(free_port(), smtp_port=server.port, smtp_security="none", method=None)
    run_test(data, {}, timeout=3)
    assert b"ehlo [127.0.0.1]\r\n" in server.wire()  # smtplib writes verbs in lower case


@pytest.mark.parametrize("verb", ["MAIL", "DATA"])
def test_a_refused_sender_or_message_is_send_rejected(
    servers: StartScriptedServer, verb: str
) -> None:
    server = servers(b"220 smtp.test ESMTP\r\n", smtp({verb: b"550 5.7.1 not from here\r\n"}))
    data = account(free_port(), smtp_port=server.port, smtp_security="none", method=None)
    report = run_test(data, {}, timeout=3, send_test_message=True)
    failed = failure(report, "smtp")
    assert (failed.name, failed.problem.code) == ("send", "send_rejected")
    assert failed.problem.params["text"] == "550 5.7.1 not from here"


def test_international_names_go_out_in_the_form_the_model_checked() -> None:
    from mailaccounts.net.transport import wire_name

    # IDNA 2003 (Python's codec) would turn "ß" into "ss": another domain
    assert wire_name("straße.de") == "xn--strae-oqa.de"
    assert wire_name("[2001:db8::1]") == "2001:db8::1"
    assert wire_name("mail.example.com") == "mail.example.com"
