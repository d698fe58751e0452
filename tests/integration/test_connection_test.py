"""The connection test against real servers on 127.0.0.1: Dovecot (POP3),
aiosmtpd (SMTP), pyspnego's NTLM acceptor, a silent server."""

from __future__ import annotations

import copy
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mailaccounts.model.secret import Secret
from mailaccounts.net.check import run_test
from mailaccounts.net.report import ConnectionReport, StepStatus, certificate_of
from mailaccounts.net.transport import CancelToken
from tests.support.certs import Authority, self_signed
from tests.support.servers import (
    BackgroundServer,
    Dovecot,
    SilentHandler,
    free_port,
    ntlm_pop3_server,
    recording_proxy,
)
from tests.support.types import SmtpFactory

from .conftest import POP3_USERS, SMTP_USERS

POP3_PW = Secret(POP3_USERS["info"])
SMTP_PW = Secret(SMTP_USERS["smtpuser"])


def account(
    pop3_port: int,
    pop3_security: str = "ssl",
    *,
    smtp_port: int | None = None,
    smtp_security: str = "starttls",
    method: str | None = "cram-md5",
    **pop3: Any,
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "number": "1000",
        "address": "info@mustermann.de",
        "exchange": False,
        "pop3": {
            "server": "localhost",
            "port": pop3_port,
            "username": "info",
            "spa": False,
            "security": pop3_security,
            "trusted_certificate": None,
            **pop3,
        },
        "smtp": {
            "separate": True,
            "server": "localhost",
            "server_name": "",
            "port": smtp_port or free_port(),
            "security": smtp_security,
            "auth": {
                "required": method is not None,
                "method": method or "login",
                "username": "smtpuser",
                "same_as_incoming": False,
            },
            "trusted_certificate": None,
        },
        "operators": ["ADM"],
        "workgroups": [],
        "exchange_settings": None,
    }
    return data


def steps(report: ConnectionReport, server: str) -> list[tuple[str, str]]:
    return [(s.name, s.status.value) for s in report.steps if s.server == server]


def failure(report: ConnectionReport, server: str) -> Any:
    [failed] = [s for s in report.steps if s.server == server and s.status is StepStatus.FAILED]
    return failed


def pop3_only(
    data: dict[str, Any], secrets: dict[str, Secret | None] | None = None, **options: Any
) -> ConnectionReport:
    return run_test(data, secrets or {"pop3": POP3_PW, "smtp": SMTP_PW}, timeout=5, **options)


# -- POP3 (Dovecot) ---------------------------------------------------------------


def test_pop3_implicit_tls_success(dovecot: Dovecot, trusted_ca: Path) -> None:
    report = pop3_only(account(dovecot.tls_port, "ssl"))
    assert steps(report, "pop3") == [
        ("connect", "ok"),
        ("tls", "ok"),
        ("capabilities", "ok"),
        ("login", "ok"),
        ("mailbox", "ok"),
    ]
    mailbox = next(s for s in report.steps if s.name == "mailbox")
    assert mailbox.detail["messages"] == 1
    assert all(s.seconds >= 0 for s in report.steps)


def test_pop3_stls_success(dovecot: Dovecot, trusted_ca: Path) -> None:
    report = pop3_only(account(dovecot.port, "starttls"))
    assert steps(report, "pop3") == [
        ("connect", "ok"),
        ("capabilities", "ok"),
        ("starttls", "ok"),
        ("login", "ok"),
        ("mailbox", "ok"),
    ]


def test_pop3_wrong_password_is_rejected_with_the_servers_text(
    dovecot: Dovecot, trusted_ca: Path
) -> None:
    report = pop3_only(account(dovecot.tls_port, "ssl"), {"pop3": Secret("falsch")})
    failed = failure(report, "pop3")
    assert failed.name == "login" and failed.problem.code == "auth_rejected"
    assert "Authentication failed" in failed.problem.params["text"]


def test_tls_required_but_stls_not_offered_sends_no_credential(tmp_path: Path) -> None:
    plain = Dovecot(POP3_USERS, None).start()  # no TLS at all: no STLS in CAPA
    proxy = recording_proxy(plain.port)
    try:
        report = pop3_only(account(proxy.port, "starttls"))
        failed = failure(report, "pop3")
        assert (failed.name, failed.problem.code) == ("starttls", "starttls_not_offered")
        time.sleep(0.2)
        sent = b"".join(proxy.server.state["received"])
        assert sent.startswith(b"CAPA")
        assert b"USER" not in sent and b"PASS" not in sent and b"AUTH" not in sent
        assert POP3_USERS["info"].encode() not in sent
        log = plain.log()
        assert "client in: AUTH" not in log and "Login: user=" not in log
        assert "(no auth attempts" in log
    finally:
        proxy.stop()
        plain.stop()


