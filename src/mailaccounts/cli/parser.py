"""The command line's grammar: the commands and their options (the account's
flags derived from the form, ``pop3.server`` → ``--pop3-server``), how a
flag's text becomes a field's value, and the limits of what is read."""

from __future__ import annotations

import argparse
import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..model import form
from ..model.core import PASSWORD_CHOICES, SECURITY_CHOICES, get_path, set_path
from ..model.form import Field
from ..model.rules import PORT_MAX, follow_port, smtp_server_of


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    """Reports usage errors to the caller's stderr instead of exiting."""

    def error(self, message: str) -> Any:
        raise UsageError(f"{self.prog}: {message} (see --help)")


def flag_fields() -> list[Field]:
    """The account's fields as command-line flags: every field of the form
    description but the passwords (never on the command line)."""
    return [field for field in form.fields() if field.kind != "password"]


def _flag_help(field: Field) -> str:
    """The field's label and path, and what it takes where that is not plain."""
    help_text = f"{form.plain(field.label)} ({field.path})"
    if field.kind == "security":
        *others, last = SECURITY_CHOICES
        return f"{help_text}: {', '.join(others)} or {last}"
    if field.choices:
        return f"{help_text}: " + ", ".join(value for value, _ in field.choices)
    if field.kind == "codes":
        return f"{help_text}: codes separated by ';'"
    if field.kind == "count":
        return f"{help_text}: a whole number, or 'none'"
    if field.kind == "times":
        return f"{help_text}: HH:MM separated by ';'"
    return help_text


TIMEOUT_MIN, TIMEOUT_MAX = 0.1, 600.0
"""Seconds per test step: 0 would make the sockets non-blocking, and a step
that needs more than ten minutes is not worth waiting for."""


MAX_INPUT_BYTES = 64 * 1024 * 1024
"""The most the CLI reads from an import file, --file or stdin. An export
takes 0.7–1.8 KiB per account, so even all 9,999 possible accounts are at
most about 17 MiB; the limit leaves room for that and stops /dev/zero or an
endless pipe long before memory runs out."""
_CHUNK = 1024 * 1024


def read_limited(read: Callable[[int], bytes], source: str, limit: int = MAX_INPUT_BYTES) -> bytes:
    """Everything *read* gives, in bounded chunks, up to *limit* bytes."""
    chunks: list[bytes] = []
    total = 0
    while chunk := read(min(_CHUNK, limit + 1 - total)):
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            raise UsageError(f"{source}: larger than {_size(limit)}, the most an input may be")
    return b"".join(chunks)


def _size(count: int) -> str:
    for unit, factor in (("MiB", 1 << 20), ("KiB", 1 << 10)):
        if count >= factor and count % factor == 0:
            return f"{count // factor} {unit}"
    return f"{count} bytes"


