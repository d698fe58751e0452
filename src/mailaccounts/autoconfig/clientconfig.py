"""Reading Thunderbird's configuration format (``clientConfig`` version 1.1,
the ISPDB's and the domains' own ``config-v1.1.xml``) into POP3 and SMTP
settings.

The XML comes from the network, so it is parsed with the standard library
only after a first pass with expat has refused any DOCTYPE and entity
declaration: without a DTD there is nothing to expand (no "billion laughs")
and nothing external to load. That is all ``defusedxml`` would add for this
use, so it is not a dependency.

Mapping: POP3 entries are preferred over IMAP (an IMAP-only file proposes
no POP3 server); socketType SSL / STARTTLS / plain → ssl / starttls / none;
authentication password-cleartext → login, password-encrypted → cram-md5
(SMTP), NTLM → SPA (POP3), OAuth2 → ``pop3.oauth2`` and SMTP method
``oauth2`` with the file's ``<oAuth2>`` section (see ``oauth2_section``);
%EMAILADDRESS%, %EMAILLOCALPART% and %EMAILDOMAIN% are filled in. Among
otherwise equal entries implicit TLS wins, then the file's order. A POP3
entry's ``leaveMessagesOnServer`` becomes ``fetch.leave_on_server``.

Which method of an entry: OAuth2 where the provider no longer takes
passwords for mail (Microsoft, Google) or where the entry offers nothing
else this program can do; otherwise the first password method it can.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any
from xml.parsers import expat

from ..model.core import POP3_DEFAULT_PORTS, SMTP_DEFAULT_PORTS
from ..net.report import NetError, server_text

SECURITY = {"ssl": "ssl", "tls": "ssl", "starttls": "starttls", "plain": "none"}
_PREFERENCE = {"ssl": 0, "starttls": 1, "none": 2}
POP3_METHODS = {"password-cleartext": False, "password-encrypted": False, "ntlm": True}
"""authentication → pop3.spa, for the password methods this program can log in with."""
OAUTH2 = "oauth2"
"""The ``authentication`` value (lower case) of signing in with OAuth2."""
ISSUERS = {"login.microsoftonline.com": "microsoft", "accounts.google.com": "google"}
"""``<oAuth2><issuer>`` → the provider whose URLs and scopes the model knows."""
NO_PASSWORDS = ("microsoft", "google")
"""Providers that no longer accept passwords for mail: OAuth2 wherever offered."""
SMTP_METHODS: dict[str, tuple[bool, str]] = {
    "password-cleartext": (True, "login"),
    "password-encrypted": (True, "cram-md5"),
    "none": (False, "login"),
    "client-ip-address": (False, "login"),
    "smtp-after-pop": (False, "login"),
}
"""authentication → (smtp.auth.required, smtp.auth.method)."""


@dataclass(frozen=True)
class Settings:
    """What a file proposes, before the model has checked it."""

    pop3: dict[str, Any] | None
    smtp: dict[str, Any] | None
    imap_only: bool = False
    unusable: tuple[str, ...] = ()
    """Logon methods of POP3 entries this program cannot use (OAuth2 without
    the file's ``<oAuth2>`` details, GSSAPI, ...)."""
    oauth2: dict[str, Any] | None = None
    """The account's ``oauth2`` section, when POP3 or SMTP signs in with OAuth2."""
    leave_on_server: bool | None = None
    """The chosen POP3 entry's ``leaveMessagesOnServer``, if it gives one."""


class _Refused(Exception):
    pass


def _refuse(*_: Any) -> Any:
    raise _Refused


def parse(body: bytes) -> ET.Element:
    """The root element; NetError autoconfig_doctype or autoconfig_bad_xml."""
    scanner = expat.ParserCreate()
    scanner.StartDoctypeDeclHandler = _refuse
    scanner.EntityDeclHandler = _refuse
    scanner.UnparsedEntityDeclHandler = _refuse
    scanner.ExternalEntityRefHandler = _refuse
    try:
        scanner.Parse(body, True)
    except _Refused:
        raise NetError("autoconfig_doctype") from None
    except (ValueError, LookupError):  # expat's own and Python's single-byte codecs do not know it
        raise NetError("autoconfig_encoding", encoding=_declared_encoding(body)) from None
    except expat.ExpatError as exc:
        raise NetError("autoconfig_bad_xml", reason=server_text(str(exc), 200)) from None
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:  # pragma: no cover - expat accepted it above
        raise NetError("autoconfig_bad_xml", reason=server_text(str(exc), 200)) from None
    if root.tag != "clientConfig":
        raise NetError("autoconfig_bad_xml", reason="the root element is not clientConfig")
    return root


def settings(body: bytes, address: str) -> Settings:
    """The POP3 and SMTP settings a clientConfig file proposes for *address*."""
    root = parse(body)
    provider = root.find("emailProvider")
    if provider is None:
        raise NetError("autoconfig_bad_xml", reason="no emailProvider element")
    local, _, domain = address.rpartition("@")
    values = {"%EMAILADDRESS%": address, "%EMAILLOCALPART%": local, "%EMAILDOMAIN%": domain}

    def text(server: ET.Element, tag: str) -> str:
        value = (server.findtext(tag) or "").strip()
        for placeholder, replacement in values.items():
            value = value.replace(placeholder, replacement)
        return value

    file_oauth2 = oauth2_section(root)
    sections: dict[int, dict[str, Any]] = {}
    """id() of an entry that signs in with OAuth2 → its oauth2 section."""

    def method(server: ET.Element, known: Any) -> str | None:
        """The entry's method (lower case) as the module's docstring says;
        "-" for an entry that names none, None for one that names only
        methods this program cannot use."""
        methods = [m.text.strip().lower() for m in server.findall("authentication") if m.text]
        if not methods:
            return "-"
        passwords = [m for m in methods if m in known]
        oauth2 = file_oauth2 or host_oauth2(text(server, "hostname"))
        wanted = oauth2 is not None and (oauth2["provider"] in NO_PASSWORDS or not passwords)
        if OAUTH2 in methods and oauth2 is not None and wanted:
            sections[id(server)] = oauth2
            return OAUTH2
        return passwords[0] if passwords else None

    incoming = provider.findall("incomingServer")
    pop3_entries = [s for s in incoming if (s.get("type") or "").lower() == "pop3"]
    pop3: list[tuple[int, dict[str, Any], ET.Element]] = []
    unusable: list[str] = []
    for order, server in enumerate(pop3_entries):
        security = SECURITY.get(text(server, "socketType").lower())
        chosen = method(server, POP3_METHODS)
        if security is None or chosen is None:
            names = [m.text.strip().lower() for m in server.findall("authentication") if m.text]
            unusable.extend(m for m in names if m not in POP3_METHODS)
            continue
        entry = {
            "server": text(server, "hostname"),
            "port": _port(text(server, "port"), POP3_DEFAULT_PORTS[security]),
            "security": security,
            "username": text(server, "username"),
            "spa": POP3_METHODS.get(chosen, False),
            "oauth2": chosen == OAUTH2,
        }
        pop3.append((_PREFERENCE[security] * 1000 + order, entry, server))
    smtp: list[tuple[int, dict[str, Any], ET.Element]] = []
    for order, server in enumerate(provider.findall("outgoingServer")):
        if (server.get("type") or "smtp").lower() != "smtp":
            continue
        security = SECURITY.get(text(server, "socketType").lower())
        chosen = method(server, SMTP_METHODS)
        if security is None or chosen is None:
            continue
        required, auth_method = (
            (True, OAUTH2) if chosen == OAUTH2 else SMTP_METHODS.get(chosen, (True, "login"))
        )
        entry = {
            "server": text(server, "hostname"),
            "port": _port(text(server, "port"), SMTP_DEFAULT_PORTS[security]),
            "security": security,
            "auth": {
                "required": required,
                "method": auth_method,
                "username": text(server, "username") if required else "",
            },
        }
        smtp.append((_PREFERENCE[security] * 1000 + order, entry, server))
    imap_only = not pop3_entries and any((s.get("type") or "").lower() == "imap" for s in incoming)
    best_pop3 = min(pop3, key=lambda item: item[0]) if pop3 else None
    best_smtp = min(smtp, key=lambda item: item[0]) if smtp else None
    chosen_sections = [sections.get(id(b[2])) for b in (best_pop3, best_smtp) if b is not None]
    return Settings(
        pop3=best_pop3[1] if best_pop3 else None,
        smtp=best_smtp[1] if best_smtp else None,
        imap_only=imap_only,
        unusable=tuple(dict.fromkeys(unusable)),
        oauth2=next((section for section in chosen_sections if section), None),
        leave_on_server=_leave_on_server(best_pop3[2]) if best_pop3 else None,
    )


def oauth2_section(root: ET.Element) -> dict[str, Any] | None:
    """The account's ``oauth2`` section the file's ``<oAuth2>`` means, or None
    when it has none this program can use. A known issuer gives its provider,
    whose URLs and scopes the model derives (``core.oauth2_endpoints``; the
    file's list more than mail); Microsoft's tenant is the one the file's
    authorization URL names (``common``: work and personal accounts). Another
    issuer is ``custom`` with the file's URLs and scopes, all three needed."""
    element = root.find("oAuth2")
    if element is None:
        return None
    issuer = (element.findtext("issuer") or "").strip().lower()
    auth_url = (element.findtext("authURL") or "").strip()
    token_url = (element.findtext("tokenURL") or "").strip()
    scopes = (element.findtext("scope") or "").split()
    provider = ISSUERS.get(issuer)
    if provider == "microsoft":
        tenant = _MICROSOFT_TENANT.match(auth_url)
        return {"provider": provider, **({"tenant": tenant[1]} if tenant else {})}
    if provider is not None:
        return {"provider": provider}
    if not (auth_url and token_url and scopes):
        return None
    return {
        "provider": "custom",
        "authorization_url": auth_url,
        "token_url": token_url,
        "scopes": scopes,
    }


def host_oauth2(hostname: str) -> dict[str, Any] | None:
    """The oauth2 section of a server of Microsoft's or Google's, for a file
    without ``<oAuth2>`` (the ISPDB's Outlook.com file has none): known by
    its host name, as mail clients know them. Microsoft's tenant ``common``
    takes personal and work accounts."""
    host = hostname.lower().rstrip(".")
    for suffix, section in _OAUTH2_HOSTS.items():
        if host == suffix or host.endswith("." + suffix):
            return dict(section)
    return None


_OAUTH2_HOSTS: dict[str, dict[str, Any]] = {
    "office365.com": {"provider": "microsoft", "tenant": "common"},
    "outlook.com": {"provider": "microsoft", "tenant": "common"},
    "gmail.com": {"provider": "google"},
    "googlemail.com": {"provider": "google"},
}

_MICROSOFT_TENANT = re.compile(r"https://login\.microsoftonline\.com/([A-Za-z0-9.-]{1,100})/")


def _leave_on_server(server: ET.Element) -> bool | None:
    hint = (server.findtext("pop3/leaveMessagesOnServer") or "").strip().lower()
    return {"true": True, "false": False}.get(hint)


_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([^"']{1,40})["']""")


def _declared_encoding(body: bytes) -> str:
    found = _ENCODING.match(body[:200])
    return server_text(found[1].decode("ascii", "replace"), 40) if found else "?"


def _port(text: str, default: int) -> int:
    """The port as written; the model reports one out of range. Missing or
    not a number: the security mode's standard port."""
    return int(text) if text.isdigit() and len(text) <= 6 else default
