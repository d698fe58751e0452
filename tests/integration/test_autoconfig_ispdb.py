"""``mailaccounts autoconfig`` and ``add --autoconfig`` against copies of
real ISPDB files (``tests/fixtures/ispdb``, unchanged) served as the ISPDB
serves them: Microsoft 365, Outlook.com and Gmail sign in with OAuth2,
providers that still take passwords log in with them, the providers'
advice to leave mail on the server is taken; and files the program cannot
read are reported as what they are."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.autoconfig_net import ISPDB_HOST, MailNet, Server, client_config, mail_net
from tests.support.certs import Authority
from tests.support.types import Cli

pytestmark = pytest.mark.port443

OWN_DOMAIN = "firma.example"


@pytest.fixture
def net(
    authority: Authority, trusted_ca: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[MailNet]:
    names = [ISPDB_HOST, OWN_DOMAIN, f"autoconfig.{OWN_DOMAIN}"]
    with mail_net(authority.issue(names), timeouts="total=5,request=3,probe=0.5") as servers:
        for name, value in servers.env.items():
            monkeypatch.setenv(name, value)
        served = servers.real_ispdb()
        assert {"office365.com", "outlook.com", "gmail.com", "web.de"} <= set(served)
        yield servers


def autoconfig(cli: Cli, address: str) -> tuple[int, dict[str, Any]]:
    result = cli("autoconfig", address, "--json")
    assert result.out, result.err
    return result.code, json.loads(result.out)


def ispdb_outcome(doc: dict[str, Any], domain: str) -> str:
    url = f"https://{ISPDB_HOST}/v1.1/{domain}"
    found = [t["outcome"] for t in doc["tried"] if t["query"] == url]
    assert len(found) == 1, doc["tried"]
    return str(found[0])


MICROSOFT = {"provider": "microsoft", "tenant": "common"}


@pytest.mark.parametrize(
    ("address", "pop3", "smtp", "oauth2"),
    [
        (  # Microsoft 365 offers POP3 and SMTP with OAuth2 only
            "max@office365.com",
            "outlook.office365.com",
            ("smtp.office365.com", 587, "starttls"),
            MICROSOFT,
        ),
        (  # Outlook.com: OAuth2 only, and the file has no <oAuth2> section
            "max@outlook.com",
            "outlook.office365.com",
            ("smtp-mail.outlook.com", 587, "starttls"),
            MICROSOFT,
        ),
        (
            "max@hotmail.de",
            "outlook.office365.com",
            ("smtp-mail.outlook.com", 587, "starttls"),
            MICROSOFT,
        ),
        (  # Gmail offers OAuth2 and a password; Google takes no passwords any more
            "max@gmail.com",
            "pop.gmail.com",
            ("smtp.gmail.com", 465, "ssl"),
            {"provider": "google"},
        ),
        (
            "max@googlemail.com",
            "pop.gmail.com",
            ("smtp.gmail.com", 465, "ssl"),
            {"provider": "google"},
        ),
    ],
)
def test_microsoft_and_google_are_found_with_oauth2(
    cli: Cli,
    net: MailNet,
    address: str,
    pop3: str,
    smtp: tuple[str, int, str],
    oauth2: dict[str, Any],
) -> None:
    code, doc = autoconfig(cli, address)
    assert code == 0, doc["tried"]
    assert doc["source"] == "ispdb"
    assert doc["pop3"] == {
        "server": pop3,
        "port": 995,
        "security": "ssl",
        "username": address,
        "oauth2": True,
    }
    server, port, security = smtp
    assert doc["smtp"] == {
        "server": server,
        "port": port,
        "security": security,
        "auth": {"required": True, "method": "oauth2", "username": address},
    }
    assert doc["oauth2"] == oauth2  # never a client ID or secret: those are the admin's
    assert doc["fetch"] == {"leave_on_server": True}  # the file's leaveMessagesOnServer
    assert set(doc) == {"address", "source", "pop3", "smtp", "oauth2", "fetch", "tried"}
    domain = address.partition("@")[2]
    assert ispdb_outcome(doc, domain) == (
        f"found: POP3 {pop3}:995 (ssl, OAuth2), SMTP {server}:{port} ({security}, OAuth2)"
    )


@pytest.mark.parametrize(
    ("address", "pop3", "username", "smtp"),
    [
        # OAuth2 and a password at another provider: the password, as before
        ("max@yahoo.com", "pop.mail.yahoo.com", "max@yahoo.com", "smtp.mail.yahoo.com"),
        ("max@aol.com", "pop.aol.com", "max@aol.com", "smtp.aol.com"),
        # passwords only
        ("max@gmx.de", "pop.gmx.net", "max@gmx.de", "mail.gmx.net"),
        ("max@web.de", "pop3.web.de", "max", "smtp.web.de"),
        ("max@t-online.de", "securepop.t-online.de", "max@t-online.de", "securesmtp.t-online.de"),
    ],
)
def test_providers_that_take_passwords_log_in_with_them(
    cli: Cli, net: MailNet, address: str, pop3: str, username: str, smtp: str
) -> None:
    code, doc = autoconfig(cli, address)
    assert code == 0, doc["tried"]
    assert doc["source"] == "ispdb"
    assert doc["pop3"] == {
        "server": pop3,
        "port": 995,
        "security": "ssl",
        "username": username,
        "oauth2": False,
    }
    assert doc["smtp"] == {
        "server": smtp,
        "port": 465,
        "security": "ssl",
        "auth": {"required": True, "method": "login", "username": username},
    }
    assert doc["oauth2"] is None
    assert doc["fetch"] == {"leave_on_server": False}  # no advice: the account's default


def test_the_text_summary_says_that_the_account_signs_in(cli: Cli, net: MailNet) -> None:
    result = cli("autoconfig", "max@outlook.com")
    assert result.code == 0, result.err
    assert "POP3  outlook.office365.com, port 995, ssl, user max@outlook.com, OAuth2" in result.out
    assert "SMTP  smtp-mail.outlook.com, port 587, starttls, login OAuth2 as max@outlook.com" in (
        result.out
    )
    assert "OAuth2  sign-in at Microsoft (tenant common); no password" in result.out
    assert "Fetch  mail stays on the server (the provider advises it)" in result.out
    assert "logon method this program does not have" not in result.out


def test_add_fills_the_oauth2_card_and_says_what_comes_next(directory: Cli, net: MailNet) -> None:
    args = ("add", "--autoconfig", "--number", "1000", "--address", "max@outlook.com")
    refused = directory(*args, "--operators", "ADM")
    assert refused.code == 2
    assert "give the client ID of your organisation's app registration" in refused.err
    assert "oauth2.client_id: is required" in refused.err
    assert directory("show", "1000").code == 1  # nothing added

    client_id = "0b4a3c5e-1111-2222-3333-444455556666"
    added = directory(*args, "--operators", "ADM", "--oauth2-client-id", client_id)
    assert added.code == 0, added.err
    assert "next: sign the account in with: mailaccounts oauth2 login 1000" in added.err
    shown = json.loads(directory("show", "1000", "--json").out)
    assert shown["oauth2"] | {"device_authorization_url": ""} == {
        "provider": "microsoft",
        "tenant": "common",
        "client_id": client_id,
        "authorization_url": "",  # the model derives Microsoft's URLs and scopes
        "token_url": "",
        "device_authorization_url": "",
        "scopes": [],
    }
    assert (shown["pop3"]["server"], shown["pop3"]["oauth2"], shown["pop3"]["spa"]) == (
        "outlook.office365.com",
        True,
        False,
    )
    assert (shown["smtp"]["server"], shown["smtp"]["auth"]["method"]) == (
        "smtp-mail.outlook.com",
        "oauth2",
    )
    assert shown["fetch"]["leave_on_server"] is True
    text = directory("show", "1000").out
    assert "pop3.password: not set" in text and "smtp.auth.password: not set" in text


def test_add_keeps_what_the_command_line_gives(directory: Cli, net: MailNet) -> None:
    added = directory(
        "add",
        "--autoconfig",
        "--number",
        "1000",
        "--address",
        "max@gmail.com",
        "--operators",
        "ADM",
        "--oauth2-client-id",
        "123.apps.googleusercontent.com",
        "--no-fetch-leave-on-server",
    )
    assert added.code == 0, added.err
    shown = json.loads(directory("show", "1000", "--json").out)
    assert (shown["oauth2"]["provider"], shown["oauth2"]["client_id"]) == (
        "google",
        "123.apps.googleusercontent.com",
    )
    assert shown["fetch"]["leave_on_server"] is False  # given, so not the file's advice


@pytest.mark.parametrize(
    ("mx", "pop3", "smtp", "oauth2"),
    [
        (  # Microsoft 365 under the company's own domain
            "firma-example.mail.protection.outlook.com",
            "outlook.office365.com",
            "smtp.office365.com",
            MICROSOFT,
        ),
        ("aspmx.l.google.com", "pop.gmail.com", "smtp.gmail.com", {"provider": "google"}),
    ],
)
def test_a_companys_own_domain_at_microsoft_365_or_google_is_found_by_its_mx(
    cli: Cli, net: MailNet, mx: str, pop3: str, smtp: str, oauth2: dict[str, str]
) -> None:
    address = f"info@{OWN_DOMAIN}"
    net.dns.mx(OWN_DOMAIN, mx)
    code, doc = autoconfig(cli, address)
    assert code == 0, doc["tried"]
    assert doc["source"] == "mx"  # a guess: add --autoconfig asks first
    assert (doc["pop3"]["server"], doc["pop3"]["oauth2"], doc["pop3"]["username"]) == (
        pop3,
        True,
        address,
    )
    assert (doc["smtp"]["server"], doc["smtp"]["auth"]["method"]) == (smtp, "oauth2")
    assert doc["oauth2"] == oauth2


# -- OAuth2 at another provider ---------------------------------------------------------------


def custom_oauth2_file(auth_url: str, methods: list[str]) -> str:
    plain = client_config(
        Server("pop3", "pop.firma.example", 995, authentication=methods),
        Server("smtp", "smtp.firma.example", 465, authentication=methods),
    )
    section = (
        "<oAuth2><issuer>login.firma.example</issuer><scope>mail offline</scope>"
        f"<authURL>{auth_url}</authURL>"
        "<tokenURL>https://login.firma.example/token</tokenURL></oAuth2>"
    )
    return plain.replace("</clientConfig>", section + "</clientConfig>")


def test_another_provider_offering_only_oauth2_is_proposed_with_its_own_urls(
    cli: Cli, net: MailNet
) -> None:
    net.own(OWN_DOMAIN, custom_oauth2_file("https://login.firma.example/auth", ["OAuth2"]))
    code, doc = autoconfig(cli, f"info@{OWN_DOMAIN}")
    assert code == 0, doc["tried"]
    assert doc["oauth2"] == {
        "provider": "custom",
        "authorization_url": "https://login.firma.example/auth",
        "token_url": "https://login.firma.example/token",
        "scopes": ["mail", "offline"],
    }
    assert doc["pop3"]["oauth2"] is True
    assert doc["smtp"]["auth"]["method"] == "oauth2"


def test_another_provider_offering_a_password_too_logs_in_with_the_password(
    cli: Cli, net: MailNet
) -> None:
    methods = ["OAuth2", "password-cleartext"]
    net.own(OWN_DOMAIN, custom_oauth2_file("https://login.firma.example/auth", methods))
    code, doc = autoconfig(cli, f"info@{OWN_DOMAIN}")
    assert code == 0, doc["tried"]
    assert doc["oauth2"] is None
    assert (doc["pop3"]["oauth2"], doc["smtp"]["auth"]["method"]) == (False, "login")


def test_oauth2_without_saying_where_is_reported_as_such(cli: Cli, net: MailNet) -> None:
    body = custom_oauth2_file("", ["OAuth2"])  # no authorization URL
    net.own(OWN_DOMAIN, body)
    code, doc = autoconfig(cli, f"info@{OWN_DOMAIN}")
    assert code == 1
    own = [t["outcome"] for t in doc["tried"] if t["query"].startswith("https://autoconfig.")]
    assert own == [
        "its POP3 servers sign in only with OAuth2, and the file does not say where "
        "(no usable <oAuth2> section)"
    ]


def test_an_oauth2_url_the_model_refuses_is_dropped_and_reported(cli: Cli, net: MailNet) -> None:
    net.own(OWN_DOMAIN, custom_oauth2_file("http://login.firma.example/auth", ["OAuth2"]))
    code, doc = autoconfig(cli, f"info@{OWN_DOMAIN}")
    assert code == 0
    assert "authorization_url" not in doc["oauth2"]
    dropped = [t["outcome"] for t in doc["tried"] if "dropped" in t["outcome"]]
    assert len(dropped) == 1
    assert dropped[0].startswith("oauth2.authorization_url dropped: ")
    assert "must be an https:// address" in dropped[0]


# -- files the program cannot read ----------------------------------------------------------------

UTF7_FILE = (
    b'<?xml version="1.0" encoding="UTF-7"?>\n'
    + client_config(Server("pop3", "pop.firma.example", 995)).split("\n", 1)[1].encode()
)


def test_a_file_in_an_encoding_the_parser_does_not_know_is_reported_as_such(
    cli: Cli, net: MailNet
) -> None:
    net.own(OWN_DOMAIN, UTF7_FILE)
    code, doc = autoconfig(cli, f"info@{OWN_DOMAIN}")
    assert code == 1  # nothing else answered
    own = [t["outcome"] for t in doc["tried"] if t["query"].startswith("https://autoconfig.")]
    assert own == [
        "cannot be read: the file is written in the encoding UTF-7, which this program cannot read"
    ]
    assert not any(t["outcome"].startswith("not waited for") for t in doc["tried"])


def test_a_file_that_cannot_be_read_does_not_stop_the_next_source(cli: Cli, net: MailNet) -> None:
    net.own(OWN_DOMAIN, UTF7_FILE)
    net.ispdb(OWN_DOMAIN, (net_file := client_config(Server("pop3", "pop.ispdb.example", 995))))
    assert net_file
    code, doc = autoconfig(cli, f"info@{OWN_DOMAIN}")
    assert (code, doc["source"], doc["pop3"]["server"]) == (0, "ispdb", "pop.ispdb.example")
    own = [t["outcome"] for t in doc["tried"] if t["query"].startswith("https://autoconfig.")]
    assert own[0].startswith("cannot be read: the file is written in the encoding UTF-7")
