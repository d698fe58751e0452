"""The account form, described once: every input's field path, kind, label,
where it sits and when it is enabled. The window builds and binds its
widgets from it, the CLI derives its flags from it (``pop3.server`` →
``--pop3-server``), and problems are shown at the field their path names.
Defaults come from the model (``model/account.py``), never from here.

Adding a field to the account: the model, one ``Field`` here, and the German
translation of its label (``scripts/update-translations``). See
docs/architecture.md, "Adding a field".

Labels are English source texts marked for Qt Linguist (context "form").
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from .core import (
    AUTH_METHODS,
    CONFLICT_WINNERS,
    INITIAL_SYNC_CHOICES,
    OAUTH2_PROVIDERS,
    get_path,
    parse_codes,
    parse_times,
)
from .translatable import QT_TRANSLATE_NOOP

Kind = Literal[
    "text", "password", "port", "bool", "security", "codes", "choice", "count", "times", "words"
]
"""count: a whole number or none (shown as "–"); times: "HH:MM" separated by
";"; words: a list of words separated by blanks (OAuth2 scopes)."""

_LISTS: dict[str, tuple[Callable[[str], list[str]], str]] = {
    "codes": (parse_codes, "; "),
    "times": (parse_times, "; "),
    "words": (str.split, " "),
}
"""The kinds whose value is a list typed as one text: how the text is split,
and what joins the list when it is shown."""


def parse_text(kind: Kind, raw: str) -> Any:
    """The value the text *raw* of a field of *kind* stands for: a list for
    codes, times and words, else the text itself. Window and CLI alike."""
    entry = _LISTS.get(kind)
    return raw if entry is None else entry[0](raw)


def format_text(kind: Kind, value: Any) -> str:
    """*value* of a field of *kind* as the text typed for it (``parse_text``
    reads it back)."""
    entry = _LISTS.get(kind)
    if entry is None:
        return "" if value is None else str(value)
    return entry[1].join(value or [])


def plain(label: str) -> str:
    """A label without its mnemonic and colon: for accessible names, messages
    and the CLI's help ("&&" stands for one "&")."""
    return label.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip(":").strip()


@dataclass(frozen=True)
class When:
    """A condition on the form's current values: the field at *path* has
    *value* (or, with ``not_``, any other value)."""

    path: str
    value: object
    not_: bool = False

    def holds(self, data: Mapping[str, Any]) -> bool:
        return bool(get_path(data, self.path) == self.value) != self.not_


@dataclass(frozen=True)
class Field:
    path: str
    kind: Kind
    label: str
    choices: tuple[tuple[str, str], ...] = ()
    """(value, label) for kind "choice"."""
    max_length: int = 256
    enabled_when: tuple[When, ...] = ()
    aliases: tuple[str, ...] = ()
    """Earlier names of the CLI flag, still accepted."""

    @property
    def flag(self) -> str:
        return "--" + self.path.replace(".", "-").replace("_", "-")

    def enabled(self, data: Mapping[str, Any]) -> bool:
        return all(condition.holds(data) for condition in self.enabled_when)


@dataclass(frozen=True)
class Area:
    """A group box of fields."""

    id: str
    title: str
    fields: tuple[Field, ...]
    enabled_when: tuple[When, ...] = ()

    def enabled(self, data: Mapping[str, Any]) -> bool:
        return all(condition.holds(data) for condition in self.enabled_when)


@dataclass(frozen=True)
class Card:
    """A tab of the account dialog: columns of areas."""

    id: str
    title: str
    columns: tuple[tuple[Area, ...], ...]
    shown_when: tuple[When, ...] = ()

    @property
    def areas(self) -> Iterator[Area]:
        for column in self.columns:
            yield from column


F = Field
POP3_ACCOUNT = When("exchange", False)

