"""The automatic configuration's pieces without a network: reading
clientConfig files (safely), the rules of thumb, the limits and filling an
account from a proposal."""

from __future__ import annotations

import time

import pytest

from mailaccounts.autoconfig.clientconfig import settings
from mailaccounts.autoconfig.lookup import address_problem, base_domain, mx_domains
from mailaccounts.autoconfig.resolver import parse_server
from mailaccounts.autoconfig.result import Limits, Pop3Proposal, Proposal, SmtpProposal
from mailaccounts.net.report import NetError
from tests.support.autoconfig_net import Server, client_config

ADDRESS = "Max.Muster@firma.example"


def read(*servers: Server) -> tuple[object, object]:
    found = settings(client_config(*servers).encode(), ADDRESS)
    return found.pop3, found.smtp


def test_pop3_is_preferred_over_imap_and_placeholders_are_filled_in() -> None:
    pop3, smtp = read(
        Server("imap", "imap.firma.example", 993, username="%EMAILADDRESS%"),
        Server("pop3", "pop.%EMAILDOMAIN%", 995, username="%EMAILLOCALPART%"),
        Server("smtp", "smtp.%EMAILDOMAIN%", 587, "STARTTLS", username="%EMAILADDRESS%"),
    )
    assert pop3 == {
        "server": "pop.firma.example",
        "port": 995,
        "security": "ssl",
        "username": "Max.Muster",
        "spa": False,
        "oauth2": False,
    }
    assert smtp == {
        "server": "smtp.firma.example",
        "port": 587,
        "security": "starttls",
        "auth": {"required": True, "method": "login", "username": ADDRESS},
    }


def test_an_imap_only_file_proposes_no_pop3_server() -> None:
    found = settings(
        client_config(
            Server("imap", "imap.x.example", 993), Server("smtp", "smtp.x.example", 465)
        ).encode(),
        ADDRESS,
    )
    assert found.pop3 is None and found.imap_only
    assert found.smtp is not None


@pytest.mark.parametrize(
    ("socket_type", "security"), [("SSL", "ssl"), ("STARTTLS", "starttls"), ("plain", "none")]
)
def test_socket_types(socket_type: str, security: str) -> None:
    pop3, smtp = read(
        Server("pop3", "pop.x.example", 1100, socket_type),
        Server("smtp", "smtp.x.example", 2525, socket_type),
    )
    assert isinstance(pop3, dict) and isinstance(smtp, dict)
    assert (pop3["security"], smtp["security"]) == (security, security)


@pytest.mark.parametrize(
    ("methods", "spa", "required", "method"),
    [
        (["password-cleartext"], False, True, "login"),
        (["password-encrypted"], False, True, "cram-md5"),
        (["NTLM", "password-cleartext"], True, True, "login"),
        (["OAuth2", "password-encrypted"], False, True, "cram-md5"),  # the first we can do
        (["client-IP-address"], False, False, "login"),
    ],
)
def test_authentication(methods: list[str], spa: bool, required: bool, method: str) -> None:
    pop3_methods = methods if required else ["password-cleartext"]  # POP3 needs a login
    pop3, smtp = read(
        Server("pop3", "pop.x.example", 995, authentication=pop3_methods),
        Server("smtp", "smtp.x.example", 465, authentication=methods),
    )
    assert isinstance(pop3, dict) and isinstance(smtp, dict)
    assert pop3["spa"] is spa
    assert (smtp["auth"]["required"], smtp["auth"]["method"]) == (required, method)


def test_implicit_tls_wins_among_equal_entries_else_the_files_order() -> None:
    pop3, smtp = read(
        Server("pop3", "pop-starttls.x.example", 110, "STARTTLS"),
        Server("pop3", "pop-ssl.x.example", 995, "SSL"),
        Server("pop3", "pop-ssl-2.x.example", 995, "SSL"),
        Server("smtp", "smtp-plain.x.example", 25, "plain"),
        Server("smtp", "smtp-ssl.x.example", 465, "SSL"),
    )
    assert isinstance(pop3, dict) and isinstance(smtp, dict)
    assert (pop3["server"], smtp["server"]) == ("pop-ssl.x.example", "smtp-ssl.x.example")


def test_pop3_servers_that_need_oauth_without_its_details_are_reported_as_unusable() -> None:
    """No ``<oAuth2>`` section and a host name of no provider the program
    knows: nothing to sign in at."""
    found = settings(
        client_config(Server("pop3", "pop.x.example", 995, authentication=["OAuth2"])).encode(),
        ADDRESS,
    )
    assert found.pop3 is None
    assert found.unusable == ("oauth2",)


