"""Where accounts live. ``Store`` is the interface front ends and services use;
``SqliteStore`` is the embedded default."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from ..model.records import (
    DIRECTORY_KINDS,
    AccountSummary,
    AccountWrite,
    DirectoryEntry,
    DirectoryKind,
    FetchStatus,
    StoredAccount,
)
from .errors import (
    AccountNotFound,
    AccountTooNew,
    CodeExists,
    CodeGone,
    CodeInUse,
    CodeNotFound,
    ConflictError,
    ExportIncomplete,
    NumberTaken,
    SecretsChanged,
    StoreError,
    StoreTooNew,
    StoreUnreadable,
)

if TYPE_CHECKING:
    from datetime import datetime

    from .fetching import Listing


# json and uuid are not needed to open the store and show the list: they load
# with the first document or id (docs/architecture.md, "Start-up").


def to_json(value: Any, sort_keys: bool = False) -> str:
    """JSON text as the store keeps it (not ASCII-escaped)."""
    import json

    return json.dumps(value, ensure_ascii=False, sort_keys=sort_keys)


def from_json(text: str) -> Any:
    import json

    return json.loads(text)


def encode_document(data: Mapping[str, Any]) -> str:
    """An account's JSON form as the store keeps it (``accounts.data``)."""
    return to_json(data, sort_keys=True)


def new_id() -> str:
    """A random id (a store's, a save owner's): 32 hex digits."""
    import uuid

    return uuid.uuid4().hex


class Store(Protocol):
    @property
    def store_id(self) -> str: ...
    @property
    def locks_folder(self) -> Path: ...

    def summaries(self) -> list[AccountSummary]: ...
    def get(self, number: str) -> StoredAccount | None: ...
    def all_accounts(self) -> list[StoredAccount]: ...
    def save(self, write: AccountWrite, trash: Iterable[str] = ()) -> StoredAccount: ...
    def save_many(
        self,
        writes: list[AccountWrite],
        directory: dict[DirectoryKind, list[DirectoryEntry]],
        trash: Iterable[str] = (),
    ) -> None: ...
    def delete(self, number: str, expected_revision: int | None = None) -> list[str]: ...
    def replace_secret_refs(
        self,
        number: str,
        expected: dict[str, str],
        refs: dict[str, str],
        trash: Iterable[str] = (),
    ) -> None: ...
    def directory(self, kind: DirectoryKind) -> list[DirectoryEntry]: ...
    def directory_add(self, kind: DirectoryKind, code: str, name: str) -> None: ...
    def directory_remove(self, kind: DirectoryKind, code: str) -> None: ...
    def account_documents(self) -> Iterator[tuple[str, dict[str, Any], int]]: ...
    def documents_newer_than(self, version: int) -> list[tuple[str, int]]: ...
    def pending_keys(self, keys: Iterable[str]) -> AbstractContextManager[None]: ...
    def trash_keys(self) -> list[str]: ...
    def removable_trash(self) -> list[str]: ...
    def trash_clear(self, keys: Iterable[str]) -> None: ...
    def fetch_listing(self, number: str, mailbox: str, now: datetime | None = None) -> Listing: ...
    def fetch_status(self, number: str) -> FetchStatus | None: ...
    def fetch_statuses(self) -> dict[str, FetchStatus]: ...
    def record_fetch(
        self,
        number: str,
        at: str,
        problem: dict[str, Any] | None,
        fetched: int,
        scheduled: bool,
        disable_after: int,
    ) -> FetchStatus: ...
    def close(self) -> None: ...


__all__ = [
    "DIRECTORY_KINDS",
    "AccountNotFound",
    "AccountSummary",
    "AccountTooNew",
    "AccountWrite",
    "CodeExists",
    "CodeGone",
    "CodeInUse",
    "CodeNotFound",
    "ConflictError",
    "DirectoryEntry",
    "DirectoryKind",
    "ExportIncomplete",
    "NumberTaken",
    "SecretsChanged",
    "Store",
    "StoreError",
    "StoreTooNew",
    "StoreUnreadable",
    "StoredAccount",
    "encode_document",
    "from_json",
    "new_id",
    "to_json",
]