def _timeout(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not TIMEOUT_MIN <= value <= TIMEOUT_MAX:  # also refuses nan
        raise argparse.ArgumentTypeError(
            f"must be a number of seconds from {TIMEOUT_MIN:g} to {TIMEOUT_MAX:g}, not {text!r}"
        )
    return value


def _port(raw: str) -> int | str:
    """A port flag's value: an integer when it is one (the model checks the
    range and names the field), else the text (the model says it must be a
    whole number)."""
    text = raw.strip()
    if not re.fullmatch(r"[+-]?[0-9]+", text):
        return raw
    # int() refuses more than 4,300 digits; such a number is out of range anyway
    return int(text) if len(text) <= 10 else (-1 if text.startswith("-") else PORT_MAX + 1)


def _dest(field: Field) -> str:
    return "field_" + field.path.replace(".", "__")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="mailaccounts",
        description="Set up the CRM's mail accounts. Without a command, opens the window.",
    )
    parser.add_argument(
        "--store",
        type=Path,
        help="store file (default: $MAILACCOUNTS_STORE or the user data directory)",
    )
    parser.add_argument("--language", choices=("de", "en"), help="language of the window")
    parser.add_argument(
        "--mail-root",
        type=Path,
        help="folder of the inboxes (default: $MAILACCOUNTS_MAIL_ROOT or the user data directory)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("list", help="list the accounts")
    p.add_argument("--json", action="store_true", help="a JSON list of account objects")

    p = sub.add_parser("show", help="show one account")
    p.add_argument("number")
    p.add_argument("--json", action="store_true", help="the account as a JSON object")

    for name in ("add", "edit"):
        p = sub.add_parser(name, help=f"{name} an account from JSON and/or flags")
        if name == "edit":
            p.add_argument("number")
        p.add_argument("--file", help="JSON account ('-' for stdin); may hold passwords")
        if name == "add":
            p.add_argument(
                "--autoconfig",
                action="store_true",
                help="fill every setting not given from the address's automatic configuration "
                "(see 'autoconfig'); a guess is shown and asked about first",
            )
        for field in flag_fields():
            if field.kind == "bool":
                p.add_argument(
                    field.flag,
                    *field.aliases,
                    dest=_dest(field),
                    help=_flag_help(field),
                    action=argparse.BooleanOptionalAction,
                    default=None,
                )
            else:
                p.add_argument(
                    field.flag,
                    *field.aliases,
                    dest=_dest(field),
                    help=_flag_help(field),
                    metavar=field.path.rsplit(".", 1)[-1].upper(),
                )
        p.add_argument(
            "--password",
            action="append",
            default=[],
            choices=PASSWORD_CHOICES,
            help="ask for this password (prompt, or one line of stdin); "
            "oauth2: the OAuth2 client secret",
        )
        if name == "edit":
            p.add_argument(
                "--clear-password",
                action="append",
                default=[],
                choices=PASSWORD_CHOICES,
                help="remove this stored password",
            )
        for server in ("pop3", "smtp"):
            p.add_argument(
                f"--trust-{server}-certificate",
                metavar="SHA256",
                help=f"trust exactly this certificate of the {server.upper()} server "
                "(the fingerprint 'test' shows)",
            )

    p = sub.add_parser("test", help="test the account against its POP3 and SMTP servers")
    p.add_argument("number")
    p.add_argument("--json", action="store_true", help="the steps as JSON")
    p.add_argument(
        "--send-test-message",
        action="store_true",
        help="send a test message to the account's own address",
    )
    p.add_argument(
        "--timeout",
        type=_timeout,
        default=15.0,
        help=f"seconds per step, {TIMEOUT_MIN:g} to {TIMEOUT_MAX:g} (15)",
    )
    p.add_argument(
        "--password",
        action="append",
        default=[],
        choices=("pop3", "smtp"),
        help="use this password instead of the stored one (prompt or stdin)",
    )

    p = sub.add_parser(
        "autoconfig",
        help="find the POP3 and SMTP settings of an address: the domain's own configuration "
        "file, the ISPDB, SRV records, the MX host (exit 1: nothing found)",
    )
    p.add_argument("address")
    p.add_argument("--json", action="store_true", help="the proposal and what was tried, as JSON")

    p = sub.add_parser("fetch", help="fetch the mail of POP3 accounts into their inboxes")
    p.add_argument(
        "numbers", nargs="*", metavar="NUMBER", help="default: every account that fetches"
    )
    p.add_argument("--json", action="store_true", help="the results as JSON")
    p.add_argument(
        "--timeout",
        type=_timeout,
        default=30.0,
        help=f"seconds a server may stay silent, {TIMEOUT_MIN:g} to {TIMEOUT_MAX:g} (30)",
    )

    p = sub.add_parser("oauth2", help="sign an account in at its OAuth2 provider, or out")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    a = actions.add_parser(
        "login", help="sign in: prints the URL to open (and opens the browser), then waits"
    )
    a.add_argument("number")
    a.add_argument("--no-browser", action="store_true", help="only print the URL")
    a.add_argument(
        "--device", action="store_true", help="sign in on another device with a code instead"
    )
    a.add_argument(
        "--timeout",
        type=_timeout,
        default=300.0,
        help=f"seconds to wait for the sign-in, {TIMEOUT_MIN:g} to {TIMEOUT_MAX:g} (300)",
    )
    a = actions.add_parser("logout", help="forget the account's sign-in")
    a.add_argument("number")
    a = actions.add_parser("status", help="who is signed in, and whether the sign-in works")
    a.add_argument("number")

    sub.add_parser(
        "serve",
        help="fetch the accounts on their schedule until stopped (SIGTERM, Ctrl+C); "
        "one line per run",
    )

    p = sub.add_parser("delete", help="delete an account and its stored passwords")
    p.add_argument("number")
    p.add_argument("--yes", action="store_true", help="do not ask")

    p = sub.add_parser("export", help="export all accounts (never passwords)")
    p.add_argument("--output", help="file to write (default: stdout); private to you")
    p.add_argument("--force", action="store_true", help="replace the --output file if it exists")

    p = sub.add_parser("import", help="import an export document, all or nothing")
    p.add_argument("file", help="the document ('-' for stdin)")
    p.add_argument("--replace", action="store_true", help="replace accounts that exist")

    for kind, plural in (("operator", "operators"), ("workgroup", "workgroups")):
        p = sub.add_parser(plural, help=f"maintain the directory of {plural}")
        actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
        a = actions.add_parser("add", help=f"add a {kind}")
        a.add_argument("code")
        a.add_argument("--name", default="")
        a = actions.add_parser("list", help=f"list the {plural}")
        a.add_argument("--json", action="store_true")
        a = actions.add_parser("remove", help=f"remove a {kind} no account uses")
        a.add_argument("code")
    return parser


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7396 JSON merge patch."""
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def apply_flags(data: dict[str, Any], args: argparse.Namespace) -> dict[str, Any]:
    """Lay the command-line flags over *data*; ports follow a changed security
    mode unless a port was given or had been set by hand."""
    result = dict(data)
    given: set[str] = set()
    for field in flag_fields():
        raw = getattr(args, _dest(field), None)
        if raw is None:
            continue
        given.add(field.path)
        value: Any = raw
        if field.kind == "port":
            value = _port(raw)
        elif field.kind == "count":
            value = None if raw.strip().lower() in ("", "none", "-") else _port(raw)
        elif field.kind != "bool":
            value = form.parse_text(field.kind, raw)
        set_path(result, field.path, value)
    for server in ("pop3", "smtp"):
        fingerprint = getattr(args, f"trust_{server}_certificate", None)
        if fingerprint is not None:
            set_path(
                result,
                f"{server}.trusted_certificate",
                {"host": _tls_host(result, server), "sha256": fingerprint},
            )
    for section in ("pop3", "smtp"):
        if f"{section}.port" in given:
            continue
        old, new = get_path(data, f"{section}.security"), get_path(result, f"{section}.security")
        port = get_path(result, f"{section}.port")
        if old != new and isinstance(port, int) and isinstance(old, str) and isinstance(new, str):
            set_path(result, f"{section}.port", follow_port(section, old, new, port))
    return result


def _tls_host(data: dict[str, Any], server: str) -> str:
    """The name a server's certificate is checked against."""
    if server == "smtp":
        return smtp_server_of(data).tls_name
    return str(get_path(data, "pop3.server") or "")
