"""Providers that have stopped (or are stopping) password login for POP3 and
SMTP: which of their servers an account names, what each has turned off,
how their servers word a refused password, and what switching the account
to OAuth2 changes.

The account dialog, the account list, the CLI and the connection test all
ask this module, so the rule is written down once. It needs neither Qt nor
pydantic and imports nothing at its top beyond the standard library and
``model/rules.py``: the list uses it right after its first paint."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .problems import Problem, Severity
from .rules import smtp_login_of, smtp_server_of

if TYPE_CHECKING:
    from .problems import Problem

POP3 = "pop3"
SMTP = "smtp"


@dataclass(frozen=True)
class Provider:
    key: str
    """Also the ``oauth2.provider`` the account switches to."""
    name: str
    """As the messages name it (a brand: not translated)."""
    hosts: Mapping[str, frozenset[str]]
    """Server (``pop3``, ``smtp``) → the provider's host names, lower case, no trailing dot."""
    notices: Mapping[str, str]
    """Server → the message code saying what the provider has turned off there."""
    refusals: tuple[str, ...]
    """Lower-case parts of a server reply that say "passwords are off here";
    only wordings that cannot mean a mistyped password."""


PROVIDERS: tuple[Provider, ...] = (
    Provider(
        "microsoft",
        "Microsoft 365",
        {
            POP3: frozenset({"outlook.office365.com"}),
            SMTP: frozenset({"smtp.office365.com"}),
        },
        {POP3: "password_off_microsoft_pop3", SMTP: "password_ending_microsoft_smtp"},
        (
            # 535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is
            # disabled for the Tenant
            "smtpclientauthentication is disabled",
            # 535 5.7.139 Authentication unsuccessful, basic authentication is disabled
            "basic authentication is disabled",
            # 550 5.7.30 Basic authentication is not supported for Client Submission
            "basic authentication is not supported",
        ),
    ),
    Provider(
        "google",
        "Google",
        {POP3: frozenset({"pop.gmail.com"}), SMTP: frozenset({"smtp.gmail.com"})},
        {POP3: "password_off_google", SMTP: "password_off_google"},
        (
            # 534-5.7.9 Application-specific password required;
            # POP3: -ERR [AUTH] Application-specific password required
            "application-specific password required",
            # POP3: -ERR [AUTH] Web login required
            "web login required",
            # 534-5.7.14 <…> Please log in via your web browser and then try again
            "log in via your web browser",
        ),
    ),
)
PROVIDER_KEYS = {provider.key: provider for provider in PROVIDERS}
WARNING_CODES = tuple(sorted({code for p in PROVIDERS for code in p.notices.values()}))
"""The message codes of the notices."""


def host_key(host: str) -> str:
    """A host name as the rule compares it: case-insensitive, without the
    trailing dot of a fully qualified name."""
    return host.strip().rstrip(".").casefold()


def provider_of(host: str, server: str | None = None) -> Provider | None:
    """The provider whose (POP3 or SMTP, or either) server *host* is."""
    key = host_key(host)
    for provider in PROVIDERS:
        servers = [server] if server is not None else list(provider.hosts)
        if any(key in provider.hosts.get(name, frozenset()) for name in servers):
            return provider
    return None


@dataclass(frozen=True)
class PasswordNotice:
    """A server of the account that logs in with a password at a provider
    that has turned that off, or turns it off."""

    server: str
    """``pop3`` or ``smtp``."""
    path: str
    """The field the notice belongs to: where the server is typed."""
    host: str
    provider: Provider

    @property
    def code(self) -> str:
        return self.provider.notices[self.server]

    @property
    def params(self) -> dict[str, str]:
        return {"host": self.host, "provider": self.provider.name, "oauth2": self.provider.key}

    @property
    def problem(self) -> Problem:
        """The notice as a warning about the field where the server is typed."""
        return Problem(self.code, self.path, self.params, Severity.WARNING)


def password_notices(data: Mapping[str, Any]) -> list[PasswordNotice]:
    """The notices of an account in its JSON form (valid or not): POP3 with
    USER/PASS or SPA, SMTP with AUTH LOGIN or CRAM-MD5, at a provider's host."""
    if data.get("exchange"):
        return []
    pop3 = _section(data, "pop3")
    found = []
    pop3_host = str(pop3.get("server") or "")
    provider = provider_of(pop3_host, POP3)
    if provider is not None and not pop3.get("oauth2"):
        found.append(PasswordNotice(POP3, "pop3.server", pop3_host, provider))
    server = smtp_server_of(data)
    provider = provider_of(server.host, SMTP if server.separate else None)
    if provider is not None and smtp_login_of(data).with_password:
        found.append(PasswordNotice(SMTP, server.host_path, server.host, provider))
    return found


def _section(data: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    value = data.get(name)
    return value if isinstance(value, Mapping) else {}


def oauth2_switch(data: Mapping[str, Any], provider: Provider) -> dict[str, Any]:
    """The fields (path → value) that switch the account's servers at
    *provider* to OAuth2 with that provider: its settings (the other
    ``oauth2`` fields keep their defaults or what was typed), XOAUTH2 for
    POP3 (SPA off: the two exclude each other) and for SMTP. Only the
    provider's own hosts: another host would be sent the provider's access
    tokens."""
    servers = {n.server for n in password_notices(data) if n.provider is provider}
    values: dict[str, Any] = {"oauth2.provider": provider.key}
    if POP3 in servers:
        values["pop3.oauth2"] = True
        values["pop3.spa"] = False
    if SMTP in servers:
        values["smtp.auth.method"] = "oauth2"
    return values


def refusing_provider(reply: str) -> Provider | None:
    """The provider whose servers answer a password login with *reply* when
    they no longer accept passwords; None for any other answer (a mistyped
    password among them)."""
    text = reply.casefold()
    for provider in PROVIDERS:
        if any(part in text for part in provider.refusals):
            return provider
    return None
