"""Syntax rules for single field values.

Each check raises ``PydanticCustomError`` with a stable code (see
``messages.TEMPLATES``), so pydantic collects every bad field at once.
Empty values pass here; whether a field is required depends on other fields
and is decided in ``validation.py``.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Annotated
from urllib.parse import urlsplit

import idna
from email_validator import EmailNotValidError, validate_email
from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

from .core import UNSAFE_CHARS
from .messages import template
from .rules import port_in_range

MAX_TEXT = 256
_NUMBER = re.compile(r"[0-9]{4}")
_CODE = re.compile(r"[A-Za-z0-9_.\-]{1,20}")
_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
_CONTROL = re.compile(f"[{UNSAFE_CHARS}]")
_DIGITS = re.compile(r"[0-9]{1,10}")


def _fail(code: str, **params: object) -> PydanticCustomError:
    return PydanticCustomError(code, template(code), params)


def check_text(value: str) -> str:
    if len(value) > MAX_TEXT:
        raise _fail("too_long", max=MAX_TEXT)
    if _CONTROL.search(value):
        raise _fail("invalid_text")
    return value


def check_number(value: str) -> str:
    if not value:
        raise _fail("required")
    if not (_NUMBER.fullmatch(value) and value != "0000"):
        raise _fail("number_format", value=value[:20])
    return value


def host_problem(value: str) -> str | None:
    """Why *value* is not a host name, IPv4 or IPv6 literal; None when it is."""
    if len(value) > 253:
        return "longer than 253 characters"
    if any(ch.isspace() for ch in value):
        return "contains blanks"
    literal = value[1:-1] if value.startswith("[") and value.endswith("]") else value
    if ":" in literal or literal != value:
        try:
            ipaddress.IPv6Address(literal)
        except ValueError:
            return "broken IPv6 address"
        return None
    if re.fullmatch(r"[0-9.]+", value):
        try:
            ipaddress.IPv4Address(value)
        except ValueError:
            return "broken IPv4 address"
        return None
    return _hostname_problem(value)


def _hostname_problem(value: str) -> str | None:
    name = value[:-1] if value.endswith(".") else value
    if not name:
        return "empty host name"
    try:
        ascii_name = idna.encode(name, uts46=True).decode("ascii")
    except idna.IDNAError as exc:
        return f"invalid characters ({exc})"[:120]
    if len(ascii_name) > 253:
        return "longer than 253 characters"
    for label in ascii_name.split("."):
        if not _LABEL.fullmatch(label):
            return f"invalid label “{label}”"[:120]
    return None


def check_host(value: str) -> str:
    if value and (reason := host_problem(value)):
        raise _fail("host_invalid", reason=reason)
    return value


def check_host_or_url(value: str) -> str:
    if not value:
        return value
    if "://" not in value:
        return check_host(value)
    parts = urlsplit(value)
    if "@" in parts.netloc:  # before anything that could quote the password
        raise _fail("url_invalid", reason="must not contain a user name or password")
    if parts.scheme not in ("http", "https"):
        raise _fail("url_invalid", reason="the scheme must be https or http")
    try:
        host = parts.hostname or ""
        _ = parts.port
    except ValueError as exc:
        raise _fail("url_invalid", reason=str(exc)) from None
    if any(ch.isspace() for ch in value):
        raise _fail("url_invalid", reason="contains blanks")
    reason = host_problem(host) if host else "no host"
    if reason:
        raise _fail("url_invalid", reason=reason)
    return value


def check_https_url(value: str) -> str:
    """An OAuth2 endpoint: https only (codes and tokens travel there)."""
    if not value:
        return value
    parts = urlsplit(value)
    if parts.scheme.lower() != "https":
        raise _fail("https_required")
    if parts.username or parts.password:
        raise _fail("https_url_invalid", reason="must not contain a user name or password")
    try:
        host = parts.hostname or ""
        _ = parts.port
    except ValueError as exc:
        raise _fail("https_url_invalid", reason=str(exc)[:80]) from None
    reason = host_problem(host) if host else "no host"
    if reason:
        raise _fail("https_url_invalid", reason=reason)
    return value


def check_port(value: int) -> int:
    if not port_in_range(value):
        raise _fail("port_range", value=value)
    return value


def check_address(value: str) -> str:
    if not value:
        raise _fail("required")

    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError as exc:
        raise _fail("address_invalid", reason=str(exc)[:160]) from None
    return value


def check_code(value: str) -> str:
    code = value.strip()
    if not _CODE.fullmatch(code):
        raise _fail("code_format", value=code[:40])
    return code


_WINDOWS_DEVICES = re.compile(r"(CON|PRN|AUX|NUL|COM[0-9]|LPT[0-9])(\..*)?", re.IGNORECASE)


def check_new_code(value: str) -> str:
    """A code that is new to the directory also names its inbox folder
    (``<mail root>/operators/<code>``): not ``.`` or ``..``, nothing that ends
    with a dot (Windows drops it), no name Windows reserves for a device.
    Codes of earlier releases keep working under a mapped folder name."""
    if value.strip(".") == "" or value.endswith(".") or _WINDOWS_DEVICES.fullmatch(value):
        raise _fail("code_reserved", value=value[:40])
    return value


def collapse_codes(values: list[str]) -> list[str]:
    """Collapse case-insensitive duplicates of valid codes, first one wins."""
    seen: set[str] = set()
    result: list[str] = []
    for code in values:
        if code.casefold() not in seen:
            seen.add(code.casefold())
            result.append(code)
    return result


def check_client_number(value: str) -> str:
    if value and not _DIGITS.fullmatch(value):
        raise _fail("client_number_format")
    return value


def check_fingerprint(value: str) -> str:
    """A SHA-256 fingerprint: 64 hex digits, with or without ":" between pairs."""
    digits = value.replace(":", "").upper()
    if not re.fullmatch(r"[0-9A-F]{64}", digits):
        raise _fail("fingerprint_format")
    return ":".join(digits[i : i + 2] for i in range(0, 64, 2))


Text = Annotated[str, AfterValidator(check_text)]
Number = Annotated[str, AfterValidator(check_number)]
Address = Annotated[str, AfterValidator(check_text), AfterValidator(check_address)]
Host = Annotated[str, AfterValidator(check_host)]
HostOrUrl = Annotated[str, AfterValidator(check_text), AfterValidator(check_host_or_url)]
HttpsUrl = Annotated[str, AfterValidator(check_text), AfterValidator(check_https_url)]
Fingerprint = Annotated[str, AfterValidator(check_fingerprint)]
Port = Annotated[int, AfterValidator(check_port)]
Code = Annotated[str, AfterValidator(check_code)]
NewCode = Annotated[str, AfterValidator(check_code), AfterValidator(check_new_code)]
Codes = Annotated[list[Code], AfterValidator(collapse_codes)]
ClientNumber = Annotated[str, AfterValidator(check_client_number)]


_TIME = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]")


def check_time(value: str) -> str:
    if not _TIME.fullmatch(value):
        raise _fail("time_format", value=value[:20])
    return value


def sorted_times(values: list[str]) -> list[str]:
    return sorted(set(values))


def check_range(low: int, high: int) -> AfterValidator:
    def check(value: int | None) -> int | None:
        if value is not None and not low <= value <= high:
            raise _fail("number_range", low=low, high=high)
        return value

    return AfterValidator(check)


Time = Annotated[str, AfterValidator(check_time)]
Times = Annotated[list[Time], AfterValidator(sorted_times)]
Days = Annotated[int | None, check_range(1, 3650)]
Minutes = Annotated[int | None, check_range(1, 1440)]
