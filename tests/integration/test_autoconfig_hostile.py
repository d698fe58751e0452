"""The automatic configuration when the network misbehaves: broken, huge or
hostile files, redirects, servers and DNS that never answer or trickle,
wrong certificates; the overall bound, cancelling, and the guess by probing
(which sends no credentials)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mailaccounts.autoconfig import lookup as engine
from mailaccounts.autoconfig.lookup import lookup
from mailaccounts.autoconfig.result import Attempt, Limits, Result
from mailaccounts.net.report import NetError
from mailaccounts.net.transport import CancelToken
from tests.support.autoconfig_net import (
    ISPDB_HOST,
    OWN_PATH,
    DnsServer,
    MailNet,
    mail_net,
    pop3_smtp,
)
from tests.support.certs import Authority, self_signed
from tests.support.scripted_servers import ScriptedServer
from tests.support.types import Cli

pytestmark = pytest.mark.port443

DOMAIN = "firma.example"
ADDRESS = f"info@{DOMAIN}"
OWN_HOST = f"autoconfig.{DOMAIN}"
OWN_URL = f"https://{OWN_HOST}{OWN_PATH}?emailaddress=info%40{DOMAIN}"
ISPDB_URL = f"https://{ISPDB_HOST}/v1.1/{DOMAIN}"


@pytest.fixture
def net(
    authority: Authority, trusted_ca: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[MailNet]:
    with mail_net(
        authority.issue([DOMAIN, OWN_HOST, ISPDB_HOST]), timeouts="total=4,request=2,probe=1"
    ) as servers:
        for name, value in servers.env.items():
            monkeypatch.setenv(name, value)
        servers.dns.a(OWN_HOST)
        yield servers


def run(cli: Cli) -> tuple[int, dict[str, Any], float]:
    started = time.monotonic()
    result = cli("autoconfig", ADDRESS, "--json")
    return result.code, json.loads(result.out), time.monotonic() - started


def answer(doc: dict[str, Any], query: str) -> str:
    found = [t["outcome"] for t in doc["tried"] if t["query"] == query]
    assert len(found) == 1, doc["tried"]
    return str(found[0])


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE c [<!ENTITY a "aaaaaaaaaa">'
    + "".join(
        f'<!ENTITY {n} "{("&" + p + ";") * 10}">'
        for p, n in zip("abcdefgh", "bcdefghi", strict=True)
    )
    + ']><clientConfig><emailProvider><incomingServer type="pop3"><hostname>&i;</hostname>'
    "</incomingServer></emailProvider></clientConfig>"
)


@pytest.mark.parametrize(
    ("body", "outcome"),
    [
        ("<clientConfig><emailProvider>", "not a configuration file: "),
        ("<html>It works!</html>", "not a configuration file: "),
        (BILLION_LAUGHS, "refused: the file declares a DOCTYPE or entities"),
    ],
)
def test_a_broken_or_hostile_file_is_reported_and_the_next_source_wins(
    cli: Cli, net: MailNet, body: str, outcome: str
) -> None:
    net.web.file(OWN_HOST, OWN_PATH, body)
    net.ispdb(DOMAIN, pop3_smtp("pop.ispdb.example", "smtp.ispdb.example"))
    code, doc, seconds = run(cli)
    assert (code, doc["source"]) == (0, "ispdb")
    assert answer(doc, OWN_URL).startswith(outcome)
    assert seconds < 3


def test_huge_responses_are_cut_at_one_mebibyte(cli: Cli, net: MailNet) -> None:
    net.web.file(OWN_HOST, OWN_PATH, b"<clientConfig>" + b" " * (2 * 1024 * 1024))
    net.web.endless(ISPDB_HOST, f"/v1.1/{DOMAIN}")
    code, doc, _ = run(cli)
    assert code == 1
    assert answer(doc, OWN_URL) == "refused: larger than 1048576 bytes"  # by its length
    assert answer(doc, ISPDB_URL) == "refused: larger than 1048576 bytes"  # by what came


def test_redirects_are_followed_a_few_times_and_only_to_http(cli: Cli, net: MailNet) -> None:
    net.web.redirect(OWN_HOST, OWN_PATH, OWN_PATH + "?again")  # to itself, for ever
    net.web.redirect(ISPDB_HOST, f"/v1.1/{DOMAIN}", "file:///etc/passwd")
    net.dns.a(DOMAIN)
    well_known = "/.well-known/autoconfig/mail/config-v1.1.xml"
    net.web.redirect(DOMAIN, well_known, f"https://{ISPDB_HOST}/elsewhere.xml", 308)
    net.web.file(ISPDB_HOST, "/elsewhere.xml", pop3_smtp("pop.moved.example", "smtp.moved.example"))
    code, doc, _ = run(cli)
    assert (code, doc["source"], doc["pop3"]["server"]) == (0, "autoconfig", "pop.moved.example")
    assert answer(doc, OWN_URL) == "refused: more than 5 redirects"
    assert answer(doc, ISPDB_URL) == "refused: file:///etc/passwd is not an http or https address"
    assert answer(doc, f"https://{DOMAIN}{well_known}").startswith("found: POP3 pop.moved")


def test_a_server_that_never_answers_cannot_hold_the_lookup_past_its_bound(
    cli: Cli, net: MailNet, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MAILACCOUNTS_AUTOCONFIG_TIMEOUTS", "total=1.5,request=10,probe=1")
    net.web.silent(OWN_HOST, OWN_PATH)
    net.ispdb(DOMAIN, pop3_smtp("pop.ispdb.example", "smtp.ispdb.example"))
    code, doc, seconds = run(cli)
    assert seconds < 2.2
    # the domain's own file ranks higher but never came: the best answer there is wins
    assert (code, doc["source"]) == (0, "ispdb")
    assert answer(doc, OWN_URL) == "stopped: the lookup's 1.5 s were over"
    assert answer(doc, ISPDB_URL).startswith("found: ")


def test_the_bound_is_the_reason_even_when_the_woken_request_reports_first(
    net: MailNet, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ending a phase wakes its sockets; the woken request's own "cancelled"
    must not take the place of the real reason. Here the wake-up waits for
    the request to report, which gives the request the lead it sometimes
    won by chance."""
    monkeypatch.setenv("MAILACCOUNTS_AUTOCONFIG_TIMEOUTS", "total=1,request=10,probe=1")
    net.web.silent(OWN_HOST, OWN_PATH)
    reported = threading.Event()
    engine_failed = engine._Lookup.failed

    def failed(self: Any, attempt: Attempt, error: NetError) -> None:
        engine_failed(self, attempt, error)
        if attempt.query == OWN_URL:
            reported.set()

    class WaitingToken(CancelToken):
        def cancel(self) -> None:
            super().cancel()
            reported.wait(1)

    monkeypatch.setattr(engine._Lookup, "failed", failed)
    monkeypatch.setattr(engine, "CancelToken", WaitingToken)
    result = lookup(ADDRESS)
    own = next(a for a in result.tried if a.query == OWN_URL)
    assert own.outcome() == "stopped: the lookup's 1 s were over"


