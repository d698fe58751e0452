"""The account form, described once: every input's field path, widget kind,
label and area. Building, binding and showing problems are driven by it.

Labels are English source strings marked for translation (context "form");
the German text comes from ``src/mailaccounts/i18n/mailaccounts_de.ts``.
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

IDENTITY = Area(
    QT_TRANSLATE_NOOP("form", "E-mail number and address"),
    (
        F("number", "text", QT_TRANSLATE_NOOP("form", "E-mail &number:"), max_length=4),
        F("address", "text", QT_TRANSLATE_NOOP("form", "E-mail &address:")),
        F("exchange", "bool", QT_TRANSLATE_NOOP("form", "E&xchange account")),
    ),
)
POP3 = Area(
    QT_TRANSLATE_NOOP("form", "Incoming mail server (POP3) – access data"),
    (
        F("pop3.server", "text", QT_TRANSLATE_NOOP("form", "POP3 &server:")),
        F("pop3.port", "port", QT_TRANSLATE_NOOP("form", "P&ort:")),
        F("pop3.username", "text", QT_TRANSLATE_NOOP("form", "&User name:")),
        F("pop3.password", "password", QT_TRANSLATE_NOOP("form", "&Password:")),
        F(
            "pop3.spa",
            "bool",
            QT_TRANSLATE_NOOP("form", "&Log on using secure password authentication (SPA)"),
        ),
        F("pop3.security", "security", QT_TRANSLATE_NOOP("form", "SSL/TLS re&quired")),
    ),
)
SMTP = Area(
    QT_TRANSLATE_NOOP("form", "Outgoing mail server (SMTP) – access data"),
    (
        F("smtp.separate", "bool", QT_TRANSLATE_NOOP("form", "Separate SMTP access &data")),
        F("smtp.server", "text", QT_TRANSLATE_NOOP("form", "SMTP s&erver:")),
        F("smtp.server_name", "text", QT_TRANSLATE_NOOP("form", "Server na&me:")),
        F("smtp.port", "port", QT_TRANSLATE_NOOP("form", "Po&rt:")),
        F("smtp.security", "security", QT_TRANSLATE_NOOP("form", "SSL/TLS requ&ired")),
    ),
)
SMTP_AUTH = Area(
    QT_TRANSLATE_NOOP("form", "SMTP authentication"),
    (
        F(
            "smtp.auth.required",
            "bool",
            QT_TRANSLATE_NOOP("form", "Outgoing server requires authenti&cation"),
        ),
    ),
)
ASSIGNMENT = Area(
    QT_TRANSLATE_NOOP("form", "Operator and workgroup assignment"),
    (
        F("operators", "codes", QT_TRANSLATE_NOOP("form", "Opera&tors:"), max_length=1000),
        F("workgroups", "codes", QT_TRANSLATE_NOOP("form", "&Workgroups:"), max_length=1000),
    ),
)
CREDENTIALS_CARD = (IDENTITY, POP3, SMTP, SMTP_AUTH, ASSIGNMENT)

EXCHANGE_ACCESS = Area(
    QT_TRANSLATE_NOOP("form", "Exchange server"),
    (
        F("exchange_settings.server", "text", QT_TRANSLATE_NOOP("form", "&Server or EWS URL:")),
        F("exchange_settings.domain", "text", QT_TRANSLATE_NOOP("form", "&Domain:")),
        F("exchange_settings.username", "text", QT_TRANSLATE_NOOP("form", "&User name:")),
        F("exchange_settings.password", "password", QT_TRANSLATE_NOOP("form", "&Password:")),
    ),
)
_SYNC_LABELS = {
    "exchange": QT_TRANSLATE_NOOP("form", "Exchange"),
    "crm": QT_TRANSLATE_NOOP("form", "CRM"),
    "exchange_to_crm": QT_TRANSLATE_NOOP("form", "From Exchange to the CRM"),
    "crm_to_exchange": QT_TRANSLATE_NOOP("form", "From the CRM to Exchange"),
    "ask": QT_TRANSLATE_NOOP("form", "Ask the operator"),
    "none": QT_TRANSLATE_NOOP("form", "No initial synchronisation"),
}
EXCHANGE_SYNC_AREAS = Area(
    QT_TRANSLATE_NOOP("form", "Areas to synchronise"),
    (
        F("exchange_settings.sync.mails", "bool", QT_TRANSLATE_NOOP("form", "&Mails")),
        F("exchange_settings.sync.contacts", "bool", QT_TRANSLATE_NOOP("form", "&Contacts")),
        F(
            "exchange_settings.sync.appointments",
            "bool",
            QT_TRANSLATE_NOOP("form", "&Appointments"),
        ),
        F("exchange_settings.sync.categories", "bool", QT_TRANSLATE_NOOP("form", "Ca&tegories")),
    ),
)
EXCHANGE_SYNC = Area(
    QT_TRANSLATE_NOOP("form", "Synchronisation"),
    (
        F(
            "exchange_settings.sync.conflict_winner",
            "choice",
            QT_TRANSLATE_NOOP("form", "In a conflict, &keep:"),
            tuple((v, _SYNC_LABELS[v]) for v in CONFLICT_WINNERS),
        ),
        F(
            "exchange_settings.sync.client_number",
            "text",
            QT_TRANSLATE_NOOP("form", "Synchronisation c&lient number:"),
            max_length=10,
        ),
        F(
            "exchange_settings.sync.initial_sync",
            "choice",
            QT_TRANSLATE_NOOP("form", "&First synchronisation after the password prompt:"),
            tuple((v, _SYNC_LABELS[v]) for v in INITIAL_SYNC_CHOICES),
        ),
    ),
)

_METHOD_LABELS = {
    "login": QT_TRANSLATE_NOOP("form", "Auth Login – simple authentication"),
    "cram-md5": QT_TRANSLATE_NOOP("form", "CRAM-MD5 – encrypted authentication"),
}
AUTH_DIALOG = Area(
    QT_TRANSLATE_NOOP("form", "Logon method and account information"),
    (
        F(
            "smtp.auth.method",
            "choice",
            QT_TRANSLATE_NOOP("form", "Logon &method:"),
            tuple((m, _METHOD_LABELS[m]) for m in AUTH_METHODS),
        ),
        F(
            "smtp.auth.same_as_incoming",
            "bool",
            QT_TRANSLATE_NOOP("form", "U&se same settings as my incoming mail server"),
        ),
        F("smtp.auth.username", "text", QT_TRANSLATE_NOOP("form", "&User name:")),
        F("smtp.auth.password", "password", QT_TRANSLATE_NOOP("form", "&Password:")),
    ),
)

SECURITY_MODES = (
    ("ssl", QT_TRANSLATE_NOOP("form", "implicit SSL/TLS")),
    ("starttls", QT_TRANSLATE_NOOP("form", "STARTTLS")),
)
