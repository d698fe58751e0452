"""The command line: a thin front end over ``AccountService``.

Exit codes: 0 ok, 1 the operation failed, 2 usage or validation error.
Passwords come from a prompt or stdin, never from the command line.
"""

from __future__ import annotations

import argparse
import getpass
import json
import math
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from ..files.atomic import WriteRefused, write_private
from ..files.paths import default_store_path
from ..keyring.backend import SecretsError
from ..model import form
from ..model.core import (
    HOST_PATHS,
    MAX_SECRET,
    POP3_DEFAULT_PORTS,
    SECRET_PATHS,
    SECURITY_CHOICES,
    SMTP_DEFAULT_PORTS,
    ascii_host,
    follow_port,
    get_path,
    secret_problem,
    set_path,
)
from ..model.form import Field
from ..model.messages import describe, describe_problem, format_problem
from ..model.problems import AccountInvalid, Problem
from ..model.secret import Secret
from ..net.report import NetError
from ..services.app_context import AppContext
from ..services.documents import JsonInputError, dumps, dumps_list, loads, split_secrets
from ..store import DIRECTORY_KINDS, AccountNotFound, AccountTooNew, StoreError

if TYPE_CHECKING:
    from ..autoconfig.result import Result as AutoconfigResult
    from ..model.records import AccountSummary, FetchStatus
from ..model.safe_text import neutralise

OK, FAILED, USAGE = 0, 1, 2


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


