"""English message templates for problem codes.

The GUI passes each template through Qt's translator (context "problems"); the
``QT_TRANSLATE_NOOP`` marker lets ``pyside6-lupdate`` find them without this
module importing Qt.
"""

from __future__ import annotations

from .problems import Problem


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    return text


CONTEXT = "problems"

TEMPLATES: dict[str, str] = {
    "required": QT_TRANSLATE_NOOP("problems", "is required"),
    "wrong_type": QT_TRANSLATE_NOOP("problems", "must be {expected}"),
    "invalid_choice": QT_TRANSLATE_NOOP("problems", "must be one of {choices}"),
    "unknown_field": QT_TRANSLATE_NOOP("problems", "is not a known field"),
    "number_format": QT_TRANSLATE_NOOP("problems", "must be exactly 4 digits, 0001 to 9999"),
    "number_taken": QT_TRANSLATE_NOOP("problems", "account {value} exists already"),
    "number_readonly": QT_TRANSLATE_NOOP(
        "problems", "cannot be changed once the account is saved (duplicate it instead)"
    ),
    "address_invalid": QT_TRANSLATE_NOOP("problems", "is not a valid e-mail address: {reason}"),
    "host_invalid": QT_TRANSLATE_NOOP(
        "problems", "is not a valid host name, IPv4 or IPv6 address: {reason}"
    ),
    "url_invalid": QT_TRANSLATE_NOOP("problems", "is not a valid host name or EWS URL: {reason}"),
    "port_range": QT_TRANSLATE_NOOP("problems", "must be a port number from 1 to 65535"),
    "code_format": QT_TRANSLATE_NOOP(
        "problems",
        "“{value}” is not a valid code (1–20 letters, digits, “_”, “-” or “.”)",
    ),
    "operator_required": QT_TRANSLATE_NOOP(
        "problems", "at least one operator is needed, or no mail can be fetched"
    ),
    "operator_unknown": QT_TRANSLATE_NOOP("problems", "operator “{value}” is not in the directory"),
    "workgroup_unknown": QT_TRANSLATE_NOOP(
        "problems", "workgroup “{value}” is not in the directory"
    ),
    "several_operators": QT_TRANSLATE_NOOP(
        "problems",
        "{count} operators: each inbox receives its own physical copy of every mail",
    ),
    "several_workgroups": QT_TRANSLATE_NOOP(
        "problems",
        "{count} workgroups: each inbox receives its own physical copy of every mail",
    ),
    "cleartext_password": QT_TRANSLATE_NOOP(
        "problems", "the password travels unencrypted: choose SSL/TLS or STARTTLS"
    ),
    "too_long": QT_TRANSLATE_NOOP("problems", "is longer than {max} characters"),
    "client_number_format": QT_TRANSLATE_NOOP("problems", "must be 1 to 10 digits"),
    "invalid_text": QT_TRANSLATE_NOOP("problems", "contains control characters"),
    "fingerprint_format": QT_TRANSLATE_NOOP(
        "problems", "must be a SHA-256 fingerprint (64 hexadecimal digits)"
    ),
}


def template(code: str) -> str:
    return TEMPLATES.get(code, code)


def format_problem(problem: Problem, text: str | None = None) -> str:
    """Render a problem as ``path: message``; *text* is a translated template."""
    raw = text if text is not None else template(problem.code)
    try:
        message = raw.format(**problem.params)
    except (KeyError, IndexError, ValueError):
        message = raw
    return f"{problem.path}: {message}" if problem.path else message
