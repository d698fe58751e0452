"""The application's records: what the services hand to the front ends and
what the store keeps. NamedTuples rather than pydantic or dataclasses: the
list window builds a thousand summaries before its first paint. (No
``from __future__ import annotations`` here: typing.NamedTuple would compile
each field's annotation string on import, on the start-up path.)"""

from typing import Any, Literal, NamedTuple

from .problems import Problem

DirectoryKind = Literal["operator", "workgroup"]
DIRECTORY_KINDS: tuple[DirectoryKind, ...] = ("operator", "workgroup")


class AccountSummary(NamedTuple):
    number: str
    address: str
    exchange: int
    """1 for an Exchange account, 0 for POP3/SMTP."""
    incoming: str
    outgoing: str
    operators: str
    revision: int
    last_fetch: str | None = None
    """When fetching last ran (ISO 8601); None when it never did. This and
    the fields below come from the account's ``fetch_status``."""
    fetch_problem: str | None = None
    """The last run's problem, None when it went well: its ``code`` and
    parameters as ``name \x1f value`` pairs joined by ``\x1e`` (see
    ``problem_of``)."""
    fetched: int | None = None
    """Messages the last run fetched."""
    fetch_failures: int | None = None
    """Failed runs in a row."""
    fetch_disabled: int | None = None
    """The failed runs in a row after which scheduled fetching was switched
    off; None while it is on, or when an admin switched it off."""
    fetch_on: int = 1
    """0 when scheduled fetching is switched off (``fetch.enabled``), by an
    admin or after failed runs; 1 otherwise."""

    def problem_of(self) -> Problem | None:
        """The last run's problem (its parameters' values as text)."""
        if self.fetch_problem is None:
            return None
        pairs = (pair.partition("\x1f")[::2] for pair in self.fetch_problem.split("\x1e"))
        return Problem.from_json(dict(pairs))


class StoredAccount(NamedTuple):
    data: dict[str, Any]
    """The account in its JSON form, without secrets."""
    revision: int
    secret_refs: dict[str, str] = {}  # noqa: RUF012 - never mutated; NamedTuple default
    """Secret name (``pop3``, ``smtp``, ``exchange``) → keyring key."""
    created_at: str = ""
    updated_at: str = ""
    version: int = 1
    """The shape of ``data`` (model/upgrade.py); the services hand out
    accounts in the current shape only."""

    @property
    def number(self) -> str:
        return str(self.data["number"])


class DirectoryEntry(NamedTuple):
    code: str
    name: str


class AccountWrite(NamedTuple):
    """What a save writes: the account's JSON form and its secret references."""

    data: dict[str, Any]
    secret_refs: dict[str, str]
    expected_revision: int | None = None
    """None for a new account; else the revision the edit was based on."""
    version: int = 1
    """The shape of ``data``: always the current one when the services write."""
    expected_refs: dict[str, str] | None = None
    """The secret references the save's plan started from; a save finding
    others (a token refresh in between) fails with ``SecretsChanged``."""

    @property
    def number(self) -> str:
        return str(self.data["number"])


class ListedMessage(NamedTuple):
    """A message the server lists, and when it was delivered before."""

    msgno: int
    uid: str
    size: int
    delivered_at: str | None


class FetchStatus(NamedTuple):
    """How an account's fetching went: the last run, and the count of failed
    runs in a row."""

    number: str
    last_run: str
    ok: bool
    problem: Problem | None
    """The last run's problem, None when it went well."""
    fetched: int
    failures: int
    disabled_reason: str
    """Set when fetching was switched off after failed scheduled runs: the
    last problem, as JSON; empty otherwise."""

    def switched_off_by(self) -> tuple[int, Problem] | None:
        """When fetching was switched off after failed scheduled runs: how
        many, and the last one's problem; None otherwise."""
        if not self.disabled_reason:
            return None
        import json  # not needed to show the list

        reason = json.loads(self.disabled_reason)
        failures = int(reason.pop("failures", self.failures))
        return failures, Problem.from_json(reason)
