"""Fetching one account: every message on its POP3 server delivered exactly
once into each assigned inbox.

Per message: RETR streamed into a staging file (synced) → one copy per inbox
(``maildir.Inbox.deliver``: tmp → new, file and folder synced) → recorded as
delivered in the store → DELE, unless mail stays on the server. QUIT commits
the deletions. One message cannot hold up the others: a RETR the server
refuses (``retrieve_rejected``) or a message over the size limit
(``message_too_large``, never retrieved) leaves that message on the server
for the next run, a refused DELE (``delete_rejected``) leaves it recorded
(never fetched again); the run goes on and reports the first such problem
once it is over. A QUIT the server answers with -ERR
(``delete_not_committed``) left every message of the run there: the next run
removes them. A run killed at any moment leaves either copies the next run
finds by their names (and records), or a record the next run honours (and
deletes); never a message delivered twice or deleted undelivered. One
run per account at a time, across processes: the store's fetch lease
(``busy``).
See docs/architecture.md, "Fetching mail".
"""

from __future__ import annotations

import contextlib
import hashlib
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from ..model.messages import describe
from ..model.problems import Problem
from ..model.records import ListedMessage
from ..net.pop3 import Pop3Target, login, quit_session
from ..net.report import ConnectionReport, NetError
from ..net.sasl import Credential
from ..net.steps import Recorder
from ..net.transport import CancelToken, LineChannel, StepClock
from ..store import FetchListing, Store
from ..store.errors import AccountDeleted
from . import maildir, retrieval

MAX_MESSAGE = 1 << 30
"""Larger messages are refused (``message_too_large``); they are not fetched
(by the size LIST gives; a server that gives a smaller one ends the run
when the message grows past the limit)."""
MIN_RATE = 64 * 1024
"""Bytes a second a transfer may not fall below: a message's step may take
the timeout plus its size at this rate."""

Progress = Callable[[str, int, int], None]
"""(account number, messages done, messages to do)."""


@dataclass
class FetchResult:
    number: str
    fetched: int = 0
    copies: int = 0
    removed_from_server: int = 0
    seconds: float = 0.0
    problem: Problem | None = None
    """None when the run went well."""

    @property
    def ok(self) -> bool:
        return self.problem is None

    def to_json(self) -> dict[str, Any]:
        """As ``fetch --json`` reports it, the problem's message in English."""
        return {
            "number": self.number,
            "ok": self.ok,
            "fetched": self.fetched,
            "copies": self.copies,
            "removed_from_server": self.removed_from_server,
            "seconds": round(self.seconds, 3),
            "problem": None
            if self.problem is None
            else {"code": self.problem.code, "message": describe(self.problem)},
        }


@dataclass
class FetchJob:
    """Everything one account's run needs."""

    data: dict[str, Any]
    """The account's JSON form."""
    password: Credential
    """The POP3 password, or the account's OAuth2 token source."""
    store: Store
    mail_root: Path
    now: Callable[[], datetime]
    cancel: CancelToken = field(default_factory=CancelToken)
    timeout: float = 30.0
    progress: Progress | None = None

    @property
    def number(self) -> str:
        return str(self.data["number"])


def fetch_account(job: FetchJob) -> FetchResult:
    result = FetchResult(job.number)
    started = time.perf_counter()
    try:
        _check(job)
        lease = job.store.fetch_lock(job.number)
        if not lease.try_acquire():
            raise NetError("busy")
        run = _Run(job, result)
        try:
            run.run()
        finally:
            run.close()
            lease.release()
    except NetError as exc:
        result.problem = exc.problem
    except AccountDeleted:  # the session ended without QUIT: the server removed nothing
        result.removed_from_server = 0
        result.problem = Problem("account_deleted")
    result.seconds = time.perf_counter() - started
    return result


def _check(job: FetchJob) -> None:
    if job.data.get("exchange"):
        raise NetError("exchange_not_fetched")
    if not (job.data.get("operators") or job.data.get("workgroups")):
        raise NetError("no_inbox")


def mailbox_of(data: dict[str, Any]) -> str:
    """Whose messages the delivered list is about: the server and the user.
    Another server or user starts a new list."""
    pop3 = data["pop3"]
    return f"{str(pop3['server']).casefold()}/{pop3['username']}"


