"""The account's rules that more than one part of the program applies: the
connection test, the store's list columns, the CLI, the account dialog and
the model all ask here, so each rule is written once.

They read an account in its JSON form (a mapping, valid or not: the store
lists what an older release wrote, the CLI lays flags over half-typed input)
and answer with typed values. No Qt, no pydantic, nothing but ``typing``: the
store's list columns use them on the window's start path. (No
``from __future__ import annotations``: typing.NamedTuple would compile each
field's annotation string on import.)
"""

from collections.abc import Mapping
from typing import Any, Literal, NamedTuple

Protocol = Literal["pop3", "smtp"]

PORT_MIN, PORT_MAX = 1, 65535
"""The ports a server may have (``pop3.port``, ``smtp.port``)."""

POP3_DEFAULT_PORTS: dict[str, int] = {"ssl": 995, "starttls": 110, "none": 110}
SMTP_DEFAULT_PORTS: dict[str, int] = {"ssl": 465, "starttls": 587, "none": 587}
DEFAULT_PORTS: dict[str, dict[str, int]] = {"pop3": POP3_DEFAULT_PORTS, "smtp": SMTP_DEFAULT_PORTS}
"""The standard port of each security mode, per protocol (submission for SMTP)."""


def port_in_range(port: int) -> bool:
    return PORT_MIN <= port <= PORT_MAX


def default_port(protocol: Protocol, security: object) -> int:
    """The standard port of *security* for *protocol*; that of implicit TLS
    (the default mode) when *security* is no mode at all."""
    defaults = DEFAULT_PORTS[protocol]
    return defaults.get(security, defaults["ssl"]) if isinstance(security, str) else defaults["ssl"]


def follow_port(protocol: Protocol, old_security: str, new_security: str, port: int) -> int:
    """The port after a change of security mode: it follows the mode's
    standard port unless the user had set a port of their own."""
    defaults = DEFAULT_PORTS[protocol]
    if port == defaults.get(old_security):
        return defaults.get(new_security, port)
    return port


def _section(data: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    value = data.get(name)
    return value if isinstance(value, Mapping) else {}


def _text(section: Mapping[str, Any], key: str) -> str:
    value = section.get(key)
    return str(value) if value else ""


class SmtpServer(NamedTuple):
    """The server an account sends through, as it is actually used."""

    host: str
    port: int
    security: str
    server_name: str
    """The name the certificate must carry when *host* is an IP or an alias;
    empty: *host* itself."""
    separate: bool
    """Typed on its own ("SMTP-Eingabe"); else it is the POP3 host."""

    @property
    def tls_name(self) -> str:
        """The name the server's certificate is checked against."""
        return self.server_name or self.host

    @property
    def host_path(self) -> str:
        """The field where the host is typed."""
        return "smtp.server" if self.separate else "pop3.server"

    @property
    def security_path(self) -> str:
        """The field where its security mode is typed."""
        return "smtp.security" if self.separate else "pop3.security"


def smtp_server(
    separate: bool,
    pop3_host: str,
    pop3_security: str,
    smtp_host: str,
    smtp_port: int,
    smtp_security: str,
    server_name: str,
) -> SmtpServer:
    """Without separate SMTP access data the outgoing server is the POP3
    host, with the POP3 security mode and that mode's standard submission
    port (and no server name of its own)."""
    if separate:
        return SmtpServer(smtp_host, smtp_port, smtp_security, server_name, True)
    return SmtpServer(pop3_host, default_port("smtp", pop3_security), pop3_security, "", False)


def smtp_server_of(data: Mapping[str, Any]) -> SmtpServer:
    """The SMTP server of an account in its JSON form."""
    pop3, smtp = _section(data, "pop3"), _section(data, "smtp")
    security = _text(smtp, "security") or "ssl"
    port = smtp.get("port")
    return smtp_server(
        bool(smtp.get("separate")),
        _text(pop3, "server"),
        _text(pop3, "security") or "ssl",
        _text(smtp, "server"),
        port if isinstance(port, int) else default_port("smtp", security),
        security,
        _text(smtp, "server_name"),
    )


class SmtpLogin(NamedTuple):
    """How an account logs in to its SMTP server."""

    required: bool
    """The server requires authentication."""
    method: str
    section: str
    """Where the login is typed: ``pop3`` (the same as incoming) or ``smtp.auth``."""
    username: str

    @property
    def secret(self) -> str:
        """The secret it signs in with: ``oauth2``, ``pop3`` or ``smtp``."""
        if self.method == "oauth2":
            return "oauth2"
        return "pop3" if self.section == "pop3" else "smtp"

    @property
    def with_oauth2(self) -> bool:
        """It signs in with the account's OAuth2 sign-in (SASL XOAUTH2)."""
        return self.required and self.method == "oauth2"

    @property
    def with_password(self) -> bool:
        """It logs in with a password (AUTH LOGIN or CRAM-MD5)."""
        return self.required and self.method != "oauth2"

    @property
    def needs_own_login(self) -> bool:
        """It authenticates with an SMTP login of its own (user name and password)."""
        return self.required and self.section != "pop3"

    @property
    def username_field(self) -> str:
        return f"{self.section}.username"

    @property
    def password_field(self) -> str:
        return f"{self.section}.password"


def smtp_login(
    required: bool, method: str, same_as_incoming: bool, pop3_user: str, smtp_user: str
) -> SmtpLogin:
    """The POP3 login when "use same settings as my incoming mail server" is on."""
    if same_as_incoming:
        return SmtpLogin(required, method, "pop3", pop3_user)
    return SmtpLogin(required, method, "smtp.auth", smtp_user)


def smtp_login_of(data: Mapping[str, Any]) -> SmtpLogin:
    """The SMTP login of an account in its JSON form."""
    pop3 = _section(data, "pop3")
    auth = _section(_section(data, "smtp"), "auth")
    return smtp_login(
        bool(auth.get("required")),
        _text(auth, "method") or "login",
        bool(auth.get("same_as_incoming")),
        _text(pop3, "username"),
        _text(auth, "username"),
    )


def signs_in_with_oauth2(data: Mapping[str, Any]) -> bool:
    """POP3 or SMTP signs in with the account's ``oauth2`` settings, which it
    then needs."""
    return bool(_section(data, "pop3").get("oauth2")) or smtp_login_of(data).with_oauth2


FETCHING_ON_BY_DEFAULT = True
"""``fetch.enabled`` of an account that does not say (the model's default)."""


def fetching_switched_on(fetch: Mapping[str, Any] | None) -> bool:
    """Whether scheduled fetching is on in an account's ``fetch`` section (its
    JSON form): on unless it says otherwise."""
    return bool((fetch or {}).get("enabled", FETCHING_ON_BY_DEFAULT))