def test_untrusted_certificate_then_trusted_then_changed(trusted_ca: Path) -> None:
    first = Dovecot(POP3_USERS, self_signed(["localhost"])).start()
    try:
        data = account(first.tls_port, "ssl")
        failed = failure(pop3_only(data), "pop3")
        assert (failed.name, failed.problem.code) == ("tls", "cert_untrusted")
        cert = certificate_of(failed.problem)
        assert cert is not None and "CN=localhost" in cert.subject and cert.subject == cert.issuer
        assert len(cert.sha256) == 95 and cert.not_before < cert.not_after
        data["pop3"]["trusted_certificate"] = {"host": "localhost", "sha256": cert.sha256}
        assert steps(pop3_only(data), "pop3")[-1] == ("mailbox", "ok")
    finally:
        first.stop()
    second = Dovecot(POP3_USERS, self_signed(["localhost"])).start()
    try:
        data["pop3"]["port"] = second.tls_port
        failed = failure(pop3_only(data), "pop3")
        assert (failed.name, failed.problem.code) == ("tls", "cert_pin_mismatch")
        changed = certificate_of(failed.problem)
        assert changed is not None and changed.sha256 != cert.sha256
    finally:
        second.stop()


def test_certificate_for_another_name(trusted_ca: Path) -> None:
    server = Dovecot(POP3_USERS, Authority.shared().issue(["mail.provider.test"])).start()
    try:
        failed = failure(pop3_only(account(server.tls_port, "ssl")), "pop3")
        assert (failed.name, failed.problem.code) == ("tls", "cert_wrong_name")
        shown = certificate_of(failed.problem)
        assert shown is not None and "CN=mail.provider.test" in shown.subject
    finally:
        server.stop()


# -- SPA: AUTH NTLM against pyspnego's acceptor ---------------------------------------


@pytest.fixture
def ntlm_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[BackgroundServer]:
    users = tmp_path / "ntlm-users"
    users.write_text("MUSTER:info:ntlm-geheim\n")
    monkeypatch.setenv("NTLM_USER_FILE", str(users))
    server = ntlm_pop3_server(users)
    yield server
    server.stop()


def test_spa_ntlm_success_and_wrong_password(ntlm_server: BackgroundServer) -> None:
    data = account(ntlm_server.port, "none", spa=True, username="MUSTER\\info")
    report = pop3_only(data, {"pop3": Secret("ntlm-geheim")})
    assert steps(report, "pop3")[-2:] == [("login", "ok"), ("mailbox", "ok")]
    assert ntlm_server.server.state["authenticated"] == ["MUSTER\\info"]
    sent = " ".join(ntlm_server.server.state["received"])
    assert "ntlm-geheim" not in sent and "PASS" not in sent
    failed = failure(pop3_only(data, {"pop3": Secret("falsch")}), "pop3")
    assert (failed.name, failed.problem.code) == ("login", "auth_rejected")


# -- SMTP (aiosmtpd) ----------------------------------------------------------------


@pytest.mark.parametrize("mode", ["starttls", "ssl"])
@pytest.mark.parametrize("method", ["login", "cram-md5"])
def test_smtp_auth_success_and_failure(
    smtp_factory: SmtpFactory,
    trusted_ca: Path,
    mode: str,
    method: str,
) -> None:
    handler, port = smtp_factory(mode)
    data = account(free_port(), smtp_port=port, smtp_security=mode, method=method)
    report = run_test(data, {"smtp": SMTP_PW}, timeout=5, send_test_message=True)
    names = [name for name, status in steps(report, "smtp") if status == "ok"]
    tls = ["tls", "ehlo"] if mode == "ssl" else ["ehlo", "starttls"]
    assert names == ["connect", *tls, "auth", "send", "quit"]
    [message] = handler.messages
    assert message.rcpt_tos == ["info@mustermann.de"]
    assert b"Subject: mailaccounts: Testnachricht" in message.original_content
    failed = failure(run_test(data, {"smtp": Secret("falsch")}, timeout=5), "smtp")
    assert (failed.name, failed.problem.code) == ("auth", "auth_rejected")
    assert "535" in failed.problem.params["text"]