def test_a_trickling_server_is_cut_off_by_the_request_limit(cli: Cli, net: MailNet) -> None:
    net.web.trickle(OWN_HOST, OWN_PATH)  # a byte every 0.2 s: no single read times out
    net.ispdb(DOMAIN, pop3_smtp("pop.ispdb.example", "smtp.ispdb.example"))
    code, doc, seconds = run(cli)
    assert (code, doc["source"]) == (0, "ispdb")
    assert answer(doc, OWN_URL) == f"no answer from {OWN_HOST} within 2 s"
    assert 1.9 < seconds < 3.5


def test_a_silent_dns_server_cannot_hold_the_lookup_past_its_bound(
    cli: Cli, net: MailNet, monkeypatch: pytest.MonkeyPatch
) -> None:
    silent = DnsServer(silent=True).start()
    try:
        monkeypatch.setenv("MAILACCOUNTS_DNS", silent.address)
        monkeypatch.setenv("MAILACCOUNTS_AUTOCONFIG_TIMEOUTS", "total=2,request=5,probe=1")
        code, doc, seconds = run(cli)
    finally:
        silent.stop()
    assert code == 1
    assert seconds < 2.7
    assert {t["outcome"] for t in doc["tried"]} <= {
        "stopped: the lookup's 2 s were over",
        "no answer from the DNS server within 2 s",
    }
    # every name went to MAILACCOUNTS_DNS, the web servers' addresses included
    asked = set(silent.queries)
    assert {(OWN_HOST, "A"), (ISPDB_HOST, "A"), (f"_pop3s._tcp.{DOMAIN}", "SRV")} <= asked
    assert (DOMAIN, "MX") in asked


def lookup_in_background(
    token: CancelToken, **options: Any
) -> tuple[threading.Thread, list[Result]]:
    results: list[Result] = []
    thread = threading.Thread(
        target=lambda: results.append(lookup(ADDRESS, cancel=token, **options)), daemon=True
    )
    thread.start()
    return thread, results