def _read_limited(read: Callable[[int], bytes], source: str) -> bytes:
    """Everything *read* gives, in bounded chunks, up to MAX_INPUT_BYTES."""
    chunks: list[bytes] = []
    total = 0
    while chunk := read(min(_CHUNK, MAX_INPUT_BYTES + 1 - total)):
        chunks.append(chunk)
        total += len(chunk)
        if total > MAX_INPUT_BYTES:
            raise UsageError(
                f"{source}: larger than {_size(MAX_INPUT_BYTES)}, the most an input may be"
            )
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
    return int(text) if len(text) <= 10 else (-1 if text.startswith("-") else 65536)


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
            choices=SECRET_PATHS,
            help="ask for this password (prompt, or one line of stdin)",
        )
        if name == "edit":
            p.add_argument(
                "--clear-password",
                action="append",
                default=[],
                choices=SECRET_PATHS,
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


class Cli:
    def __init__(self, ctx: AppContext, stdin: IO[str], stdout: IO[str], stderr: IO[str]):
        self.ctx = ctx
        self.stdin = stdin
        self.stdout = stdout
        self.stderr = stderr

    # Every human-readable line goes through neutralise: values from servers,
    # files or the store are escaped where they are put in (no line breaks of
    # theirs), and out/err escape once more, keeping only our own line breaks.

    def out(self, text: str = "") -> None:
        print(neutralise(text, newlines=True), file=self.stdout)

    def err(self, text: str) -> None:
        print(f"mailaccounts: {neutralise(text, newlines=True)}", file=self.stderr)

    def problems(self, problems: list[Problem]) -> None:
        for problem in problems:
            self.err(f"{problem.severity.value}: {neutralise(format_problem(problem))}")

    def password_warnings(self, data: dict[str, Any]) -> None:
        """Servers logging in with a password at a provider that stops
        accepting passwords (``model/providers.py``), as warnings on stderr."""
        from ..model.problems import Severity
        from ..model.providers import password_notices

        notices = password_notices(data)
        self.problems([Problem(n.code, n.path, n.params, Severity.WARNING) for n in notices])

    # -- reading input --------------------------------------------------------

    def read_source(self, name: str) -> bytes:
        if name == "-":
            buffer = getattr(self.stdin, "buffer", None)
            if buffer is not None:
                return _read_limited(buffer.read, "stdin")
            return _read_limited(lambda size: self.stdin.read(size).encode("utf-8"), "stdin")
        try:
            with open(name, "rb") as handle:
                return _read_limited(handle.read, name)
        except OSError as exc:
            raise UsageError(f"{name}: {exc.strerror or exc}") from None

    def read_password(self, name: str) -> Secret:
        label = SECRET_PATHS[name]
        if self.stdin.isatty():
            value = getpass.getpass(f"{label}: ")
        else:
            line = self.stdin.readline(MAX_SECRET + 2)  # bounded: stdin may never end a line
            if not line:
                raise UsageError(f"{label}: no password on stdin")
            value = line.removesuffix("\n").removesuffix("\r")
        problem = secret_problem(value, label)
        if problem is not None:
            raise AccountInvalid([problem])
        return Secret(value)

    def account_input(
        self, args: argparse.Namespace, base: dict[str, Any]
    ) -> tuple[dict[str, Any], dict[str, Secret | None]]:
        if args.file == "-" and args.password:
            raise UsageError("--file - and --password both read stdin; use a file for one")
        data = base
        secrets: dict[str, Secret | None] = {}
        if args.file:
            patch = loads(self.read_source(args.file), args.file)
            patch, found, problems = split_secrets(patch)
            if problems:
                raise AccountInvalid(problems)
            if not isinstance(patch, dict):
                raise AccountInvalid([Problem("wrong_type", "", {"expected": "an object"})])
            data = merge_patch(data, patch)
            secrets.update(found)
        data = apply_flags(data, args)
        for name in getattr(args, "clear_password", []):
            secrets[name] = None
        for name in args.password:
            secrets[name] = self.read_password(name)
        return data, secrets

    # -- commands -------------------------------------------------------------

    def cmd_list(self, args: argparse.Namespace) -> int:
        """Every account this release can read; those a newer release saved
        are named on stderr (exit 1), the others listed all the same."""
        service = self.ctx.service
        unreadable: list[AccountTooNew] = []
        if args.json:  # streamed: memory does not grow with the number of accounts
            self.stdout.writelines(dumps_list(service.accounts(unreadable.append)))
        else:
            unreadable = service.unreadable()
            skipped = {error.number for error in unreadable}
            rows: list[tuple[str, ...]] = [
                ("Number", "Address", "Type", "Incoming", "Outgoing", "Operators", "Last fetch")
            ]
            for s in service.summaries():  # the last fetch comes with them
                if s.number in skipped:
                    continue
                kind = "Exchange" if s.exchange else "POP3"
                last = _last_fetch_column(s)
                rows.append((s.number, s.address, kind, s.incoming, s.outgoing, s.operators, last))
            self.out(_table(rows))
        for error in unreadable:
            self.err(f"error: {neutralise(str(error))}; not listed")
        return FAILED if unreadable else OK

    def cmd_show(self, args: argparse.Namespace) -> int:
        service = self.ctx.service
        stored = service.load(args.number)
        status = service.store.fetch_status(args.number)
        if args.json:  # the status is read-only: an account file or import ignores it
            self.out(dumps({**stored.data, "status": _status_json(status)}).rstrip())
            return OK
        for path, value in _flatten(stored.data):
            ascii_form = ascii_host(value) if path in HOST_PATHS else None
            self.out(f"{path}: {neutralise(value)}" + (f" ({ascii_form})" if ascii_form else ""))
        states = self.ctx.service.secret_states(stored)
        for name, path in SECRET_PATHS.items():
            self.out(f"{path}: {_secret_state(states.get(name))}")
        self.out(f"revision: {stored.revision}")
        self.out(f"created: {stored.created_at}")
        self.out(f"updated: {stored.updated_at}")
        self.out(f"last fetch: {neutralise(_status_text(status))}")
        self.password_warnings(stored.data)
        return OK

    def cmd_add(self, args: argparse.Namespace) -> int:
        data, secrets = self.account_input(args, {})
        if args.autoconfig:
            filled = self.autoconfigured(data, args)
            if filled is None:
                return FAILED
            data = filled
        service = self.ctx.service
        self.cleanup(service)
        result = service.create(data, secrets)
        self.problems(result.warnings)
        self.password_warnings(result.stored.data)
        self.out(f"account {result.stored.number} added")
        self.report_leftover(result.leftover)
        oauth2 = get_path(data, "pop3.oauth2") or get_path(data, "smtp.auth.method") == "oauth2"
        if args.autoconfig and oauth2:
            from .autoconfig_text import next_step

            self.err(next_step(result.stored.number))
        return OK

    def cmd_edit(self, args: argparse.Namespace) -> int:
        service = self.ctx.service
        self.cleanup(service)
        current = service.load(args.number)
        data, secrets = self.account_input(args, current.data)
        result = service.update(args.number, data, current.revision, secrets)
        self.problems(result.warnings)
        self.password_warnings(result.stored.data)
        self.out(f"account {args.number} saved (revision {result.stored.revision})")
        self.report_leftover(result.leftover)
        return OK

    def cmd_test(self, args: argparse.Namespace) -> int:
        service = self.ctx.service
        stored = service.load(args.number)
        typed = {name: self.read_password(name) for name in args.password}
        report = service.test_account(
            stored.data,
            stored.secret_refs,
            typed,
            timeout=args.timeout,
            send_test_message=args.send_test_message,
        )
        if args.json:
            self.out(dumps({"number": args.number, **report.to_json()}).rstrip())
        else:
            self.out(_report_table(report, args.number))
        return OK if report.ok else FAILED

    def cmd_oauth2(self, args: argparse.Namespace) -> int:
        service = self.ctx.service
        stored = service.load(args.number)
        settings = stored.data.get("oauth2")
        if not settings:
            raise UsageError(f"account {args.number} has no OAuth2 settings (oauth2.client_id …)")
        if args.action == "logout":
            service.set_secret(args.number, "oauth2", None)
            self.out(f"account {args.number}: signed out")
            return OK
        if args.action == "status":
            if "oauth2" not in stored.secret_refs:
                self.out(f"account {args.number}: not signed in")
                return FAILED
            grant = service.check_sign_in(stored.data, stored.secret_refs)
            self.out(f"account {args.number}: signed in as {neutralise(grant.user)}; it works")
            return OK
        from ..oauth2.flow import device_sign_in, sign_in

        username = str(stored.data["pop3"]["username"])
        if args.device:

            def show_code(url: str, code: str) -> None:
                self.out(f"Open {url} on any device and enter the code {code}")
                self.stdout.flush()

            grant = device_sign_in(settings, show_code, username, timeout=args.timeout)
        else:

            def open_browser(url: str) -> None:
                self.err("open this address in a browser to sign in:")
                self.out(url)  # a line of its own, for scripts
                self.stdout.flush()
                if not args.no_browser:
                    import webbrowser

                    webbrowser.open(url)

            grant = sign_in(settings, open_browser, username, timeout=args.timeout)
        service.set_secret(args.number, "oauth2", grant.to_secret())
        self.err(f"account {args.number}: signed in as {neutralise(grant.user)}")
        return OK

    def cmd_autoconfig(self, args: argparse.Namespace) -> int:
        from . import autoconfig_text as report

        result = self.look_up(args.address)
        if args.json:
            self.out(dumps(result.to_json()).rstrip())
        else:
            self.out("\n".join(neutralise(line) for line in report.summary(result)))
            self.out(_table(report.tried_rows(result)))
        if result.proposal is not None:
            for line in report.warnings(result.proposal):
                self.err(f"warning: {neutralise(line)}")
        return OK if result.proposal is not None else FAILED

    def look_up(self, address: str) -> AutoconfigResult:
        """The automatic configuration of *address*."""
        from ..autoconfig.lookup import address_problem, lookup

        problem = address_problem(address)
        if problem is not None:
            raise AccountInvalid([problem])
        try:
            return lookup(address)
        except ValueError as exc:  # MAILACCOUNTS_DNS or _AUTOCONFIG_TIMEOUTS
            raise UsageError(str(exc)) from None

    def autoconfigured(
        self, data: dict[str, Any], args: argparse.Namespace
    ) -> dict[str, Any] | None:
        """``add --autoconfig``: *data* with what was not given filled from the
        lookup (never a password); None when nothing was found or a guess was
        not confirmed."""
        from . import autoconfig_text as report

        address = data.get("address")
        result = self.look_up(address if isinstance(address, str) else "")
        proposal = result.proposal
        if proposal is None:
            self.err(f"error: no settings found for {neutralise(str(address))}; nothing added")
            for source, query, outcome, _ in report.tried_rows(result)[1:]:
                self.err(f"  {source}: {neutralise(query)}: {neutralise(outcome)}")
            return None
        for line in report.summary(result):
            self.err(f"autoconfig: {neutralise(line)}")
        for line in report.warnings(proposal):
            self.err(f"warning: {neutralise(line)}")
        if proposal.needs_confirmation:
            if args.file == "-":
                self.err("error: stdin holds the account, so these settings cannot be confirmed")
                return None
            self.stderr.write("Use these settings? [y/N] ")
            self.stderr.flush()
            if self.stdin.readline(80).strip().lower() not in ("y", "yes", "j", "ja"):
                self.err("nothing added")
                return None
        filled = proposal.fill(data)
        if proposal.signs_in and not get_path(filled, "oauth2.client_id"):
            self.err(f"autoconfig: {report.CLIENT_ID_NEEDED}")
        return filled

    def cmd_serve(self, args: argparse.Namespace) -> int:
        import signal

        from ..files.paths import clock
        from ..logs import log_for_serve, stop_logging
        from ..services.schedule import Scheduler, logger

        handlers = log_for_serve(self.stdout, self.stderr)
        try:
            scheduler = Scheduler(self.ctx.open_service, self.ctx.mail_root, clock())
            for name in (signal.SIGTERM, signal.SIGINT):
                signal.signal(name, lambda *_: scheduler.request_stop())
            where = f"{self.ctx.store_path}; inboxes in {self.ctx.mail_root}"
            logger.info("serving the schedule of %s", where)
            scheduler.run()
            logger.info("stopped")
        finally:
            stop_logging(*handlers)
        return OK

    def cmd_fetch(self, args: argparse.Namespace) -> int:
        from ..files.paths import clock
        from ..services.fetch_runner import due_accounts, fetch_accounts

        service = self.ctx.service
        for number in args.numbers:
            service.load(number)  # a missing account is a usage error, before anything runs
        numbers = list(dict.fromkeys(args.numbers)) or due_accounts(service)
        line = _TerminalLine(self.stderr)

        def progress(number: str, done: int, total: int) -> None:
            line.show(f"fetching {number}: {done}/{total} messages", done >= total)

        try:
            results = fetch_accounts(
                numbers,
                self.ctx.open_service,
                self.ctx.mail_root,
                clock(),
                progress=progress,
                timeout=args.timeout,
            )
        finally:
            line.end()

        if args.json:
            self.out(dumps({"accounts": [r.to_json() for r in results]}).rstrip())
        else:
            rows = [("Number", "Result", "Fetched", "Copies", "Removed", "Time")]
            for r in results:
                outcome = "ok"
                if r.problem is not None:
                    outcome = f"failed: {neutralise(describe_problem(r.problem))}"
                rows.append(
                    (
                        r.number,
                        outcome,
                        str(r.fetched),
                        str(r.copies),
                        str(r.removed_from_server),
                        f"{r.seconds:.1f} s",
                    )
                )
            self.out(_table(rows))
        return OK if all(r.ok for r in results) else FAILED

    def cmd_delete(self, args: argparse.Namespace) -> int:
        service = self.ctx.service
        stored = service.load(args.number)
        if not args.yes:
            address = neutralise(str(stored.data.get("address")))
            self.stderr.write(
                f"Delete account {args.number} <{address}> and its stored passwords? [y/N] "
            )
            self.stderr.flush()
            if self.stdin.readline(80).strip().lower() not in ("y", "yes", "j", "ja"):
                self.err("nothing deleted")
                return FAILED
        leftover = service.delete(args.number, stored.revision)
        self.out(f"account {args.number} deleted")
        self.report_leftover(leftover)
        return OK

    def cmd_export(self, args: argparse.Namespace) -> int:
        chunks = self.ctx.service.export_chunks()
        if not args.output:
            self.stdout.writelines(chunks)
            return OK
        try:
            write_private(args.output, (c.encode("utf-8") for c in chunks), replace=args.force)
        except WriteRefused as exc:
            raise UsageError(f"{args.output}: {_REFUSED[exc.reason]}") from None
        except OSError as exc:
            self.err(f"error: {args.output}: {exc.strerror or exc}; nothing was written")
            return FAILED
        return OK

    def cmd_import(self, args: argparse.Namespace) -> int:
        doc = loads(self.read_source(args.file), args.file)
        service = self.ctx.service
        self.cleanup(service)
        line = _TerminalLine(self.stderr)

        def progress(done: int, total: int) -> None:
            line.show(f"writing passwords to the keyring: {done}/{total}", done >= total)

        try:
            result = service.import_document(doc, replace=args.replace, progress=progress)
        finally:
            line.end()
        self.problems(result.warnings)
        self.out(
            f"imported {len(result.created) + len(result.replaced)} account(s): "
            f"{len(result.created)} new, {len(result.replaced)} replaced"
        )
        self.report_leftover(result.leftover)
        return OK

    def cmd_directory(self, args: argparse.Namespace) -> int:
        kind = "operator" if args.command == "operators" else "workgroup"
        assert kind in DIRECTORY_KINDS
        service = self.ctx.service
        if args.action == "add":
            service.directory_add(kind, args.code, args.name)
            self.out(f"{kind} {args.code.strip()} added")
        elif args.action == "remove":
            service.directory_remove(kind, args.code)
            self.out(f"{kind} {args.code} removed")
        else:
            entries = service.directory(kind)
            if args.json:
                self.out(dumps([{"code": e.code, "name": e.name} for e in entries]).rstrip())
            else:
                self.out(_table([("Code", "Name"), *((e.code, e.name) for e in entries)]))
        return OK

    def cleanup(self, service: Any) -> None:
        self.report_leftover(service.purge_trash())

    def report_leftover(self, leftover: str) -> None:
        if leftover:
            self.err(
                "warning: old passwords stay in the keyring until the next run: "
                + neutralise(leftover)
            )

    def run(self, args: argparse.Namespace) -> int:
        commands: dict[str, Callable[[argparse.Namespace], int]] = {
            "list": self.cmd_list,
            "show": self.cmd_show,
            "add": self.cmd_add,
            "edit": self.cmd_edit,
            "delete": self.cmd_delete,
            "test": self.cmd_test,
            "fetch": self.cmd_fetch,
            "autoconfig": self.cmd_autoconfig,
            "serve": self.cmd_serve,
            "oauth2": self.cmd_oauth2,
            "export": self.cmd_export,
            "import": self.cmd_import,
            "operators": self.cmd_directory,
            "workgroups": self.cmd_directory,
        }
        try:
            return commands[args.command](args)
        except (UsageError, JsonInputError) as exc:
            self.err(f"error: {neutralise(str(exc))}")
            return USAGE
        except AccountInvalid as exc:
            self.problems(exc.problems)
            return USAGE
        except AccountNotFound as exc:
            self.err(f"error: {neutralise(str(exc))}")
            return FAILED
        except NetError as exc:  # a sign-in that failed or was cancelled
            self.err(f"error: {neutralise(describe(exc.problem.code, exc.problem.params))}")
            return FAILED
        except (StoreError, SecretsError) as exc:
            self.err(f"error: {neutralise(str(exc))}; nothing was changed")
            return FAILED
        except OSError as exc:
            reason = f"{exc.strerror or exc}: {exc.filename or ''}"
            self.err(f"error: {neutralise(reason)}")
            return FAILED


_REFUSED = {
    "symlink": "is a symbolic link; the export is not written through it (give the real path)",
    "not_regular": "is not a regular file",
    "exists": "exists already; --force replaces it",
}


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
    for section, defaults in (("pop3", POP3_DEFAULT_PORTS), ("smtp", SMTP_DEFAULT_PORTS)):
        if f"{section}.port" in given:
            continue
        old, new = get_path(data, f"{section}.security"), get_path(result, f"{section}.security")
        port = get_path(result, f"{section}.port")
        if old != new and isinstance(port, int) and isinstance(old, str) and isinstance(new, str):
            set_path(result, f"{section}.port", follow_port(defaults, old, new, port))
    return result


def _report_table(report: Any, number: str) -> str:
    rows = [("Server", "Step", "Result", "Time", "Detail")]
    notes = []
    for step in report.steps:
        detail = ""
        if step.problem is not None:
            detail = describe(step.problem.code, step.problem.params)
            cert = step.problem.certificate
            if cert is not None:
                c = {key: neutralise(value) for key, value in cert.to_json().items()}
                notes.append(
                    f"{step.server.upper()} certificate: subject {c['subject']}; issuer "
                    f"{c['issuer']}; valid {c['not_before']} to {c['not_after']}; SHA-256 "
                    f"{c['sha256']}\n  to trust exactly this certificate for {c['host']}: "
                    f"mailaccounts edit {number} --trust-{step.server}-certificate {c['sha256']}"
                )
        elif step.detail:
            detail = ", ".join(f"{k}={_short(v)}" for k, v in step.detail.items())
        rows.append(
            (step.server.upper(), step.name, step.status.value, f"{step.seconds:.3f} s", detail)
        )
    verdict = "all steps passed" if report.ok else "the test failed"
    return "\n".join([_table(rows), *notes, verdict])


def _secret_state(state: str | None) -> str:
    if state is None:
        return "not set"
    if state == "stored":
        return "stored in the keyring"
    if state == "missing":
        return "missing from the keyring: enter it again"
    return f"referenced, but the keyring cannot be read ({state.removeprefix('unknown: ')})"


def _status_json(status: FetchStatus | None) -> dict[str, Any] | None:
    if status is None:
        return None
    return {
        "last_run": status.last_run,
        "ok": status.ok,
        "problem": None
        if status.problem is None
        else {"code": status.problem["code"], "message": describe_problem(status.problem)},
        "fetched": status.fetched,
        "consecutive_failures": status.failures,
        "switched_off": _disabled_text(status) or None,
    }


def _disabled_text(status: FetchStatus) -> str:
    if not status.disabled_reason:
        return ""
    reason = json.loads(status.disabled_reason)
    failures = reason.pop("failures", status.failures)
    return f"after {failures} failed scheduled runs: {describe_problem(reason)}"


def _last_fetch_column(summary: AccountSummary) -> str:
    """The "Last fetch" column of ``list``: the problem's code, not its text."""
    if not summary.exchange and not summary.fetch_on:
        return "switched off"
    if summary.last_fetch is None:
        return "never"
    problem = summary.problem_of()
    if problem is None:
        return f"{_when(summary.last_fetch)} ok, {summary.fetched} fetched"
    return f"{_when(summary.last_fetch)} failed: {problem['code']}"


def _status_text(status: FetchStatus | None) -> str:
    if status is None:
        return "never"
    when = _when(status.last_run)
    if status.ok:
        text = f"{when} ok, {status.fetched} fetched"
    else:
        assert status.problem is not None
        text = f"{when} failed: {describe_problem(status.problem)}"
    if status.disabled_reason:
        text += f"; switched off {_disabled_text(status)}; switch it on with --fetch-enabled"
    return text


def _when(last_run: str) -> str:
    """An ISO 8601 time to the minute, as it was stored (no time zone shown)."""
    return last_run.replace("T", " ")[:16]


class _TerminalLine:
    """Progress on one line of a terminal, rewritten in place at most ten
    times a second (from any thread); silent when the stream is not a
    terminal (scripts, logs)."""

    def __init__(self, stream: IO[str]) -> None:
        import threading

        self.stream = stream
        self.active = stream.isatty()
        self.shown = False
        self._lock = threading.Lock()
        self._last = 0.0

    def show(self, text: str, final: bool = False) -> None:
        import time

        if not self.active:
            return
        with self._lock:
            now = time.monotonic()
            if not final and now - self._last < 0.1:
                return
            self._last = now
            self.stream.write(f"\r{text}   ")
            self.stream.flush()
            self.shown = True

    def end(self) -> None:
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()


def _short(value: Any) -> str:
    text = " ".join(map(str, value)) if isinstance(value, list) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _tls_host(data: dict[str, Any], server: str) -> str:
    """The name a server's certificate is checked against."""
    if server == "smtp" and get_path(data, "smtp.separate"):
        return str(get_path(data, "smtp.server_name") or get_path(data, "smtp.server") or "")
    return str(get_path(data, "pop3.server") or "")


def _flatten(data: Any, prefix: str = "") -> list[tuple[str, str]]:
    if isinstance(data, dict):
        rows = []
        for key, value in data.items():
            rows.extend(_flatten(value, f"{prefix}.{key}" if prefix else key))
        return rows
    if isinstance(data, list):
        return [(prefix, "; ".join(map(str, data)))]
    if isinstance(data, bool):
        return [(prefix, "yes" if data else "no")]
    return [(prefix, "" if data is None else str(data))]


def _table(rows: Sequence[Sequence[str]]) -> str:
    rows = [[neutralise(cell) for cell in row] for row in rows]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )


def main(
    argv: Sequence[str] | None = None,
    *,
    stdin: IO[str] | None = None,
    stdout: IO[str] | None = None,
    stderr: IO[str] | None = None,
    keyring_backend: Any | None = None,
) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as exc:
        print(f"mailaccounts: error: {neutralise(str(exc))}", file=stderr or sys.stderr)
        return USAGE
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    store_path = args.store or default_store_path()
    if args.command is None:
        from ..gui.app import start_window

        return start_window(store_path, args.language, args.mail_root)
    from ..logs import log_for_commands, stop_logging

    ctx = AppContext(store_path, keyring_backend, args.mail_root)
    cli = Cli(ctx, stdin or sys.stdin, stdout or sys.stdout, stderr or sys.stderr)
    # warnings of any module on stderr; serve sets up its own (cmd_serve)
    handlers = [] if args.command == "serve" else [log_for_commands(cli.stderr)]
    try:
        return cli.run(args)
    finally:
        ctx.close()
        stop_logging(*handlers)