def test_smtp_configured_mechanism_not_offered(smtp_factory: SmtpFactory, trusted_ca: Path) -> None:
    _, port = smtp_factory("starttls", exclude=["CRAM-MD5"])
    data = account(free_port(), smtp_port=port, method="cram-md5")
    failed = failure(run_test(data, {"smtp": SMTP_PW}, timeout=5), "smtp")
    assert (failed.name, failed.problem.code) == ("auth", "mechanism_not_offered")
    assert failed.problem.params == {"mechanism": "CRAM-MD5", "offered": "LOGIN"}


def test_smtp_starttls_not_offered_stops_before_auth(smtp_factory: SmtpFactory) -> None:
    _, port = smtp_factory("none")
    data = account(free_port(), smtp_port=port, method="login")
    report = run_test(data, {"smtp": SMTP_PW}, timeout=5)
    failed = failure(report, "smtp")
    assert (failed.name, failed.problem.code) == ("starttls", "starttls_not_offered")
    assert "auth" not in [name for name, _ in steps(report, "smtp")]


def test_smtp_certificate_checked_against_server_name(
    smtp_factory: SmtpFactory, trusted_ca: Path
) -> None:
    _, port = smtp_factory("ssl", names=["mail.provider.test"])
    data = account(free_port(), smtp_port=port, smtp_security="ssl", method=None)
    data["smtp"]["server"] = "127.0.0.1"
    failed = failure(run_test(data, {}, timeout=5), "smtp")
    assert (failed.name, failed.problem.code) == ("tls", "cert_wrong_name")
    data["smtp"]["server_name"] = "mail.provider.test"
    assert steps(run_test(data, {}, timeout=5), "smtp")[-1] == ("quit", "ok")


def test_smtp_without_separate_settings_uses_the_pop3_host(
    smtp_factory: SmtpFactory, trusted_ca: Path
) -> None:
    from mailaccounts.net.check import smtp_target

    data = account(995, "starttls")
    data["smtp"]["separate"] = False
    target = smtp_target(data)
    assert (target.host, target.port, target.security) == ("localhost", 587, "starttls")


# -- no server, a closed port, a silent server, cancel -------------------------------


def test_nothing_listening_and_unknown_host() -> None:
    started = time.monotonic()
    failed = failure(pop3_only(account(free_port(), "ssl")), "pop3")
    assert (failed.name, failed.problem.code) == ("connect", "connection_refused")
    failed = failure(pop3_only(account(995, "ssl", server="no-such-host.invalid")), "pop3")
    assert (failed.name, failed.problem.code) == ("connect", "dns_not_found")
    assert time.monotonic() - started < 10


def test_silent_server_times_out_within_the_timeout() -> None:
    silent = BackgroundServer(SilentHandler).start()
    try:
        started = time.monotonic()
        report = run_test(account(silent.port, "starttls"), {"pop3": POP3_PW}, timeout=1.0)
        elapsed = time.monotonic() - started
        failed = failure(report, "pop3")
        assert (failed.name, failed.problem.code) == ("capabilities", "timed_out")
        assert failed.problem.params["seconds"] == 1.0
        assert elapsed < 4  # POP3 waits 1 s; SMTP (nothing listening) fails at once
    finally:
        silent.stop()


def test_cancel_ends_the_test_within_a_second() -> None:
    silent = BackgroundServer(SilentHandler).start()
    cancel = CancelToken()
    result: list[ConnectionReport] = []
    try:
        worker = threading.Thread(
            target=lambda: result.append(
                run_test(
                    account(silent.port, "starttls"), {"pop3": POP3_PW}, timeout=30, cancel=cancel
                )
            )
        )
        worker.start()
        time.sleep(0.5)
        cancelled_at = time.monotonic()
        cancel.cancel()
        worker.join(5)
        assert time.monotonic() - cancelled_at < 1.0
        failed = failure(result[0], "pop3")
        assert failed.problem.code == "cancelled"
        assert steps(result[0], "smtp") == []
    finally:
        silent.stop()


def test_expired_certificate(trusted_ca: Path) -> None:
    server = Dovecot(POP3_USERS, Authority.shared().issue(["localhost"], expired=True)).start()
    try:
        failed = failure(pop3_only(account(server.tls_port, "ssl")), "pop3")
        assert (failed.name, failed.problem.code) == ("tls", "cert_expired")
    finally:
        server.stop()


def test_report_json_has_no_secret(dovecot: Dovecot, trusted_ca: Path) -> None:
    import json

    data = copy.deepcopy(account(dovecot.tls_port, "ssl"))
    text = json.dumps(pop3_only(data).to_json())
    assert POP3_USERS["info"] not in text and "smtp-geheim" not in text
