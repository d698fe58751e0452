"""``mailaccounts autoconfig`` and ``add --autoconfig`` against a DNS server
and an HTTPS server on 127.0.0.1: the sources, their ranking, what each
answered, and filling an account."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.autoconfig_net import (
    ISPDB_HOST,
    MailNet,
    Server,
    client_config,
    mail_net,
    pop3_smtp,
)
from tests.support.certs import Authority
from tests.support.types import Cli

pytestmark = pytest.mark.port443

DOMAIN = "firma.example"
ADDRESS = f"info@{DOMAIN}"
WEB_NAMES = [DOMAIN, f"autoconfig.{DOMAIN}", ISPDB_HOST, "localhost"]


@pytest.fixture
def net(
    authority: Authority, trusted_ca: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[MailNet]:
    with mail_net(authority.issue(WEB_NAMES)) as servers:
        for name, value in servers.env.items():
            monkeypatch.setenv(name, value)
        yield servers


def autoconfig(cli: Cli, address: str = ADDRESS) -> tuple[int, dict[str, Any]]:
    result = cli("autoconfig", address, "--json")
    assert result.out, result.err
    return result.code, json.loads(result.out)


def outcomes(doc: dict[str, Any]) -> dict[str, str]:
    return {t["query"]: t["outcome"] for t in doc["tried"]}


def all_sources(net: MailNet) -> None:
    """Every source has an answer, each naming its own servers."""
    net.own(DOMAIN, pop3_smtp("pop.own.example", "smtp.own.example"))
    net.own(DOMAIN, pop3_smtp("pop.known.example", "smtp.known.example"), well_known=True)
    net.ispdb(DOMAIN, pop3_smtp("pop.ispdb.example", "smtp.ispdb.example"))
    net.dns.srv(f"_pop3s._tcp.{DOMAIN}", "pop.srv.example", 995)
    net.dns.srv(f"_submissions._tcp.{DOMAIN}", "smtp.srv.example", 465)
    net.dns.mx(DOMAIN, "mx1.provider.example")
    net.ispdb("provider.example", pop3_smtp("pop.provider.example", "smtp.provider.example"))


def test_the_domains_own_file_wins_and_the_json_says_what_was_tried(cli: Cli, net: MailNet) -> None:
    all_sources(net)
    code, doc = autoconfig(cli)
    assert code == 0
    assert doc["address"] == ADDRESS
    assert doc["source"] == "autoconfig"
    assert doc["pop3"] == {
        "server": "pop.own.example",
        "port": 995,
        "security": "ssl",
        "username": ADDRESS,
        "oauth2": False,
    }
    assert doc["smtp"] == {
        "server": "smtp.own.example",
        "port": 465,
        "security": "ssl",
        "auth": {"required": True, "method": "login", "username": ADDRESS},
    }
    own = f"https://autoconfig.{DOMAIN}/mail/config-v1.1.xml?emailaddress=info%40{DOMAIN}"
    assert outcomes(doc)[own] == (
        "found: POP3 pop.own.example:995 (ssl), SMTP smtp.own.example:465 (ssl)"
    )
    assert doc["oauth2"] is None  # passwords, as the file says
    assert doc["fetch"] == {"leave_on_server": False}
    assert set(doc) == {"address", "source", "pop3", "smtp", "oauth2", "fetch", "tried"}
    for attempt in doc["tried"]:
        assert set(attempt) == {"source", "query", "outcome", "ms"}
        assert isinstance(attempt["ms"], int)
        assert attempt["source"] in ("autoconfig", "ispdb", "srv", "mx", "probe")
    # the address went to the domain's own server, and nothing else did
    request = next(r for r in net.web.requests if r.host == f"autoconfig.{DOMAIN}")
    assert request.query == f"emailaddress=info%40{DOMAIN}"
    assert request.tls
    assert not any("Authorization" in r.headers or "Cookie" in r.headers for r in net.web.requests)


@pytest.mark.parametrize(
    ("missing", "source", "server"),
    [
        ({"own"}, "autoconfig", "pop.known.example"),
        ({"own", "well_known"}, "ispdb", "pop.ispdb.example"),
        ({"own", "well_known", "ispdb"}, "srv", "pop.srv.example"),
        ({"own", "well_known", "ispdb", "srv"}, "mx", "pop.provider.example"),
    ],
)
def test_ranking_own_file_then_ispdb_then_srv_then_mx(
    cli: Cli, net: MailNet, missing: set[str], source: str, server: str
) -> None:
    all_sources(net)
    if "own" in missing:
        del net.web.routes[(f"autoconfig.{DOMAIN}", "/mail/config-v1.1.xml")]
    if "well_known" in missing:
        del net.web.routes[(DOMAIN, "/.well-known/autoconfig/mail/config-v1.1.xml")]
    if "ispdb" in missing:
        del net.web.routes[(ISPDB_HOST, f"/v1.1/{DOMAIN}")]
    if "srv" in missing:
        del net.dns.zone[f"_pop3s._tcp.{DOMAIN}"]
    code, doc = autoconfig(cli)
    assert code == 0, doc
    assert doc["source"] == source
    assert doc["pop3"]["server"] == server
    answered = outcomes(doc)
    if "own" in missing:
        own = f"https://autoconfig.{DOMAIN}/mail/config-v1.1.xml?emailaddress=info%40{DOMAIN}"
        assert answered[own] == "the server answered HTTP 404"
    if "ispdb" in missing:
        assert answered[f"https://{ISPDB_HOST}/v1.1/{DOMAIN}"] == "the server answered HTTP 404"
    if "srv" in missing:
        assert answered[f"_pop3s._tcp.{DOMAIN} SRV"] == "the name does not exist (NXDOMAIN)"


def test_srv_honours_priority_weight_and_prefers_implicit_tls(cli: Cli, net: MailNet) -> None:
    net.dns.srv(f"_pop3s._tcp.{DOMAIN}", "backup.firma.example", 995, priority=20, weight=100)
    net.dns.srv(f"_pop3s._tcp.{DOMAIN}", "small.firma.example", 995, priority=10, weight=10)
    net.dns.srv(f"_pop3s._tcp.{DOMAIN}", "big.firma.example", 9950, priority=10, weight=60)
    net.dns.srv(f"_pop3._tcp.{DOMAIN}", "plain.firma.example", 110)
    net.dns.srv(f"_submissions._tcp.{DOMAIN}", ".", 0)  # not offered
    net.dns.srv(f"_submission._tcp.{DOMAIN}", "submit.firma.example", 587, weight=5)
    code, doc = autoconfig(cli)
    assert code == 0
    assert doc["source"] == "srv"
    assert doc["pop3"] == {
        "server": "big.firma.example",
        "port": 9950,
        "security": "ssl",
        "username": ADDRESS,
        "oauth2": False,
    }
    assert doc["smtp"] == {
        "server": "submit.firma.example",
        "port": 587,
        "security": "starttls",
        "auth": {"required": True, "method": "login", "username": ADDRESS},
    }
    answered = outcomes(doc)
    assert answered[f"_pop3s._tcp.{DOMAIN} SRV"] == (
        "offered (priority weight port target): 10 60 9950 big.firma.example; "
        "10 10 995 small.firma.example; 20 100 995 backup.firma.example"
    )
    assert answered[f"_submissions._tcp.{DOMAIN} SRV"] == "not offered (the target is “.”)"


def test_srv_targets_of_dot_for_pop3_offer_nothing(cli: Cli, net: MailNet) -> None:
    net.dns.srv(f"_pop3s._tcp.{DOMAIN}", ".", 0)
    net.dns.srv(f"_pop3._tcp.{DOMAIN}", ".", 0)
    net.dns.srv(f"_submissions._tcp.{DOMAIN}", "smtp.firma.example", 465)
    code, doc = autoconfig(cli)
    assert code == 1
    assert (doc["source"], doc["pop3"], doc["smtp"]) == (None, None, None)


def test_mx_host_of_another_provider_is_a_guess_from_the_ispdb(cli: Cli, net: MailNet) -> None:
    net.dns.mx(DOMAIN, "mx01.eu.provider.example", preference=20)
    net.dns.mx(DOMAIN, "mx00.eu.provider.example", preference=10)
    net.ispdb("provider.example", pop3_smtp("pop.provider.example", "smtp.provider.example"))
    result = cli("autoconfig", ADDRESS)
    assert result.code == 0
    assert "settings from a guess: the ISPDB entry of the domain's mail server (MX)" in result.out
    assert "warning: these settings are a guess: check them before you use them" in result.err
    _, doc = autoconfig(cli)
    assert doc["source"] == "mx"
    assert outcomes(doc)[f"{DOMAIN} MX"] == (
        "mail goes to mx00.eu.provider.example: eu.provider.example, provider.example are "
        "looked up in the ISPDB, in this order"
    )
    assert outcomes(doc)[f"https://{ISPDB_HOST}/v1.1/eu.provider.example"] == (
        "the server answered HTTP 404"
    )
    assert outcomes(doc)[f"https://{ISPDB_HOST}/v1.1/provider.example"].startswith("found: ")


def test_mx_in_the_own_domain_looks_up_nothing_more(cli: Cli, net: MailNet) -> None:
    net.dns.mx(DOMAIN, f"mail.{DOMAIN}")
    code, doc = autoconfig(cli)
    assert code == 1
    assert outcomes(doc)[f"{DOMAIN} MX"] == (
        f"mail goes to mail.{DOMAIN}, in the address's own domain: nothing more to look up"
    )


def test_values_the_model_refuses_are_dropped_and_reported(cli: Cli, net: MailNet) -> None:
    net.own(
        DOMAIN,
        client_config(
            Server("pop3", "pop.firma.example", 99999, username="info\u202egpj.exe"),
            Server("smtp", "smtp server.firma.example", 465),
        ),
    )
    code, doc = autoconfig(cli)
    assert code == 0
    assert doc["source"] == "autoconfig"
    assert doc["pop3"] == {
        "server": "pop.firma.example",
        "port": 995,  # the standard port of its mode
        "security": "ssl",
        "username": "",  # for the admin to fill in
        "oauth2": False,
    }
    assert doc["smtp"] is None
    dropped = sorted(t["outcome"] for t in doc["tried"] if " dropped: " in t["outcome"])
    assert dropped == [
        "pop3.port dropped: must be a port number from 1 to 65535",
        "pop3.username dropped: contains control characters",
        "smtp.server dropped: is not a valid host name, IPv4 or IPv6 address: contains blanks",
    ]
    result = cli("autoconfig", ADDRESS)
    assert "\u202e" not in result.out + result.err
    # without a valid POP3 server a source proposes nothing
    del net.web.routes[(f"autoconfig.{DOMAIN}", "/mail/config-v1.1.xml")]
    net.ispdb(DOMAIN, client_config(Server("pop3", "-bad-.example", 995)))
    code, doc = autoconfig(cli)
    assert code == 1
    assert [t["outcome"] for t in doc["tried"] if t["source"] == "ispdb"] == [
        "names no POP3 server",
        "pop3.server dropped: is not a valid host name, IPv4 or IPv6 address: invalid characters "
        "(Label must not start or end with a hyphen)",
    ]


def test_a_plain_http_source_is_shown_with_a_warning(
    cli: Cli, net: MailNet, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.support.autoconfig_net import WebServer

    plain = WebServer(None).start()
    try:
        plain.file("ispdb.example", f"/v1.1/{DOMAIN}", pop3_smtp("pop.a.example", "smtp.a.example"))
        monkeypatch.setenv("MAILACCOUNTS_ISPDB_URL", plain.url(ISPDB_HOST, "/v1.1/"))
        code, doc = autoconfig(cli)
        assert (code, doc["source"], doc["pop3"]["server"]) == (0, "ispdb", "pop.a.example")
        url = plain.url(ISPDB_HOST, f"/v1.1/{DOMAIN}")
        assert outcomes(doc)[url] == (
            f"found over unencrypted HTTP ({url}): POP3 pop.a.example:995 (ssl), "
            "SMTP smtp.a.example:465 (ssl)"
        )
        result = cli("autoconfig", ADDRESS)
        assert f"warning: the settings came over unencrypted HTTP ({url})" in result.err
    finally:
        plain.stop()


def test_a_redirect_from_https_to_http_counts_as_http(cli: Cli, net: MailNet) -> None:
    from tests.support.autoconfig_net import WebServer

    plain = WebServer(None).start()
    try:
        target = plain.url(f"autoconfig.{DOMAIN}", "/moved.xml")
        plain.file(
            f"autoconfig.{DOMAIN}", "/moved.xml", pop3_smtp("pop.b.example", "smtp.b.example")
        )
        net.dns.a(f"autoconfig.{DOMAIN}")
        net.web.redirect(f"autoconfig.{DOMAIN}", "/mail/config-v1.1.xml", target, 301)
        code, doc = autoconfig(cli)
        assert (code, doc["source"]) == (0, "autoconfig")
        own = next(t for t in doc["tried"] if t["query"].startswith("https://autoconfig."))
        assert own["outcome"].startswith(f"found over unencrypted HTTP ({target})")
    finally:
        plain.stop()


def test_an_international_domain_is_asked_for_in_its_ascii_form(
    authority: Authority, trusted_ca: Path, monkeypatch: pytest.MonkeyPatch, cli: Cli
) -> None:
    ascii_domain = "xn--mller-kva.example"
    with mail_net(authority.issue([f"autoconfig.{ascii_domain}", ISPDB_HOST])) as net:
        for name, value in net.env.items():
            monkeypatch.setenv(name, value)
        net.own(ascii_domain, pop3_smtp("pop.%EMAILDOMAIN%", "smtp.%EMAILDOMAIN%"))
        code, doc = autoconfig(cli, "anna@müller.example")
    assert code == 0
    assert doc["pop3"]["server"] == "pop.müller.example"  # as the address has it
    assert doc["pop3"]["username"] == "anna@müller.example"
    request = next(r for r in net.web.requests if r.host == f"autoconfig.{ascii_domain}")
    assert request.query == "emailaddress=anna%40m%C3%BCller.example"


def test_exit_codes_nothing_found_and_not_an_address(cli: Cli, net: MailNet) -> None:
    result = cli("autoconfig", ADDRESS)
    assert result.code == 1
    assert f"{ADDRESS}: no settings found" in result.out
    for line in ("autoconfig", "ispdb", "srv", "mx", "guess"):
        assert f"\n{line} " in result.out
    code, doc = autoconfig(cli)
    assert code == 1 and doc["source"] is None and doc["tried"]
    assert {t["source"] for t in doc["tried"]} == {"autoconfig", "ispdb", "srv", "mx", "guess"}
    result = cli("autoconfig", "kein-at-zeichen")
    assert result.code == 2
    assert "address: is not a valid e-mail address" in result.err


def test_a_broken_dns_setting_is_a_usage_error(
    cli: Cli, net: MailNet, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MAILACCOUNTS_DNS", "127.0.0.1:nope")
    result = cli("autoconfig", ADDRESS)
    assert result.code == 2
    assert "MAILACCOUNTS_DNS" in result.err


# -- add --autoconfig -------------------------------------------------------------------------


def test_add_fills_what_the_command_line_leaves_out(directory: Cli, net: MailNet) -> None:
    net.own(
        DOMAIN,
        client_config(
            Server("pop3", "pop.firma.example", 995),
            Server(
                "smtp", "smtp.firma.example", 587, "STARTTLS", authentication=["password-encrypted"]
            ),
        ),
    )
    result = directory(
        "add",
        "--autoconfig",
        "--number",
        "1000",
        "--address",
        ADDRESS,
        "--operators",
        "ADM",
        "--pop3-username",
        "info",
        "--pop3-security",
        "starttls",
        "--password",
        "pop3",
        stdin="pop3-geheim\n",
    )
    assert result.code == 0, result.err
    assert "autoconfig: info@firma.example: settings from the domain's own configuration" in (
        result.err
    )
    shown = json.loads(directory("show", "1000", "--json").out)
    assert shown["pop3"] | {"trusted_certificate": None} == {
        "server": "pop.firma.example",
        "port": 110,  # the mode given keeps its own port
        "security": "starttls",
        "username": "info",
        "spa": False,
        "trusted_certificate": None,
        "oauth2": False,
    }
    smtp = shown["smtp"]
    assert (smtp["separate"], smtp["server"], smtp["port"], smtp["security"]) == (
        True,
        "smtp.firma.example",
        587,
        "starttls",
    )
    assert smtp["auth"] | {"same_as_incoming": False} == {
        "required": True,
        "method": "cram-md5",
        "username": ADDRESS,
        "same_as_incoming": False,
    }
    text = directory("show", "1000").out
    assert "pop3.password: stored in the keyring" in text
    assert "smtp.auth.password: not set" in text  # never a password from the lookup


def test_add_asks_before_it_uses_a_guess(directory: Cli, net: MailNet) -> None:
    net.dns.mx(DOMAIN, "mx.provider.example")
    net.ispdb("provider.example", pop3_smtp("pop.provider.example", "smtp.provider.example"))
    args = ("add", "--autoconfig", "--number", "1000", "--address", ADDRESS, "--operators", "ADM")
    refused = directory(*args, stdin="\n")
    assert refused.code == 1
    assert "Use these settings? [y/N]" in refused.err and "nothing added" in refused.err
    assert directory("show", "1000").code == 1
    accepted = directory(*args, stdin="ja\n")
    assert accepted.code == 0, accepted.err
    assert json.loads(directory("show", "1000", "--json").out)["pop3"]["server"] == (
        "pop.provider.example"
    )


def test_add_with_nothing_found_adds_nothing(directory: Cli, net: MailNet) -> None:
    result = directory(
        "add", "--autoconfig", "--number", "1000", "--address", ADDRESS, "--operators", "ADM"
    )
    assert result.code == 1
    assert f"error: no settings found for {ADDRESS}; nothing added" in result.err
    assert directory("show", "1000").code == 1
    result = directory("add", "--autoconfig", "--number", "1000", "--operators", "ADM")
    assert result.code == 2
    assert "address: is required" in result.err


# -- probing -------------------------------------------------------------------------------------


def test_the_winners_servers_are_probed_and_a_failed_probe_drops_nothing(
    cli: Cli, net: MailNet, dovecot: Any, smtp_factory: Any
) -> None:
    _, smtp_port = smtp_factory("ssl", names=["localhost"])
    net.dns.a("localhost")
    net.own(
        DOMAIN, pop3_smtp("localhost", "localhost", pop3_port=dovecot.tls_port, smtp_port=smtp_port)
    )
    code, doc = autoconfig(cli)
    assert code == 0 and doc["pop3"]["server"] == "localhost"
    probes = {t["query"]: t["outcome"] for t in doc["tried"] if t["source"] == "probe"}
    assert probes[f"POP3 localhost:{dovecot.tls_port} (ssl)"].startswith("answers: +OK")
    assert probes[f"SMTP localhost:{smtp_port} (ssl)"].startswith("answers: ")

    net.own(DOMAIN, pop3_smtp("pop.nowhere.example", "localhost", smtp_port=1))
    code, doc = autoconfig(cli)
    assert code == 0 and doc["pop3"]["server"] == "pop.nowhere.example"
    probes = {t["query"]: t["outcome"] for t in doc["tried"] if t["source"] == "probe"}
    assert probes == {
        "POP3 pop.nowhere.example:995 (ssl)": (
            "the host name pop.nowhere.example was not found (DNS)"
        ),
        "SMTP localhost:1 (ssl)": "localhost:1 refused the connection (nothing listens there)",
    }


def test_add_asks_before_it_uses_settings_that_came_over_http(
    directory: Cli, net: MailNet, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.support.autoconfig_net import WebServer

    plain = WebServer(None).start()
    try:
        plain.file(ISPDB_HOST, f"/v1.1/{DOMAIN}", pop3_smtp("pop.a.example", "smtp.a.example"))
        monkeypatch.setenv("MAILACCOUNTS_ISPDB_URL", plain.url(ISPDB_HOST, "/v1.1/"))
        args = ("add", "--autoconfig", "--number", "1000", "--address", ADDRESS)
        refused = directory(*args, "--operators", "ADM", stdin="n\n")
        assert refused.code == 1
        assert "warning: the settings came over unencrypted HTTP" in refused.err
        assert "Use these settings? [y/N]" in refused.err
        # stdin holds the account: nothing can be confirmed
        account = json.dumps({"number": "1000", "address": ADDRESS, "operators": ["ADM"]})
        piped = directory("add", "--autoconfig", "--file", "-", stdin=account)
        assert piped.code == 1
        assert "stdin holds the account, so these settings cannot be confirmed" in piped.err
        assert directory("show", "1000").code == 1
    finally:
        plain.stop()
