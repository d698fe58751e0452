"""Fetching one account: every message on its POP3 server delivered exactly
once into each assigned inbox.

Per message: RETR streamed into a staging file (synced) → one copy per inbox
(``maildir.Inbox.deliver``: tmp → new, file and folder synced) → recorded as
delivered in the store → DELE, unless mail stays on the server. QUIT commits
the deletions. Where the server offers PIPELINING, RETRs and DELEs are in
flight while earlier answers are read (``retrieval.Pipeline``), and up to
``GROUP`` delivered messages share one folder sync per inbox and one
transaction; a DELE still goes out only after its message is recorded. One message cannot hold up
the others: a RETR the server refuses (``retrieve_rejected``) or a message
over the size limit (``message_too_large``, never retrieved) leaves that
message on the server for the next run, a refused DELE (``delete_rejected``) leaves it recorded
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
import sqlite3
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
from ..net.check import pop3_target
from ..net.pop3 import Pop3Target, login, quit_session
from ..net.report import ConnectionReport, NetError
from ..net.sasl import Credential
from ..net.steps import Recorder
from ..net.transport import CancelToken, LineChannel, StepClock
from ..store import FetchListing, Store, StoreError
from ..store.errors import AccountDeleted
from . import maildir, retrieval

STORE_FAILURES: tuple[type[Exception], ...] = (StoreError, sqlite3.Error)
"""A store that failed: opening or writing it raises StoreError, a read of a
damaged file may raise SQLite's own error (``serve`` logs it and tries again)."""
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
    except STORE_FAILURES:
        raise  # the runner's caller decides (serve logs it and tries again)
    except Exception as exc:  # a defect: this account's problem, no other's
        result.problem = Problem("fetch_failed", params={"reason": type(exc).__name__})
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
        self.shown = 0
        """Messages done as progress last told."""
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
        _check_listings(listing, has_uidl)
        total, _ = listing.count()
        done, last = 0, 0
        if self.job.progress is not None:
            self.job.progress(self.job.number, 0, total)  # "0 of N" before the first message
        wire = retrieval.Pipeline(channel, retrieval.window(channel))
        box = _Session(wire, clock, listing, has_uidl)
        try:
            while batch := listing.batch(last):
                for message in batch:
                    self.job.cancel.check()
                    last = message.msgno
                    command = self._command(message)
                    if command is not None:
                        while box.wire.full:  # the answers come in order: the oldest first
                            done += self._answer(box)
                        clock.restart()
                        box.wire.send(retrieval.Request(command, message))
                    else:
                        done += 1
                    self._progress(done, total)
            while box.wire.sent:
                done += self._answer(box)
                self._progress(done, total)
        except Exception:
            # what was delivered before the failure is recorded, as one at a
            # time would have; the failure is the run's problem, not this
            with contextlib.suppress(Exception):
                self._record(box, remove=False)
            raise
        if has_uidl:
            listing.forget_gone()

    def _progress(self, done: int, total: int) -> None:
        """Tell the caller, once per count (answers may lag behind the loop)."""
        if self.job.progress is not None and done != self.shown:
            self.shown = done
            self.job.progress(self.job.number, done, total)

    def _command(self, message: ListedMessage) -> str | None:
        """What a message needs: RETR, DELE (delivered before, due for
        removal) or nothing (it stays; a message too large is never fetched)."""
        if message.delivered_at is not None:
            return "DELE" if self._due_for_removal(message.delivered_at) else None
        if message.size > MAX_MESSAGE:
            self.skipped = self.skipped or NetError("message_too_large", limit=MAX_MESSAGE)
            return None
        return "RETR"

    def _answer(self, box: _Session) -> int:
        """Read the oldest answer outstanding; 1 if it completed a message."""
        self.job.cancel.check()
        request = box.wire.next()
        if request.command == "RETR":
            self._message(box, request.message)
            if len(box.delivered) >= GROUP or not box.wire.awaits("RETR"):
                self._record(box)
        else:
            self._delete(box.wire.channel, box.clock)
        return int(request.counts)

    def _message(self, box: _Session, message: ListedMessage) -> None:
        """The answer to its RETR: staged and delivered, the message then
        waiting in *box* to be recorded."""
        box.clock.restart(self.job.timeout + message.size / MIN_RATE)
        staged = self.staging / f"{uuid.uuid4().hex}.part"
        try:
            try:
                retrieval.retrieved(box.wire.channel, staged, MAX_MESSAGE)
            except NetError as exc:
                if exc.problem.code != "retrieve_rejected":
                    raise
                self.skipped = self.skipped or exc  # it stays for the next run
                return
            uid = message.uid if box.has_uidl else _content_id(staged)
            known = not box.has_uidl and (box.waits(uid) or box.listing.was_delivered(uid))
            if not known:
                self._deliver(staged, uid)
            box.delivered.append((uid, message, not known))
        finally:
            with contextlib.suppress(OSError):
                staged.unlink()

    def _record(self, box: _Session, remove: bool = True) -> None:
        """The messages delivered since the last time: their copies made
        durable (each inbox folder synced once), then recorded in one
        transaction, and only then their DELEs sent (unless mail stays, or
        not *remove*: the conversation failed)."""
        group, box.delivered = box.delivered, []  # taken once, whatever fails below
        if not group:
            return
        self._sync_inboxes()
        at = self.job.now().isoformat(timespec="seconds")
        new = [uid for uid, _, fresh in group if fresh]
        box.listing.delivered([(uid, at) for uid in new])
        self.result.fetched += len(new)
        if remove and not self.settings.get("leave_on_server"):
            for _, message, _ in group:
                box.clock.restart()
                box.wire.send(retrieval.Request("DELE", message, counts=False))

    def _delete(self, channel: LineChannel, clock: StepClock) -> None:
        """The answer to a DELE; a message the server will not remove holds
        up no other."""
        clock.restart()
        try:
            retrieval.deleted(channel)
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

    def _sync_inboxes(self) -> None:
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


GROUP = 16
"""Messages delivered, with pipelining, before their inbox folders are
synced and they are recorded (once for all): a sync and a transaction per
group, not per message. Without pipelining the group is one message."""


@dataclass
class _Session:
    """One run's conversation with the mailbox, past the listings."""

    wire: retrieval.Pipeline
    clock: StepClock
    listing: FetchListing
    has_uidl: bool
    delivered: list[tuple[str, ListedMessage, bool]] = field(default_factory=list)
    """Messages delivered whose folders are not synced yet nor they recorded:
    (id, message, whether it is new — not delivered before by content)."""

    def waits(self, uid: str) -> bool:
        return any(uid == waiting for waiting, _, _ in self.delivered)


def _check_listings(listing: FetchListing, has_uidl: bool) -> None:
    """UIDL and LIST must name the same messages: a message without an id
    could not be told apart from the others, one without a size was never
    listed."""
    missing = listing.first_without("uid") if has_uidl else None
    command = "UIDL"
    if missing is None:
        missing, command = listing.first_without("size"), "LIST"
    if missing is not None:
        text = f"{command} does not name message {missing}, which the other listing names"
        raise NetError("protocol_error", text=text)


def _content_id(path: Path) -> str:
    """The id of a message on a server without UIDL: its content."""
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return "sha256:" + digest.hexdigest()
