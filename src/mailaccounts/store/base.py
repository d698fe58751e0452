"""What a store is: the interface the services, the fetch engine and the
window work with, whatever keeps the data (the SQLite file, later a shared
PostgreSQL database). ``tests/unit/test_store_contract.py`` checks every
implementation against the promises written here.

Words used below:

- *atomic*: all of a call's writes commit in one transaction, or none does
  (a failure leaves the store as it was);
- *conflict*: a write based on a revision of an account that is no longer
  the stored one (another admin saved or deleted it meanwhile);
- *lease*: a lock that is never waited for and that ends with its holder's
  process, however it ends (SIGKILL included): a lease that can be taken
  proves its last holder is gone.

A write that fails raises a ``StoreError`` (errors.py), never a driver's
exception, and leaves the store as it was.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal, Protocol

from ..model.records import (
    AccountSummary,
    AccountWrite,
    DirectoryEntry,
    DirectoryKind,
    FetchStatus,
    ListedMessage,
    StoredAccount,
)
from .encoding import to_json

if TYPE_CHECKING:
    from ..model.problems import Problem

FORGET_AFTER_LISTINGS = 3
FORGET_AFTER = timedelta(days=7)
"""A delivered message's record is forgotten once the message has been
missing from at least FORGET_AFTER_LISTINGS full listings in a row and for
at least FORGET_AFTER: a server that lists nothing for a session (a
hiccup, a mailbox being rebuilt) must not make the program forget what it
delivered, or messages left on the server come twice when they reappear
(a copy the operator deleted among them)."""

MESSAGE_PROBLEMS = frozenset(
    {"retrieve_rejected", "message_too_large", "delete_rejected", "delete_not_committed"}
)
"""Problems with single messages: the run reached the mailbox and fetched the
rest, so they are shown but never count towards switching fetching off."""
TEMPORARY_PROBLEMS = frozenset({"mailbox_in_use"})
"""Conditions that pass by themselves (another session holds the mailbox):
shown, but they neither count towards switching fetching off nor end a
count of failures."""


def count_run(
    before: FetchStatus | None,
    problem: Problem | None,
    scheduled: bool,
    disable_after: int,
) -> tuple[int, str, bool]:
    """How a run changes an account's count: (failures in a row, the reason
    fetching is switched off or "", whether this run switches it off).

    A run that reached the mailbox (no problem, or one with a single
    message) starts the count again; a condition that passes by itself
    (``TEMPORARY_PROBLEMS``) leaves it as it was; any other failure adds
    one. After *disable_after* failed scheduled runs in a row fetching is switched off,
    with the last problem (and the count) as the reason; runs an admin
    started count as well, but never switch anything off."""
    reached = problem is None or problem.code in MESSAGE_PROBLEMS
    failures = 0 if reached else (before.failures if before else 0) + 1
    if problem is not None and problem.code in TEMPORARY_PROBLEMS:
        failures = before.failures if before else 0
    disabled = before.disabled_reason if before else ""
    if problem is None or not scheduled or failures < disable_after or disabled:
        return failures, disabled, False
    return failures, to_json({"failures": failures, **problem.to_json()}), True


class Lease(Protocol):
    """A lock that dies with its process (see above), taken at most once."""

    def try_acquire(self) -> bool:
        """Take the lease now, never waiting: False when someone holds it."""
        ...

    def release(self) -> None:
        """Give a lease taken back (nothing when it was not taken)."""
        ...


class FetchListing(Protocol):
    """One run's view of a mailbox (an account's server and user): what the
    server lists (UIDL, LIST), and for each message whether it was delivered
    before. Entered before use and left at the end of the run; what was
    listed is private to this listing and gone when it is left (memory does
    not grow with the mailbox: an implementation keeps the listing in the
    store). Only ``delivered`` and ``forget_gone`` change what the store
    keeps."""

    number: str
    mailbox: str
    now: datetime
    """When the server was listed (the run's clock)."""

    def __enter__(self) -> FetchListing: ...

    def __exit__(self, kind: Any, error: Any, trace: Any) -> None: ...

    def add_uids(self, pairs: Iterable[tuple[int, str]]) -> None:
        """(message number, UIDL) pairs; a number listed again takes the new id."""
        ...

    def add_sizes(self, pairs: Iterable[tuple[int, int]]) -> None:
        """(message number, size in octets) pairs; the same for sizes."""
        ...

    def drop_repeated_uids(self) -> bool:
        """When the server gave two messages one id (RFC 1939 forbids it,
        servers do it), no id tells its messages apart: every id listed is
        forgotten, and True; else False and nothing changes."""
        ...

    def first_without(self, column: Literal["uid", "size"]) -> int | None:
        """The first message number that has no *column*: "uid" (UIDL did
        not name it) or "size" (LIST did not); None when every one has."""
        ...

    def count(self) -> tuple[int, int]:
        """Messages listed and their octets (a message without size: 0)."""
        ...

    def batch(self, after: int, limit: int = 200) -> list[ListedMessage]:
        """Up to *limit* listed messages with numbers above *after*, in number
        order, each with when it was delivered into this mailbox before
        (None: never, or its id was dropped)."""
        ...

    def was_delivered(self, uid: str) -> bool:
        """Whether a message with this id is recorded as delivered (listed or not)."""
        ...

    def delivered(self, uids: Iterable[tuple[str, str]]) -> None:
        """Record (uid, time) pairs as delivered into every inbox: atomic and
        durable when it returns (a message is removed from the server only
        after this). An id recorded before keeps its first time.
        ``AccountDeleted`` when the account is gone."""
        ...

    def forget_gone(self) -> None:
        """After a full listing, atomic: a delivered message listed again is
        no longer missing; one not listed has been missing once more (since
        the first listing that missed it); the record of one missing from
        at least FORGET_AFTER_LISTINGS listings for at least FORGET_AFTER
        (by ``now``) goes."""
        ...


class Store(Protocol):
    """One connection to a store, used by the thread that opened it: other
    threads and processes open their own. Every write is a transaction of
    its own, so each connection sees the others' commits."""

    @property
    def store_id(self) -> str:
        """The store's identity (32 hex digits): its keyring entries are
        namespaced by it. A copy of a store takes one of its own."""
        ...

    def close(self) -> None: ...

    # -- accounts -------------------------------------------------------------

    def summaries(self) -> list[AccountSummary]:
        """Every account as the list shows it, with its last fetch, in number order."""
        ...

    def get(self, number: str) -> StoredAccount | None:
        """The account as stored (its revision and secret references), or None."""
        ...

    def all_accounts(self) -> list[StoredAccount]:
        """Every account, in number order."""
        ...

    def account_documents(self) -> Iterator[tuple[str, dict[str, Any], int]]:
        """(number, JSON form, shape version) of every account in number
        order, one at a time: memory does not grow with the accounts."""
        ...

    def documents_newer_than(self, version: int) -> list[tuple[str, int]]:
        """(number, shape version) of the accounts stored in a shape newer than *version*."""
        ...

    def save(self, write: AccountWrite, trash: Iterable[str] = ()) -> StoredAccount:
        """Write one account and put keyring keys into the trash, atomic; the
        account as stored. New (``expected_revision`` None): revision 1, or
        ``NumberTaken``. Else the stored revision must be the expected one:
        then it goes up by one, or ``ConflictError`` (someone saved it
        meanwhile) / ``AccountNotFound`` (someone deleted it). With
        ``expected_refs``, the stored secret references must still be those
        (``SecretsChanged``). Every operator and workgroup code the account
        names must be in the directory then (``CodeGone``). The keys its
        references point into leave the trash. Saved with fetching on, a
        fetching switched off after failures starts counting again."""
        ...

    def save_many(
        self,
        writes: list[AccountWrite],
        directory: dict[DirectoryKind, list[DirectoryEntry]],
        trash: Iterable[str] = (),
    ) -> None:
        """An import: directory entries (added, or renamed when their code is
        there in any case), then every write as ``save`` does it, then the
        trash; all of it atomic — one refused write and nothing is written."""
        ...

    def delete(self, number: str, expected_revision: int | None = None) -> list[str]:
        """Delete an account (its secret references and fetch records with
        it), atomic; returns its keyring keys, now in the trash.
        ``AccountNotFound``; ``ConflictError`` when *expected_revision* is
        not the stored one."""
        ...

    def replace_secret_refs(
        self,
        number: str,
        expected: dict[str, str],
        refs: dict[str, str],
        trash: Iterable[str] = (),
    ) -> None:
        """Only the account's secret references (a new OAuth2 grant, say),
        atomic: the account and its revision stay as they are.
        ``AccountNotFound``; ``SecretsChanged`` unless the stored references
        are *expected*."""
        ...

    # -- the directory of operators and workgroups ----------------------------

    def directory(self, kind: DirectoryKind) -> list[DirectoryEntry]:
        """The codes of a kind as they are spelled, ordered case-insensitively."""
        ...

    def directory_add(self, kind: DirectoryKind, code: str, name: str) -> None:
        """Add a code. Codes compare case-insensitively: ``CodeExists``
        (naming the spelling stored) when it is there in any case."""
        ...

    def directory_remove(self, kind: DirectoryKind, code: str) -> None:
        """Remove a code, given in any case. ``CodeInUse`` (naming the
        accounts) while an account names it; ``CodeNotFound``."""
        ...

    # -- keyring keys waiting to be removed (the trash) -----------------------

    def pending_keys(self, keys: Iterable[str]) -> AbstractContextManager[None]:
        """Held around a save that writes the keyring keys *keys*: they are
        in the trash, owned by this save (an owner lease), before they are
        written and until the save's commit references them. While it is
        held no purge, in any process, may remove them; once it is left —
        or its process died — those not committed are removable."""
        ...

    def trash_keys(self) -> list[str]:
        """Every key in the trash, those of saves still running included, sorted."""
        ...

    def removable_trash(self) -> list[str]:
        """The keys nothing can commit any more, sorted: replaced or deleted
        ones, and those of saves that are over (their owner lease can be
        taken). Not removed from the trash: ``trash_clear`` does that once
        the keyring entries are gone."""
        ...

    def trash_clear(self, keys: Iterable[str]) -> None:
        """Take keys out of the trash (their keyring entries are gone), atomic."""
        ...

    # -- fetching mail --------------------------------------------------------

    def fetch_lock(self, number: str) -> Lease:
        """The account's fetch lease: one run per account at a time, across
        threads and processes of every connection to this store."""
        ...

    def fetch_listing(self, number: str, mailbox: str, now: datetime | None = None) -> FetchListing:
        """A listing of *mailbox* for the account's run, listed at *now*
        (default: the current time). One listing per connection at a time."""
        ...

    def fetch_status(self, number: str) -> FetchStatus | None:
        """How the account's last run went, or None when it never ran."""
        ...

    def fetch_statuses(self) -> dict[str, FetchStatus]:
        """Every account's that ran, by number."""
        ...

    def record_fetch(
        self,
        number: str,
        at: str,
        problem: Problem | None,
        fetched: int,
        scheduled: bool,
        disable_after: int,
    ) -> FetchStatus:
        """Record a run (``count_run`` counts it), atomic, and return the
        status. A run that switches fetching off sets ``fetch.enabled`` false
        in the account's document (its revision goes up: an admin's open
        edit then conflicts). ``AccountDeleted`` when the account is gone."""
        ...