class _Run:
    def __init__(self, job: FetchJob, result: FetchResult) -> None:
        self.job = job
        self.result = result
        self.settings = job.data.get("fetch") or {}
        self.mailbox = mailbox_of(job.data)
        self.inboxes = [
            maildir.Inbox(maildir.inbox_path(job.mail_root, kind, code))
            for kind, key in (("operator", "operators"), ("workgroup", "workgroups"))
            for code in job.data.get(key) or []
        ]
        self.skipped: NetError | None = None
        """The first problem with a single message (a refused RETR or DELE,
        a message too large): reported once the run is over."""
        self.staging = job.mail_root / maildir.STAGING / maildir.folder_name(job.number)
        """The account's own: only its run (which holds the account's lock)
        writes there, so what it finds there at the start was left by a
        run that was killed, and goes."""
        self.staging_folder: maildir.Folder | None = None
        """The staging folder, open from the start of the run to its end."""

    def run(self) -> None:
        job = self.job
        self._open_folders()
        clock = StepClock(job.timeout)
        from ..net.check import pop3_target

        target: Pop3Target = pop3_target(job.data)
        recorder = Recorder("pop3", ConnectionReport(), None)
        channel = login(target, job.password, recorder, clock, job.cancel)
        try:
            with job.store.fetch_listing(job.number, self.mailbox, job.now()) as listing:
                self._fetch(channel, clock, listing)
            self._quit(channel, clock)
        finally:
            channel.sock.close()
        if self.skipped is not None:
            raise self.skipped

    def _fetch(self, channel: LineChannel, clock: StepClock, listing: FetchListing) -> None:
        clock.restart()
        # ids that repeat tell nothing: then as without UIDL (ids by content)
        offered = retrieval.list_uids(channel, listing)
        has_uidl = offered and not listing.drop_repeated_uids()
        if not has_uidl and self.settings.get("leave_on_server"):
            raise NetError("uidl_not_unique" if offered else "uidl_not_offered")
        retrieval.list_sizes(channel, listing)
        total, _ = listing.count()
        done, last = 0, 0
        if self.job.progress is not None:
            self.job.progress(self.job.number, 0, total)  # "0 of N" before the first message
        while batch := listing.batch(last):
            for message in batch:
                self.job.cancel.check()
                self._message(channel, clock, listing, message, has_uidl)
                done += 1
                last = message.msgno
                if self.job.progress is not None:
                    self.job.progress(self.job.number, done, total)
        if has_uidl:
            listing.forget_gone()

    def _message(
        self,
        channel: LineChannel,
        clock: StepClock,
        listing: FetchListing,
        message: ListedMessage,
        has_uidl: bool,
    ) -> None:
        if message.delivered_at is not None:
            if self._due_for_removal(message.delivered_at):
                self._delete(channel, clock, message.msgno)
            return
        if message.size > MAX_MESSAGE:
            self.skipped = self.skipped or NetError("message_too_large", limit=MAX_MESSAGE)
            return
        clock.restart(self.job.timeout + message.size / MIN_RATE)
        staged = self.staging / f"{uuid.uuid4().hex}.part"
        try:
            try:
                retrieval.retrieve(channel, message.msgno, staged, MAX_MESSAGE)
            except NetError as exc:
                if exc.problem.code != "retrieve_rejected":
                    raise
                self.skipped = self.skipped or exc  # it stays for the next run
                return
            uid = message.uid if has_uidl else _content_id(staged)
            if has_uidl or not listing.was_delivered(uid):
                self._deliver(staged, uid)
                listing.delivered([(uid, self.job.now().isoformat(timespec="seconds"))])
                self.result.fetched += 1
        finally:
            with contextlib.suppress(OSError):
                staged.unlink()
        if not self.settings.get("leave_on_server"):
            self._delete(channel, clock, message.msgno)

    def _delete(self, channel: LineChannel, clock: StepClock, msgno: int) -> None:
        """DELE; a message the server will not remove holds up no other."""
        clock.restart()
        try:
            retrieval.delete(channel, msgno)
        except NetError as exc:
            if exc.problem.code != "delete_rejected":
                raise
            self.skipped = self.skipped or exc
            return
        self.result.removed_from_server += 1

    def _quit(self, channel: LineChannel, clock: StepClock) -> None:
        """QUIT commits the deletions. A server that answers -ERR kept the
        messages: none counts as removed, and the next run removes them
        (they are recorded as delivered, so never fetched again). A
        connection lost here says nothing either way; the next run sees."""
        clock.restart()
        try:
            quit_session(channel)
        except NetError as exc:
            if exc.problem.code == "delete_not_committed" and self.result.removed_from_server:
                self.result.removed_from_server = 0
                # it concerns every removal, so it outranks a single refused
                # DELE; a message not delivered at all still comes first
                if self.skipped is None or self.skipped.problem.code == "delete_rejected":
                    self.skipped = exc

    def _open_folders(self) -> None:
        """The inboxes and the staging folder, made where missing, never
        through a link (``maildir.Folder``); what a killed run left in the
        staging folder goes."""
        root = maildir.Folder.root(self.job.mail_root)
        try:
            for inbox in self.inboxes:
                inbox.prepare(root)
            staging = root.child(maildir.STAGING)
            try:
                self.staging_folder = staging.child(self.staging.name)
            finally:
                staging.close()
            maildir.clear_staging(self.staging_folder)
        except OSError as exc:
            raise maildir.inbox_error(exc, maildir.STAGING) from None
        finally:
            root.close()

    def close(self) -> None:
        for inbox in self.inboxes:
            inbox.close()
        if self.staging_folder is not None:
            self.staging_folder.close()

    def _deliver(self, staged: Path, uid: str) -> None:
        assert self.staging_folder is not None  # opened by run()
        for inbox in self.inboxes:
            name = maildir.copy_name(self.mailbox, uid, inbox.path)
            if inbox.deliver(self.staging_folder, staged.name, name):
                self.result.copies += 1
        for inbox in self.inboxes:  # a copy found there may be unsynced (its run was killed)
            inbox.sync()

    def _due_for_removal(self, delivered_at: str) -> bool:
        """A delivered message still on the server: removed now unless mail
        stays there (for ever, or until its days are over)."""
        if not self.settings.get("leave_on_server"):
            return True  # the last run's DELE did not reach QUIT
        days = self.settings.get("delete_after_days")
        if days is None:
            return False
        since = datetime.fromisoformat(delivered_at)
        return self.job.now() - since >= timedelta(days=days)


def _content_id(path: Path) -> str:
    """The id of a message on a server without UIDL: its content."""
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return "sha256:" + digest.hexdigest()
