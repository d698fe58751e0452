"""Where accounts live. ``Store`` (base.py) is the interface the services,
the fetch engine and the window use; ``open_store`` makes one. The embedded
SQLite store (sqlite.py, fetching.py, locks.py) is its implementation."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from ..model.records import (
    DIRECTORY_KINDS,
    AccountSummary,
    AccountWrite,
    DirectoryEntry,
    DirectoryKind,
    StoredAccount,
)
from .encoding import encode_document, from_json, new_id, to_json

if TYPE_CHECKING:
    from .base import FetchListing, Lease, Store
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


def open_store(location: str | os.PathLike[str]) -> Store:
    """A new connection to the store at *location*: the one place a store
    is made. Today *location* is the path of an SQLite file; a shared
    database will be named by its URL here."""
    from .sqlite import SqliteStore

    return SqliteStore(location)


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
    "FetchListing",
    "Lease",
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
    "open_store",
    "to_json",
]


def __getattr__(name: str) -> Any:
    """The interface's classes (``base.py``) load when first named: the
    window's list opens a store and reads it before anything needs them
    (docs/architecture.md, "Start-up")."""
    if name in ("FetchListing", "Lease", "Store"):
        from . import base

        return getattr(base, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
