"""Plain records the store hands out (no pydantic: the list window needs them
before the model is loaded)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

DirectoryKind = Literal["operator", "workgroup"]
DIRECTORY_KINDS: tuple[DirectoryKind, ...] = ("operator", "workgroup")


@dataclass(frozen=True)
class AccountSummary:
    number: str
    address: str
    exchange: bool
    incoming: str
    outgoing: str
    operators: str
    revision: int


@dataclass(frozen=True)
class StoredAccount:
    data: dict[str, Any]
    """The account in its JSON form, without secrets."""
    revision: int
    secret_refs: dict[str, str] = field(default_factory=dict)
    """Secret name (``pop3``, ``smtp``, ``exchange``) → keyring key."""
    created_at: str = ""
    updated_at: str = ""

    @property
    def number(self) -> str:
        return str(self.data["number"])


@dataclass(frozen=True)
class DirectoryEntry:
    code: str
    name: str


@dataclass(frozen=True)
class AccountWrite:
    """What a save writes: the account's JSON form and its secret references."""

    data: dict[str, Any]
    secret_refs: dict[str, str]
    expected_revision: int | None = None
    """None for a new account; else the revision the edit was based on."""

    @property
    def number(self) -> str:
        return str(self.data["number"])
