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
(SMTP), NTLM → SPA (POP3); %EMAILADDRESS%, %EMAILLOCALPART% and
%EMAILDOMAIN% are filled in. Among otherwise equal entries implicit TLS
wins, then the file's order.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any
from xml.parsers import expat

from ..model.core import POP3_DEFAULT_PORTS, SMTP_DEFAULT_PORTS
from ..net.report import NetError, server_text

SECURITY = {"ssl": "ssl", "tls": "ssl", "starttls": "starttls", "plain": "none"}
_PREFERENCE = {"ssl": 0, "starttls": 1, "none": 2}
POP3_METHODS = {"password-cleartext": False, "password-encrypted": False, "ntlm": True}
"""authentication → pop3.spa, for the methods this program can log in with."""
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
    """Logon methods of POP3 entries this program cannot use (OAuth2, ...)."""


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

    incoming = provider.findall("incomingServer")
    pop3_entries = [s for s in incoming if (s.get("type") or "").lower() == "pop3"]
    pop3: list[tuple[int, dict[str, Any]]] = []
    unusable: list[str] = []
    for order, server in enumerate(pop3_entries):
        security = SECURITY.get(text(server, "socketType").lower())
        methods = [m.text.strip().lower() for m in server.findall("authentication") if m.text]
        usable = [m for m in methods if m in POP3_METHODS] or ([] if methods else ["-"])
        if security is None or not usable:
            unusable.extend(m for m in methods if m not in POP3_METHODS)
            continue
        entry = {
            "server": text(server, "hostname"),
            "port": _port(text(server, "port"), POP3_DEFAULT_PORTS[security]),
            "security": security,
            "username": text(server, "username"),
            "spa": POP3_METHODS.get(usable[0], False),
        }
        pop3.append((_PREFERENCE[security] * 1000 + order, entry))
    smtp: list[tuple[int, dict[str, Any]]] = []
    for order, server in enumerate(provider.findall("outgoingServer")):
        if (server.get("type") or "smtp").lower() != "smtp":
            continue
        security = SECURITY.get(text(server, "socketType").lower())
        methods = [m.text.strip().lower() for m in server.findall("authentication") if m.text]
        usable = [m for m in methods if m in SMTP_METHODS] or ([] if methods else ["-"])
        if security is None or not usable:
            continue
        required, method = SMTP_METHODS.get(usable[0], (True, "login"))
        entry = {
            "server": text(server, "hostname"),
            "port": _port(text(server, "port"), SMTP_DEFAULT_PORTS[security]),
            "security": security,
            "auth": {
                "required": required,
                "method": method,
                "username": text(server, "username") if required else "",
            },
        }
        smtp.append((_PREFERENCE[security] * 1000 + order, entry))
    imap_only = not pop3_entries and any((s.get("type") or "").lower() == "imap" for s in incoming)
    return Settings(
        pop3=min(pop3, key=lambda item: item[0])[1] if pop3 else None,
        smtp=min(smtp, key=lambda item: item[0])[1] if smtp else None,
        imap_only=imap_only,
        unusable=tuple(dict.fromkeys(unusable)),
    )


def _port(text: str, default: int) -> int:
    """The port as written; the model reports one out of range. Missing or
    not a number: the security mode's standard port."""
    return int(text) if text.isdigit() and len(text) <= 6 else default