def test_a_missing_or_broken_port_takes_the_modes_standard_port() -> None:
    body = client_config(Server("pop3", "pop.x.example", 0, "STARTTLS")).replace(
        "<port>0</port>", "<port>neunzig</port>"
    )
    found = settings(body.encode(), ADDRESS)
    assert found.pop3 is not None and found.pop3["port"] == 110


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<clientConfig><emailProvider><incomingServer type="pop3">
<hostname>&lol9;</hostname></incomingServer></emailProvider></clientConfig>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE clientConfig [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<clientConfig><emailProvider><incomingServer type="pop3">
<hostname>&secret;</hostname></incomingServer></emailProvider></clientConfig>"""


@pytest.mark.parametrize("body", [BILLION_LAUGHS, EXTERNAL_ENTITY])
def test_a_doctype_is_refused_before_anything_is_expanded(body: bytes) -> None:
    started = time.monotonic()
    with pytest.raises(NetError) as caught:
        settings(body, ADDRESS)
    assert caught.value.problem.code == "autoconfig_doctype"
    assert time.monotonic() - started < 0.5


@pytest.mark.parametrize(
    "body",
    [
        b"<clientConfig><emailProvider>",
        b"not xml at all",
        b"<html><body>Welcome to nginx</body></html>",
        b"<clientConfig>&undefined;</clientConfig>",
        b"<clientConfig version='1.1'></clientConfig>",
        "<clientConfig>\u00e4</clientConfig>".encode("latin-1"),
    ],
)
def test_what_is_no_configuration_file_says_so(body: bytes) -> None:
    with pytest.raises(NetError) as caught:
        settings(body, ADDRESS)
    assert caught.value.problem.code == "autoconfig_bad_xml"


@pytest.mark.parametrize(
    ("host", "domain"),
    [
        ("mx01.emig.gmx.net", "gmx.net"),
        ("aspmx.l.google.com", "google.com"),
        ("mail.provider.co.uk", "provider.co.uk"),
        ("mx.firma.example.", "firma.example"),
        ("example", "example"),
    ],
)
def test_base_domain_of_an_mx_host(host: str, domain: str) -> None:
    assert base_domain(host) == domain


@pytest.mark.parametrize(
    ("host", "domains"),
    [
        (
            "firma-de.mail.protection.outlook.com",
            ["mail.protection.outlook.com", "outlook.com"],
        ),
        ("aspmx.l.google.com", ["l.google.com", "google.com"]),
        ("mx01.provider.example", ["provider.example"]),
        ("mx.provider.co.uk", ["provider.co.uk"]),
        ("a.mx.provider.co.uk", ["mx.provider.co.uk", "provider.co.uk"]),
    ],
)
def test_mx_domains_most_specific_first(host: str, domains: list[str]) -> None:
    assert mx_domains(host) == domains


def test_limits_default_to_15_seconds_and_may_only_be_shortened() -> None:
    assert Limits.from_env({}) == Limits() and Limits().total == 15.0
    assert Limits.from_env({"MAILACCOUNTS_AUTOCONFIG_TIMEOUTS": "total=2, probe=0.5"}) == Limits(
        total=2.0, probe=0.5
    )
    for wrong in ("total=16", "total=0", "request=x", "wait=3", "total"):
        with pytest.raises(ValueError):
            Limits.from_env({"MAILACCOUNTS_AUTOCONFIG_TIMEOUTS": wrong})


def test_dns_server_setting() -> None:
    assert parse_server("127.0.0.1:5353") == ("127.0.0.1", 5353)
    assert parse_server("10.0.0.2") == ("10.0.0.2", 53)
    assert parse_server("[::1]:53") == ("::1", 53)
    for wrong in ("127.0.0.1:", ":53", "h:0", "h:99999", "[::1]x"):
        with pytest.raises(ValueError):
            parse_server(wrong)


def test_address_problem() -> None:
    assert address_problem("info@firma.example") is None
    problem = address_problem("kein-at-zeichen")
    assert problem is not None and problem.code == "address_invalid"
    assert address_problem("") is not None


PROPOSAL = Proposal(
    "ispdb",
    "https://ispdb.example/v1.1/firma.example",
    Pop3Proposal("pop.firma.example", 995, "ssl", "info@firma.example"),
    SmtpProposal("smtp.firma.example", 465, "ssl", True, "login", "info@firma.example"),
)


def test_fill_leaves_what_was_given() -> None:
    given = {"number": "1000", "pop3": {"username": "info"}, "smtp": {"port": 2525}}
    filled = PROPOSAL.fill(given)
    assert filled["pop3"] == {
        "username": "info",
        "server": "pop.firma.example",
        "port": 995,
        "security": "ssl",
        "spa": False,
        "oauth2": False,
    }
    assert filled["smtp"]["port"] == 2525 and filled["smtp"]["separate"] is True
    assert given == {"number": "1000", "pop3": {"username": "info"}, "smtp": {"port": 2525}}
    assert not any("password" in path for path in PROPOSAL.fields())


def test_fill_a_given_mode_keeps_its_own_standard_port() -> None:
    filled = PROPOSAL.fill({"pop3": {"security": "starttls"}, "smtp": {"separate": False}})
    assert "port" not in filled["pop3"]  # the model's default for STARTTLS: 110
    assert filled["pop3"]["security"] == "starttls"
    assert filled["smtp"]["separate"] is False


def with_oauth2(
    body: str, issuer: str, auth_url: str = "", token_url: str = "", scope: str = ""
) -> bytes:
    section = (
        f"<oAuth2><issuer>{issuer}</issuer><scope>{scope}</scope><authURL>{auth_url}</authURL>"
        f"<tokenURL>{token_url}</tokenURL></oAuth2>"
    )
    return body.replace("</clientConfig>", section + "</clientConfig>").encode()


BOTH = ["OAuth2", "password-cleartext"]


@pytest.mark.parametrize(
    ("issuer", "auth_url", "methods", "oauth2"),
    [
        (  # Microsoft's tenant as the file's authorization URL names it
            "login.microsoftonline.com",
            "https://login.microsoftonline.com/common/oauth2/v2.0/authorize",
            ["OAuth2"],
            {"provider": "microsoft", "tenant": "common"},
        ),
        ("login.microsoftonline.com", "", ["OAuth2"], {"provider": "microsoft"}),
        (
            "accounts.google.com",
            "https://accounts.google.com/o/oauth2/auth",
            BOTH,
            {"provider": "google"},
        ),
        (  # another issuer: its own URLs and scopes
            "login.x.example",
            "https://login.x.example/auth",
            ["OAuth2"],
            {
                "provider": "custom",
                "authorization_url": "https://login.x.example/auth",
                "token_url": "https://login.x.example/token",
                "scopes": ["mail", "offline"],
            },
        ),
        ("login.x.example", "https://login.x.example/auth", BOTH, None),  # the password
    ],
)
def test_oauth2_where_the_program_can(
    issuer: str, auth_url: str, methods: list[str], oauth2: dict[str, object] | None
) -> None:
    body = client_config(
        Server("pop3", "pop.x.example", 995, authentication=methods),
        Server("smtp", "smtp.x.example", 465, authentication=methods),
    )
    found = settings(
        with_oauth2(body, issuer, auth_url, "https://login.x.example/token", "mail offline"),
        ADDRESS,
    )
    assert found.oauth2 == oauth2
    assert found.pop3 is not None and found.smtp is not None
    assert found.pop3["oauth2"] is (oauth2 is not None)
    assert found.smtp["auth"]["method"] == ("oauth2" if oauth2 else "login")


def test_another_issuer_without_its_urls_or_scopes_cannot_be_signed_in_at() -> None:
    body = client_config(Server("pop3", "pop.x.example", 995, authentication=["OAuth2"]))
    found = settings(with_oauth2(body, "login.x.example", "https://login.x.example/auth"), ADDRESS)
    assert found.pop3 is None and found.oauth2 is None
    assert found.unusable == ("oauth2",)


@pytest.mark.parametrize(
    ("host", "oauth2"),
    [
        ("outlook.office365.com", {"provider": "microsoft", "tenant": "common"}),
        ("smtp-mail.outlook.com", {"provider": "microsoft", "tenant": "common"}),
        ("pop.gmail.com", {"provider": "google"}),
        ("pop.notoutlook.com", None),
    ],
)
def test_without_an_oauth2_section_microsofts_and_googles_servers_are_known_by_name(
    host: str, oauth2: dict[str, str] | None
) -> None:
    found = settings(
        client_config(Server("pop3", host, 995, authentication=["OAuth2"])).encode(), ADDRESS
    )
    assert found.oauth2 == oauth2
    assert (found.pop3 is not None) is (oauth2 is not None)


@pytest.mark.parametrize(("hint", "leave"), [("true", True), ("false", False), ("", None)])
def test_leave_messages_on_server_of_the_chosen_pop3_entry(hint: str, leave: bool | None) -> None:
    body = client_config(Server("pop3", "pop.x.example", 995))
    if hint:
        advice = f"<pop3><leaveMessagesOnServer>{hint}</leaveMessagesOnServer></pop3>"
        body = body.replace("</incomingServer>", advice + "</incomingServer>")
    assert settings(body.encode(), ADDRESS).leave_on_server is leave


@pytest.mark.parametrize("encoding", ["UTF-7", "x-no-such-encoding"])
def test_an_encoding_the_parser_cannot_read_is_named(encoding: str) -> None:
    body = client_config(Server("pop3", "pop.x.example", 995)).replace("UTF-8", encoding)
    with pytest.raises(NetError) as raised:
        settings(body.encode(), ADDRESS)
    assert (raised.value.problem.code, raised.value.problem.params) == (
        "autoconfig_encoding",
        {"encoding": encoding},
    )


def test_a_single_byte_encoding_is_read() -> None:
    body = client_config(Server("pop3", "pop.x.example", 995, username="M\u00fcller"))
    found = settings(body.replace("UTF-8", "windows-1252").encode("cp1252"), ADDRESS)
    assert found.pop3 is not None and found.pop3["username"] == "M\u00fcller"