IDENTITY = Area(
    "identity",
    QT_TRANSLATE_NOOP("form", "E-mail number and address"),
    (
        F("number", "text", QT_TRANSLATE_NOOP("form", "E-mail &number:"), max_length=4),
        F("address", "text", QT_TRANSLATE_NOOP("form", "E-mail &address:")),
        F("exchange", "bool", QT_TRANSLATE_NOOP("form", "E&xchange account")),
    ),
)
POP3 = Area(
    "pop3",
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
        F(
            "pop3.oauth2",
            "bool",
            QT_TRANSLATE_NOOP("form", "Log on with OAut&h2 (Microsoft 365, Google, …)"),
        ),
    ),
    enabled_when=(POP3_ACCOUNT,),
)
SMTP_OWN = When("smtp.separate", True)
SMTP = Area(
    "smtp",
    QT_TRANSLATE_NOOP("form", "Outgoing mail server (SMTP) – access data"),
    (
        F("smtp.separate", "bool", QT_TRANSLATE_NOOP("form", "Separate SMTP access &data")),
        F(
            "smtp.server",
            "text",
            QT_TRANSLATE_NOOP("form", "SMTP s&erver:"),
            enabled_when=(SMTP_OWN,),
        ),
        F(
            "smtp.server_name",
            "text",
            QT_TRANSLATE_NOOP("form", "Server na&me:"),
            enabled_when=(SMTP_OWN,),
        ),
        F("smtp.port", "port", QT_TRANSLATE_NOOP("form", "Po&rt:"), enabled_when=(SMTP_OWN,)),
        F(
            "smtp.security",
            "security",
            QT_TRANSLATE_NOOP("form", "SSL/TLS requ&ired"),
            enabled_when=(SMTP_OWN,),
        ),
    ),
    enabled_when=(POP3_ACCOUNT,),
)
SMTP_AUTH = Area(
    "smtp_auth",
    QT_TRANSLATE_NOOP("form", "SMTP authentication"),
    (
        F(
            "smtp.auth.required",
            "bool",
            QT_TRANSLATE_NOOP("form", "Outgoing server requires authenti&cation"),
            aliases=("--smtp-auth",),
        ),
    ),
    enabled_when=(POP3_ACCOUNT,),
)
AUTH_SETTINGS_ENABLED = (When("smtp.auth.required", True),)
"""When the button that opens the authentication dialog is enabled."""
ASSIGNMENT = Area(
    "assignment",
    QT_TRANSLATE_NOOP("form", "Operator and workgroup assignment"),
    (
        F("operators", "codes", QT_TRANSLATE_NOOP("form", "Opera&tors:"), max_length=1000),
        F("workgroups", "codes", QT_TRANSLATE_NOOP("form", "&Workgroups:"), max_length=1000),
    ),
)
CREDENTIALS = Card(
    "credentials",
    QT_TRANSLATE_NOOP("form", "Access data"),
    ((IDENTITY, POP3), (SMTP, SMTP_AUTH, ASSIGNMENT)),
)

_METHOD_LABELS = {
    "login": QT_TRANSLATE_NOOP("form", "Auth Login – simple authentication"),
    "cram-md5": QT_TRANSLATE_NOOP("form", "CRAM-MD5 – encrypted authentication"),
    "oauth2": QT_TRANSLATE_NOOP("form", "OAuth2 – sign-in at the provider"),
}
OWN_SMTP_LOGIN = When("smtp.auth.same_as_incoming", False)
AUTH_DIALOG = Area(
    "auth",
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
            aliases=("--smtp-same-as-incoming",),
        ),
        F(
            "smtp.auth.username",
            "text",
            QT_TRANSLATE_NOOP("form", "&User name:"),
            enabled_when=(OWN_SMTP_LOGIN,),
        ),
        F(
            "smtp.auth.password",
            "password",
            QT_TRANSLATE_NOOP("form", "&Password:"),
            enabled_when=(OWN_SMTP_LOGIN,),
        ),
    ),
)