def test_cancel_returns_at_once_whatever_still_runs(
    net: MailNet, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MAILACCOUNTS_AUTOCONFIG_TIMEOUTS")  # the real limits: 15 s
    net.web.silent(OWN_HOST, OWN_PATH)
    net.ispdb(DOMAIN, pop3_smtp("pop.ispdb.example", "smtp.ispdb.example"))  # answered already
    token = CancelToken()
    thread, results = lookup_in_background(token)
    time.sleep(0.5)
    started = time.monotonic()
    token.cancel()
    thread.join(2)
    assert not thread.is_alive()
    assert time.monotonic() - started < 0.5
    (result,) = results
    assert result.cancelled and result.proposal is None
    own = next(a for a in result.tried if a.query == OWN_URL)
    assert own.outcome() == "cancelled"


def test_certificates_are_verified_for_the_name(
    cli: Cli, net: MailNet, authority: Authority, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The web server's certificate names neither example.org nor its autoconfig host."""
    other = "example.org"
    net.dns.a(f"autoconfig.{other}", other, ISPDB_HOST)
    net.web.file(f"autoconfig.{other}", OWN_PATH, pop3_smtp("pop.a.example", "smtp.a.example"))
    result = cli("autoconfig", f"info@{other}", "--json")
    doc = json.loads(result.out)
    own = f"https://autoconfig.{other}{OWN_PATH}?emailaddress=info%40{other}"
    assert answer(doc, own).startswith(
        f"the certificate is not valid for the name autoconfig.{other}"
    )
    assert result.code == 1


def test_an_untrusted_certificate_is_refused(
    authority: Authority, trusted_ca: Path, monkeypatch: pytest.MonkeyPatch, cli: Cli
) -> None:
    with mail_net(self_signed([OWN_HOST, ISPDB_HOST])) as servers:
        for name, value in servers.env.items():
            monkeypatch.setenv(name, value)
        servers.own(DOMAIN, pop3_smtp("pop.a.example", "smtp.a.example"))
        code, doc, _ = run(cli)
    assert code == 1
    assert answer(doc, OWN_URL).startswith(f"the certificate of {OWN_HOST} is not trusted")


# -- the guess -------------------------------------------------------------------------------


def greeter(authority: Authority, host: str, smtp: bool, tls: bool = True) -> ScriptedServer:
    certificate = authority.issue([host]) if tls else None
    if smtp:
        return ScriptedServer(
            b"220 smtp ESMTP ready\r\n",
            {
                b"EHLO": b"250-smtp.firma.example\r\n250-AUTH CRAM-MD5\r\n250 8BITMIME\r\n",
                b"QUIT": b"221 bye\r\n",
            },
            certificate=certificate,
        ).start()
    return ScriptedServer(
        b"+OK POP3 ready\r\n",
        {b"CAPA": b"+OK\r\nUSER\r\nUIDL\r\n.\r\n", b"QUIT": b"+OK bye\r\n"},
        certificate=certificate,
    ).start()


def test_without_any_answer_common_names_are_probed_as_a_guess(
    net: MailNet, authority: Authority
) -> None:
    pop3 = greeter(authority, f"mail.{DOMAIN}", smtp=False)
    plain = greeter(authority, f"pop.{DOMAIN}", smtp=False, tls=False)  # no STLS: never guessed
    smtp = greeter(authority, f"smtp.{DOMAIN}", smtp=True)
    try:
        net.dns.a(f"pop.{DOMAIN}", f"mail.{DOMAIN}", f"smtp.{DOMAIN}")
        ports = {
            "pop3": (("ssl", pop3.port), ("starttls", plain.port)),
            "smtp": (("ssl", smtp.port),),
        }
        result = lookup(ADDRESS, guess_ports=ports)
    finally:
        for server in (pop3, plain, smtp):
            server.stop()
    proposal = result.proposal
    assert proposal is not None and proposal.source == "guess" and proposal.needs_confirmation
    assert (proposal.pop3.server, proposal.pop3.port, proposal.pop3.security) == (
        f"mail.{DOMAIN}",
        pop3.port,
        "ssl",
    )
    assert proposal.pop3.username == ADDRESS
    assert proposal.smtp is not None
    assert (proposal.smtp.server, proposal.smtp.auth_method) == (f"smtp.{DOMAIN}", "cram-md5")
    guesses = {a.query: a.outcome() for a in result.tried if a.source == "guess"}
    assert guesses[f"POP3 mail.{DOMAIN}:{pop3.port} (ssl)"] == "answers: +OK POP3 ready"
    assert guesses[f"POP3 pop.{DOMAIN}:{plain.port} (starttls)"] == (
        f"pop.{DOMAIN} does not offer STARTTLS, so no password was sent"
    )
    assert guesses[f"POP3 pop3.{DOMAIN}:{pop3.port} (ssl)"] == (
        f"the host name pop3.{DOMAIN} was not found (DNS)"
    )
    # probing never logs in: greeting, capabilities, goodbye
    sent = {line.split(b" ")[0] for s in (pop3, plain, smtp) for line in s.received}
    assert sent <= {b"CAPA", b"EHLO", b"QUIT"}


def test_the_default_bound_is_15_seconds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MAILACCOUNTS_AUTOCONFIG_TIMEOUTS", raising=False)
    assert Limits.from_env().total == 15.0
