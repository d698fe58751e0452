"""Where TLS is required, a server that hides STLS/STARTTLS or breaks the
handshake makes the test fail before any credential leaves the client."""

from __future__ import annotations

import time

import pytest

from mailaccounts.model.secret import Secret
from mailaccounts.net.check import run_test
from tests.support.servers import BackgroundServer, BrokenTlsPop3Handler, BrokenTlsSmtpHandler

from .test_connection_test import account, failure

POP3_SECRET = "downgrade-pop3-pw"
SMTP_SECRET = "downgrade-smtp-pw"


def sent(server: BackgroundServer) -> bytes:
    time.sleep(0.1)
    return b"".join(server.server.state["received"])


def test_pop3_stls_offered_then_handshake_broken() -> None:
    server = BackgroundServer(BrokenTlsPop3Handler, received=[]).start()
    try:
        report = run_test(
            account(server.port, "starttls"), {"pop3": Secret(POP3_SECRET)}, timeout=3
        )
        failed = failure(report, "pop3")
        assert (failed.name, failed.problem.code) == ("starttls", "tls_handshake_failed")
        assert sent(server) == b"CAPA\r\nSTLS\r\n"
    finally:
        server.stop()


@pytest.mark.parametrize("hide", [True, False], ids=["starttls-hidden", "handshake-broken"])
def test_smtp_starttls_hidden_or_broken(hide: bool) -> None:
    server = BackgroundServer(BrokenTlsSmtpHandler, received=[], hide_starttls=hide).start()
    try:
        data = account(1, smtp_port=server.port, method="login")
        report = run_test(data, {"smtp": Secret(SMTP_SECRET)}, timeout=3)
        failed = failure(report, "smtp")
        expected = "starttls_not_offered" if hide else "tls_handshake_failed"
        assert (failed.name, failed.problem.code) == ("starttls", expected)
        wire = sent(server)
        assert b"AUTH" not in wire and b"MAIL" not in wire
        for encoded in (SMTP_SECRET.encode(), __import__("base64").b64encode(SMTP_SECRET.encode())):
            assert encoded not in wire
    finally:
        server.stop()
