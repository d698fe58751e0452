"""``mailaccounts test`` end to end: stored passwords from the keyring, exit
codes, JSON, and trusting a certificate the test showed."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.support.accounts import local_server_account
from tests.support.certs import self_signed
from tests.support.keyrings import MemoryKeyring
from tests.support.servers import Dovecot
from tests.support.types import Cli, SmtpFactory

from .conftest import POP3_USERS, SMTP_USERS


def add_account(cli: Cli, pop3_port: int, smtp_port: int, security: str = "ssl") -> None:
    data = local_server_account(
        pop3_port,
        smtp_port,
        security=security,
        pop3_password=POP3_USERS["info"],
        smtp_password=SMTP_USERS["smtpuser"],
    )
    assert cli("operators", "add", "ADM").code == 0
    result = cli("add", "--file", "-", stdin=json.dumps(data))
    assert result.code == 0, result.err


def test_cli_test_reads_the_keyring_and_reports(
    cli: Cli,
    memory_keyring: MemoryKeyring,
    dovecot: Dovecot,
    smtp_factory: SmtpFactory,
    trusted_ca: Path,
) -> None:
    handler, smtp_port = smtp_factory("starttls")
    add_account(cli, dovecot.tls_port, smtp_port)
    memory_keyring.calls.clear()
    result = cli("test", "1000", "--send-test-message")
    assert result.code == 0, result.out + result.err
    assert memory_keyring.calls["get"] == 2  # the POP3 and the SMTP password
    lines = result.out.splitlines()
    assert lines[0].split() == ["Server", "Step", "Result", "Time", "Detail"]
    assert any(line.split()[:3] == ["POP3", "login", "ok"] for line in lines)
    assert any(line.split()[:3] == ["SMTP", "send", "ok"] for line in lines)
    assert lines[-1] == "all steps passed"
    assert len(handler.messages) == 1

    as_json = json.loads(cli("test", "1000", "--json").out)
    assert as_json["ok"] is True and as_json["number"] == "1000"
    assert {s["step"] for s in as_json["steps"]} >= {"connect", "tls", "login", "auth", "quit"}
    for secret in (POP3_USERS["info"], SMTP_USERS["smtpuser"]):
        assert secret not in result.out + result.err + json.dumps(as_json)

    wrong = cli("test", "1000", "--password", "pop3", stdin="falsch\n")
    assert wrong.code == 1
    assert "the server rejected the login: -ERR [AUTH] Authentication failed." in wrong.out
    assert wrong.out.splitlines()[-1] == "the test failed"


def test_cli_trusting_the_certificate_it_showed(
    cli: Cli, smtp_factory: SmtpFactory, trusted_ca: Path
) -> None:
    server = Dovecot(POP3_USERS, self_signed(["localhost"])).start()
    try:
        _, smtp_port = smtp_factory("starttls")
        add_account(cli, server.tls_port, smtp_port)
        first = cli("test", "1000")
        assert first.code == 1
        assert "the certificate of localhost is not trusted" in first.out
        command = re.search(r"mailaccounts (edit 1000 --trust-pop3-certificate \S+)", first.out)
        assert command, first.out
        assert cli(*command.group(1).split()).code == 0
        stored = json.loads(cli("show", "1000", "--json").out)
        assert stored["pop3"]["trusted_certificate"]["host"] == "localhost"
        second = cli("test", "1000")
        assert second.code == 0, second.out
    finally:
        server.stop()


def test_cli_exchange_accounts_are_not_tested_yet(cli: Cli) -> None:
    assert cli("operators", "add", "ADM").code == 0
    assert (
        cli(
            "add",
            "--number",
            "3000",
            "--address",
            "a@b.de",
            "--exchange",
            "--exchange-server",
            "ex.b.de",
            "--exchange-username",
            "u",
            "--operators",
            "ADM",
        ).code
        == 0
    )
    result = cli("test", "3000")
    assert result.code == 2 and "testing Exchange accounts is not available yet" in result.err
