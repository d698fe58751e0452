"""The account form, described once: every input's field path, widget kind,
label and area. Building, binding and showing problems are driven by it.

Labels are English source strings marked for translation (context "form");
the German text comes from ``resources/i18n/mailaccounts_de.ts``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model.core import AUTH_METHODS, CONFLICT_WINNERS, INITIAL_SYNC_CHOICES


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    return text


@dataclass(frozen=True)
class FieldSpec:
    path: str
    kind: str
    """text, password, port, bool, security, codes or choice"""
    label: str
    choices: tuple[tuple[str, str], ...] = ()
    """(value, label) for kind "choice"."""
    max_length: int = 256


@dataclass(frozen=True)
class Area:
    title: str
    fields: tuple[FieldSpec, ...]


F = FieldSpec
T = QT_TRANSLATE_NOOP

IDENTITY = Area(
    T("form", "E-mail number and address"),
    (
        F("number", "text", T("form", "E-mail &number:"), max_length=4),
        F("address", "text", T("form", "E-mail &address:")),
        F("exchange", "bool", T("form", "E&xchange account")),
    ),
)
POP3 = Area(
    T("form", "Incoming mail server (POP3) – access data"),
    (
        F("pop3.server", "text", T("form", "POP3 &server:")),
        F("pop3.port", "port", T("form", "P&ort:")),
        F("pop3.username", "text", T("form", "&User name:")),
        F("pop3.password", "password", T("form", "&Password:")),
        F("pop3.spa", "bool", T("form", "Log on using secure password authentication (SP&A)")),
        F("pop3.security", "security", T("form", "SSL/TLS re&quired")),
    ),
)
SMTP = Area(
    T("form", "Outgoing mail server (SMTP) – access data"),
    (
        F("smtp.separate", "bool", T("form", "Separate SMTP access &data")),
        F("smtp.server", "text", T("form", "SMTP s&erver:")),
        F("smtp.server_name", "text", T("form", "Server na&me:")),
        F("smtp.port", "port", T("form", "Po&rt:")),
        F("smtp.security", "security", T("form", "SSL/TLS requ&ired")),
    ),
)
SMTP_AUTH = Area(
    T("form", "SMTP authentication"),
    (F("smtp.auth.required", "bool", T("form", "Outgoing server requires au&thentication")),),
)
ASSIGNMENT = Area(
    T("form", "Operator and workgroup assignment"),
    (
        F("operators", "codes", T("form", "Op&erators:"), max_length=1000),
        F("workgroups", "codes", T("form", "&Workgroups:"), max_length=1000),
    ),
)
CREDENTIALS_CARD = (IDENTITY, POP3, SMTP, SMTP_AUTH, ASSIGNMENT)

EXCHANGE_ACCESS = Area(
    T("form", "Exchange server"),
    (
        F("exchange_settings.server", "text", T("form", "&Server or EWS URL:")),
        F("exchange_settings.domain", "text", T("form", "&Domain:")),
        F("exchange_settings.username", "text", T("form", "&User name:")),
        F("exchange_settings.password", "password", T("form", "&Password:")),
    ),
)
_SYNC_LABELS = {
    "exchange": T("form", "Exchange"),
    "crm": T("form", "CRM"),
    "exchange_to_crm": T("form", "From Exchange to the CRM"),
    "crm_to_exchange": T("form", "From the CRM to Exchange"),
    "ask": T("form", "Ask the operator"),
    "none": T("form", "No initial synchronisation"),
}
EXCHANGE_SYNC = Area(
    T("form", "Synchronisation"),
    (
        F("exchange_settings.sync.mails", "bool", T("form", "&Mails")),
        F("exchange_settings.sync.contacts", "bool", T("form", "&Contacts")),
        F("exchange_settings.sync.appointments", "bool", T("form", "&Appointments")),
        F("exchange_settings.sync.categories", "bool", T("form", "Ca&tegories")),
        F(
            "exchange_settings.sync.conflict_winner",
            "choice",
            T("form", "In a conflict, &keep:"),
            tuple((v, _SYNC_LABELS[v]) for v in CONFLICT_WINNERS),
        ),
        F(
            "exchange_settings.sync.client_number",
            "text",
            T("form", "Synchronisation c&lient number:"),
            max_length=10,
        ),
        F(
            "exchange_settings.sync.initial_sync",
            "choice",
            T("form", "&First synchronisation after the password prompt:"),
            tuple((v, _SYNC_LABELS[v]) for v in INITIAL_SYNC_CHOICES),
        ),
    ),
)

_METHOD_LABELS = {
    "login": T("form", "Auth Login – simple authentication"),
    "cram-md5": T("form", "CRAM-MD5 – encrypted authentication"),
}
AUTH_DIALOG = Area(
    T("form", "Logon method and account information"),
    (
        F(
            "smtp.auth.method",
            "choice",
            T("form", "Logon &method:"),
            tuple((m, _METHOD_LABELS[m]) for m in AUTH_METHODS),
        ),
        F(
            "smtp.auth.same_as_incoming",
            "bool",
            T("form", "U&se same settings as my incoming mail server"),
        ),
        F("smtp.auth.username", "text", T("form", "&User name:")),
        F("smtp.auth.password", "password", T("form", "&Password:")),
    ),
)

SECURITY_MODES = (
    ("ssl", T("form", "implicit SSL/TLS")),
    ("starttls", T("form", "STARTTLS")),
)
