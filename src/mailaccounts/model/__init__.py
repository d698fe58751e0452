"""The pure account model: no Qt, no I/O."""

from .account import (
    AUTH_METHODS,
    POP3_DEFAULT_PORTS,
    SECRET_PATHS,
    SECURITY_CHOICES,
    SMTP_DEFAULT_PORTS,
    Account,
    ExchangeSettings,
    ExchangeSync,
    Pop3Settings,
    SmtpAuth,
    SmtpSettings,
)
from .fields import parse_codes
from .problems import AccountInvalid, Problem, Severity
from .validation import validate_account

__all__ = [
    "AUTH_METHODS",
    "POP3_DEFAULT_PORTS",
    "SECRET_PATHS",
    "SECURITY_CHOICES",
    "SMTP_DEFAULT_PORTS",
    "Account",
    "AccountInvalid",
    "ExchangeSettings",
    "ExchangeSync",
    "Pop3Settings",
    "Problem",
    "Severity",
    "SmtpAuth",
    "SmtpSettings",
    "parse_codes",
    "validate_account",
]
