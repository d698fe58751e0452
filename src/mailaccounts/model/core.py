"""Facts and helpers of the model that need no pydantic, so the start-up
path (account list, CLI parsing) can use them without loading it."""

from __future__ import annotations

from typing import Any, Literal, get_args
from urllib.parse import urlsplit

import idna

from .problems import Problem
from .rules import POP3_DEFAULT_PORTS as POP3_DEFAULT_PORTS
from .rules import SMTP_DEFAULT_PORTS as SMTP_DEFAULT_PORTS

# The choices of the account's fields, declared once: as the model's types
# (model/account.py), and as tuples for the form and the CLI.
Security = Literal["ssl", "starttls", "none"]
AuthMethod = Literal["login", "cram-md5", "oauth2"]
OAuth2Provider = Literal["microsoft", "google", "custom"]
ConflictWinner = Literal["exchange", "crm"]
InitialSync = Literal["exchange_to_crm", "crm_to_exchange", "ask", "none"]

SECURITY_CHOICES: tuple[str, ...] = get_args(Security)
AUTH_METHODS: tuple[str, ...] = get_args(AuthMethod)
OAUTH2_PROVIDERS: tuple[str, ...] = get_args(OAuth2Provider)
CONFLICT_WINNERS: tuple[str, ...] = get_args(ConflictWinner)
INITIAL_SYNC_CHOICES: tuple[str, ...] = get_args(InitialSync)

CLIENT_SECRET = "oauth2_client"
"""The secret name of the OAuth2 client secret (the grant's is "oauth2")."""

SECRET_PATHS: dict[str, str] = {
    "pop3": "pop3.password",
    "smtp": "smtp.auth.password",
    "exchange": "exchange_settings.password",
    CLIENT_SECRET: "oauth2.client_secret",
}
"""Secret name → the field path under which it is typed or imported."""

PASSWORD_CHOICES: dict[str, str] = {
    "pop3": "pop3",
    "smtp": "smtp",
    "exchange": "exchange",
    "oauth2": CLIENT_SECRET,
}
"""The CLI's ``--password NAME`` → the secret's name. ``oauth2`` is the
OAuth2 client secret; the grant (secret "oauth2") comes from a sign-in and
is never typed."""

UNSAFE_BEYOND_C0 = (
    "\x7f-\x9f"  # DEL and the C1 controls (ESC-less terminal sequences)
    "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"  # bidi controls: reorder what follows
    "\u2028\u2029"  # line and paragraph separator
    "\ud800-\udfff"  # lone surrogates: cannot even be written as UTF-8
)
UNSAFE_CHARS = "\x00-\x1f" + UNSAFE_BEYOND_C0
"""Characters no stored text may hold and no terminal is shown raw (the body
of a regular expression character class)."""

MAX_SECRET = 4096
"""Longest password accepted (characters); also bounds a password line read from stdin."""


def secret_problem(value: str, path: str) -> Problem | None:
    """Why *value* cannot be the password at *path*, or None.

    A line break or NUL would end or cut the protocol line the password is
    sent in (POP3 ``PASS``), so every input refuses them: the account dialog,
    the authentication dialog, account and import files, stdin and the
    prompt. The problem never carries the value."""
    if len(value) > MAX_SECRET:
        return Problem("too_long", path, {"max": MAX_SECRET})
    if "\r" in value or "\n" in value or "\0" in value:
        return Problem("secret_control", path)
    return None


HOST_PATHS = (
    "pop3.server",
    "pop3.trusted_certificate.host",
    "smtp.server",
    "smtp.server_name",
    "smtp.trusted_certificate.host",
    "exchange_settings.server",
)
"""Fields holding a host name (or, for Exchange, a host or URL)."""


def ascii_host(value: str) -> str | None:
    """The ASCII (punycode) form of a non-ASCII host name, or of a URL's host;
    None when the host is ASCII already or no valid name. Shown beside the
    name, it gives away a look-alike: ``exаmple.com`` with a Cyrillic "а" is
    ``xn--exmple-4nf.com``."""
    host = value
    if "://" in value:
        try:
            host = urlsplit(value).hostname or ""
        except ValueError:
            return None
    if host.isascii():
        return None

    try:
        return str(idna.encode(host.rstrip("."), uts46=True).decode("ascii"))
    except UnicodeError:  # idna.IDNAError is one
        return None


def parse_times(text: str) -> list[str]:
    """ "08:00; 12:30" (or with commas or blanks between) as a list."""
    return [part for part in text.replace(";", " ").replace(",", " ").split() if part]


def parse_codes(text: str) -> list[str]:
    """Split the ``;``-separated form the CRM uses; empty parts are dropped."""
    return [part.strip() for part in text.split(";") if part.strip()]


def get_path(data: Any, path: str) -> Any:
    """The value at a dotted path of nested dicts, or None."""
    for part in path.split("."):
        data = data.get(part) if isinstance(data, dict) else None
    return data


def set_path(data: dict[str, Any], path: str, value: Any) -> None:
    """Set a dotted path in nested dicts, copying the dicts on the way."""
    *parents, leaf = path.split(".")
    node = data
    for part in parents:
        child = node.get(part)
        child = dict(child) if isinstance(child, dict) else {}
        node[part] = child
        node = child
    node[leaf] = value


# What Microsoft and Google need; a custom provider gives its own. The
# tenant goes into Microsoft's URLs ("organizations": any work account).
OAUTH2_DEFAULTS: dict[str, dict[str, Any]] = {
    "microsoft": {
        "authorization_url": "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/authorize",
        "token_url": "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token",
        "device_authorization_url": (
            "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/devicecode"
        ),
        "scopes": [
            "https://outlook.office.com/POP.AccessAsUser.All",
            "https://outlook.office.com/SMTP.Send",
            "offline_access",
        ],
    },
    "google": {
        "authorization_url": "https://accounts.google.com/o/oauth2/v2/auth",
        "token_url": "https://oauth2.googleapis.com/token",
        "device_authorization_url": "https://oauth2.googleapis.com/device/code",
        "scopes": ["https://mail.google.com/"],
    },
}


def oauth2_endpoints(settings: dict[str, Any]) -> dict[str, Any]:
    """The URLs and scopes an ``oauth2`` section means: as given, else the
    provider's (with the tenant filled in)."""
    defaults = OAUTH2_DEFAULTS.get(str(settings.get("provider")), {})
    tenant = str(settings.get("tenant") or "organizations")
    found: dict[str, Any] = {}
    for key in ("authorization_url", "token_url", "device_authorization_url"):
        value = settings.get(key) or str(defaults.get(key, "")).replace("{tenant}", tenant)
        found[key] = value
    found["scopes"] = list(settings.get("scopes") or defaults.get("scopes", []))
    return found
