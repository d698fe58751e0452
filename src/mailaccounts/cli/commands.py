"""The commands: each reads its input, calls the services and prints
through ``render``. Exit codes: 0 ok, 1 the operation failed, 2 usage or
validation error."""

from __future__ import annotations

import argparse
import getpass
import signal
import webbrowser
from collections.abc import Callable
from typing import IO, TYPE_CHECKING, Any

from ..autoconfig.lookup import lookup
from ..files.atomic import WriteRefused, write_private
from ..files.logs import log_for_serve, stop_logging
from ..files.paths import clock
from ..keyring.backend import SecretsError
from ..model.core import (
    HOST_PATHS,
    MAX_SECRET,
    PASSWORD_CHOICES,
    SECRET_PATHS,
    ascii_host,
    get_path,
    secret_problem,
)
from ..model.messages import describe
from ..model.problems import AccountInvalid, Problem, Severity
from ..model.providers import password_notices
from ..model.rules import signs_in_with_oauth2
from ..model.safe_text import neutralise
from ..model.secret import Secret
from ..model.validation import address_problem
from ..net.report import NetError
from ..oauth2.flow import device_sign_in, sign_in
from ..services.app_context import AppContext
from ..services.documents import JsonInputError, dumps, dumps_list, loads, split_secrets
from ..services.fetch_runner import due_accounts, fetch_accounts
from ..services.schedule import Scheduler
from ..services.schedule import logger as schedule_log
from ..store import DIRECTORY_KINDS, AccountNotFound, AccountTooNew, StoreError
from . import autoconfig_text
from .parser import MAX_INPUT_BYTES, UsageError, apply_flags, merge_patch, read_limited
from .render import (
    TerminalLine,
    flatten,
    last_fetch_column,
    located,
    report_table,
    secret_state,
    status_json,
    status_text,
    table,
)

if TYPE_CHECKING:
    from ..autoconfig.result import Result as AutoconfigResult

OK, FAILED, USAGE = 0, 1, 2