EXCHANGE_ACCESS = Area(
    "exchange_access",
    QT_TRANSLATE_NOOP("form", "Exchange server"),
    (
        F(
            "exchange_settings.server",
            "text",
            QT_TRANSLATE_NOOP("form", "&Server or EWS URL:"),
            aliases=("--exchange-server",),
        ),
        F(
            "exchange_settings.domain",
            "text",
            QT_TRANSLATE_NOOP("form", "&Domain:"),
            aliases=("--exchange-domain",),
        ),
        F(
            "exchange_settings.username",
            "text",
            QT_TRANSLATE_NOOP("form", "&User name:"),
            aliases=("--exchange-username",),
        ),
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
    "exchange_sync_areas",
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
    "exchange_sync",
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
EXCHANGE_ONLY = (When("exchange", True),)
EXCHANGE_CARDS = (
    Card(
        "exchange_access",
        QT_TRANSLATE_NOOP("form", "Exchange – access data"),
        ((EXCHANGE_ACCESS,),),
        EXCHANGE_ONLY,
    ),
    Card(
        "exchange_sync",
        QT_TRANSLATE_NOOP("form", "Exchange – synchronisation"),
        ((EXCHANGE_SYNC_AREAS, EXCHANGE_SYNC),),
        EXCHANGE_ONLY,
    ),
)

LEAVES_MAIL = When("fetch.leave_on_server", True)
FETCHING = Area(
    "fetching",
    QT_TRANSLATE_NOOP("form", "Fetching mail into the inboxes"),
    (
        F("fetch.enabled", "bool", QT_TRANSLATE_NOOP("form", "&Fetch mail for this account")),
        F(
            "fetch.leave_on_server",
            "bool",
            QT_TRANSLATE_NOOP("form", "&Leave a copy of each message on the server"),
        ),
        F(
            "fetch.delete_after_days",
            "count",
            QT_TRANSLATE_NOOP("form", "&Remove from the server after days:"),
            enabled_when=(LEAVES_MAIL,),
        ),
    ),
)
SCHEDULE = Area(
    "schedule",
    QT_TRANSLATE_NOOP("form", "Schedule"),
    (
        F(
            "fetch.interval_minutes",
            "count",
            QT_TRANSLATE_NOOP("form", "Fetch &every (minutes):"),
        ),
        F("fetch.times", "times", QT_TRANSLATE_NOOP("form", "and at these &times (HH:MM):")),
    ),
)
FETCH_CARD = Card(
    "fetch",
    QT_TRANSLATE_NOOP("form", "Fetching"),
    ((FETCHING, SCHEDULE),),
    (POP3_ACCOUNT,),
)

_PROVIDER_LABELS = {
    "microsoft": QT_TRANSLATE_NOOP("form", "Microsoft 365 / Exchange Online"),
    "google": QT_TRANSLATE_NOOP("form", "Google"),
    "custom": QT_TRANSLATE_NOOP("form", "Another provider"),
}
CUSTOM_PROVIDER = (When("oauth2.provider", "custom"),)
OAUTH2 = Area(
    "oauth2",
    QT_TRANSLATE_NOOP("form", "Sign-in with OAuth2"),
    (
        F(
            "oauth2.provider",
            "choice",
            QT_TRANSLATE_NOOP("form", "&Provider:"),
            tuple((p, _PROVIDER_LABELS[p]) for p in OAUTH2_PROVIDERS),
        ),
        F(
            "oauth2.tenant",
            "text",
            QT_TRANSLATE_NOOP("form", "&Tenant (directory):"),
            enabled_when=(When("oauth2.provider", "microsoft"),),
        ),
        F("oauth2.client_id", "text", QT_TRANSLATE_NOOP("form", "&Client ID:")),
        F(
            "oauth2.client_secret",
            "password",
            QT_TRANSLATE_NOOP("form", "Client s&ecret (if the provider issued one):"),
        ),
        F(
            "oauth2.authorization_url",
            "text",
            QT_TRANSLATE_NOOP("form", "&Authorization URL:"),
            enabled_when=CUSTOM_PROVIDER,
        ),
        F(
            "oauth2.token_url",
            "text",
            QT_TRANSLATE_NOOP("form", "T&oken URL:"),
            enabled_when=CUSTOM_PROVIDER,
        ),
        F(
            "oauth2.device_authorization_url",
            "text",
            QT_TRANSLATE_NOOP("form", "&Device code URL:"),
            enabled_when=CUSTOM_PROVIDER,
        ),
        F(
            "oauth2.scopes",
            "words",
            QT_TRANSLATE_NOOP("form", "&Scopes:"),
            max_length=1000,
            enabled_when=CUSTOM_PROVIDER,
        ),
    ),
)
OAUTH2_CARD = Card(
    "oauth2",
    QT_TRANSLATE_NOOP("form", "OAuth2"),
    ((OAUTH2,),),
    (POP3_ACCOUNT,),
)

SECURITY_MODES = (
    ("ssl", QT_TRANSLATE_NOOP("form", "implicit SSL/TLS")),
    ("starttls", QT_TRANSLATE_NOOP("form", "STARTTLS")),
)
"""The companion choice of a "security" field while its checkbox is on."""


def cards() -> tuple[Card, ...]:
    """Every card of the account dialog, in tab order."""
    return (CREDENTIALS, FETCH_CARD, OAUTH2_CARD, *EXCHANGE_CARDS)


def optional_cards() -> tuple[Card, ...]:
    """The cards shown only under a condition, built when first shown."""
    return tuple(card for card in cards() if card.shown_when)


def fields() -> Iterator[Field]:
    """Every field of the account, the authentication dialog's included."""
    for card in cards():
        for area in card.areas:
            yield from area.fields
    yield from AUTH_DIALOG.fields