class Cli:
    """The commands, each over the services of *ctx*; *input_limit* bounds
    what is read from a file or stdin (bytes)."""

    def __init__(
        self,
        ctx: AppContext,
        stdin: IO[str],
        stdout: IO[str],
        stderr: IO[str],
        input_limit: int = MAX_INPUT_BYTES,
    ):
        self.ctx = ctx
        self.stdin = stdin
        self.stdout = stdout
        self.stderr = stderr
        self.input_limit = input_limit

    # Every human-readable line goes through neutralise: values from servers,
    # files or the store are escaped where they are put in (no line breaks of
    # theirs), and out/err escape once more, keeping only our own line breaks.

    def out(self, text: str = "") -> None:
        print(neutralise(text, newlines=True), file=self.stdout)

    def err(self, text: str) -> None:
        print(f"mailaccounts: {neutralise(text, newlines=True)}", file=self.stderr)

    def problems(self, problems: list[Problem]) -> None:
        for problem in problems:
            self.err(f"{problem.severity.value}: {neutralise(located(problem))}")

    def password_warnings(self, data: dict[str, Any]) -> None:
        """Servers logging in with a password at a provider that stops
        accepting passwords (``model/providers.py``), as warnings on stderr."""
        notices = password_notices(data)
        self.problems([Problem(n.code, n.path, n.params, Severity.WARNING) for n in notices])

    # -- reading input --------------------------------------------------------

    def read_source(self, name: str) -> bytes:
        if name == "-":
            buffer = getattr(self.stdin, "buffer", None)
            if buffer is not None:
                return read_limited(buffer.read, "stdin", self.input_limit)
            return read_limited(
                lambda size: self.stdin.read(size).encode("utf-8"), "stdin", self.input_limit
            )
        try:
            with open(name, "rb") as handle:
                return read_limited(handle.read, name, self.input_limit)
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
        for choice in getattr(args, "clear_password", []):
            secrets[PASSWORD_CHOICES[choice]] = None
        for choice in args.password:
            name = PASSWORD_CHOICES[choice]
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
                last = last_fetch_column(s)
                rows.append((s.number, s.address, kind, s.incoming, s.outgoing, s.operators, last))
            self.out(table(rows))
        for error in unreadable:
            self.err(f"error: {neutralise(str(error))}; not listed")
        return FAILED if unreadable else OK

    def cmd_show(self, args: argparse.Namespace) -> int:
        service = self.ctx.service
        stored = service.load(args.number)
        status = service.store.fetch_status(args.number)
        if args.json:  # the status is read-only: an account file or import ignores it
            self.out(dumps({**stored.data, "status": status_json(status)}).rstrip())
            return OK
        for path, value in flatten(stored.data):
            ascii_form = ascii_host(value) if path in HOST_PATHS else None
            self.out(f"{path}: {neutralise(value)}" + (f" ({ascii_form})" if ascii_form else ""))
        states = self.ctx.service.secret_states(stored)
        for name, path in SECRET_PATHS.items():
            self.out(f"{path}: {secret_state(states.get(name))}")
        self.out(f"revision: {stored.revision}")
        self.out(f"created: {stored.created_at}")
        self.out(f"updated: {stored.updated_at}")
        self.out(f"last fetch: {neutralise(status_text(status))}")
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
        if args.autoconfig and signs_in_with_oauth2(data):
            self.err(autoconfig_text.next_step(result.stored.number))
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
            self.out(report_table(report, args.number))
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
        client_secret = service.client_secret(stored.secret_refs)
        username = str(stored.data["pop3"]["username"])
        if args.device:

            def show_code(url: str, code: str) -> None:
                self.out(f"Open {url} on any device and enter the code {code}")
                self.stdout.flush()

            grant = device_sign_in(
                settings, show_code, username, timeout=args.timeout, client_secret=client_secret
            )
        else:

            def open_browser(url: str) -> None:
                self.err("open this address in a browser to sign in:")
                self.out(url)  # a line of its own, for scripts
                self.stdout.flush()
                if not args.no_browser:
                    webbrowser.open(url)

            grant = sign_in(
                settings, open_browser, username, timeout=args.timeout, client_secret=client_secret
            )
        service.set_secret(args.number, "oauth2", grant.to_secret())
        self.err(f"account {args.number}: signed in as {neutralise(grant.user)}")
        return OK

    def cmd_autoconfig(self, args: argparse.Namespace) -> int:
        result = self.look_up(args.address)
        if args.json:
            self.out(dumps(result.to_json()).rstrip())
        else:
            self.out("\n".join(neutralise(line) for line in autoconfig_text.summary(result)))
            self.out(table(autoconfig_text.tried_rows(result)))
        if result.proposal is not None:
            for line in autoconfig_text.warnings(result.proposal):
                self.err(f"warning: {neutralise(line)}")
        return OK if result.proposal is not None else FAILED

    def look_up(self, address: str) -> AutoconfigResult:
        """The automatic configuration of *address*."""
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
        address = data.get("address")
        result = self.look_up(address if isinstance(address, str) else "")
        proposal = result.proposal
        if proposal is None:
            self.err(f"error: no settings found for {neutralise(str(address))}; nothing added")
            for source, query, outcome, _ in autoconfig_text.tried_rows(result)[1:]:
                self.err(f"  {source}: {neutralise(query)}: {neutralise(outcome)}")
            return None
        for line in autoconfig_text.summary(result):
            self.err(f"autoconfig: {neutralise(line)}")
        for line in autoconfig_text.warnings(proposal):
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
            self.err(f"autoconfig: {autoconfig_text.CLIENT_ID_NEEDED}")
        return filled

    def cmd_serve(self, args: argparse.Namespace) -> int:
        handlers = log_for_serve(self.stdout, self.stderr)
        try:
            scheduler = Scheduler(self.ctx.open_service, self.ctx.mail_root, clock())
            for name in (signal.SIGTERM, signal.SIGINT):
                signal.signal(name, lambda *_: scheduler.request_stop())
            where = f"{self.ctx.store_path}; inboxes in {self.ctx.mail_root}"
            schedule_log.info("serving the schedule of %s", where)
            scheduler.run()
            schedule_log.info("stopped")
        finally:
            stop_logging(*handlers)
        return OK

    def cmd_fetch(self, args: argparse.Namespace) -> int:
        service = self.ctx.service
        for number in args.numbers:
            service.load(number)  # a missing account is a usage error, before anything runs
        numbers = list(dict.fromkeys(args.numbers)) or due_accounts(service)
        line = TerminalLine(self.stderr)

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
                    outcome = f"failed: {neutralise(describe(r.problem))}"
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
            self.out(table(rows))
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
        line = TerminalLine(self.stderr)

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
                self.out(table([("Code", "Name"), *((e.code, e.name) for e in entries)]))
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
            self.err(f"error: {neutralise(describe(exc.problem))}")
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
