"""How the store refers to keyring entries (no I/O here).

A reference is what ``account_secrets.ref`` holds for one secret name:

- ``KEY``: an entry holding the secret itself (written by release 0.1.0);
- ``KEY#NAME``: the field NAME of an entry holding a JSON object of several
  secrets — one entry per save, so an import writes one keyring item per
  account instead of one per password;
- ``STORE::KEY`` or ``STORE::KEY#NAME``: an entry of another store (the
  original of a copied store), read but never removed;
- ``KEY+N``: a value too long for one keyring item (Windows' Credential
  Manager takes 2,560 bytes; an OAuth2 refresh token can be longer), kept in
  the N items ``KEY~1`` … ``KEY~N`` of at most ``CHUNK`` characters each.

The trash and the keyring work with item keys: ``KEY`` or ``STORE::KEY``.
See docs/architecture.md, "Secrets in the keyring".
"""

from __future__ import annotations

from collections.abc import Iterable

BORROWED = "::"
FIELD = "#"
CHUNK = 1000
"""Characters per keyring item: 2,000 bytes as the UTF-16 Windows stores."""


def item_key(ref: str) -> str:
    """The keyring item a reference points into."""
    return ref.partition(FIELD)[0]


def field_name(ref: str) -> str | None:
    """The field of a bundled entry, or None for an entry of its own."""
    _, has_field, name = ref.partition(FIELD)
    return name if has_field else None


def bundled(key: str, name: str) -> str:
    return f"{key}{FIELD}{name}"


def borrow(store_id: str, ref: str) -> str:
    return ref if BORROWED in ref else f"{store_id}{BORROWED}{ref}"


def owner_store(key: str) -> str | None:
    """The store an item key was borrowed from, or None for our own."""
    store_id, borrowed, _ = key.partition(BORROWED)
    return store_id if borrowed else None


def items(refs: Iterable[str]) -> set[str]:
    return {item_key(ref) for ref in refs}


def with_chunks(key: str, length: int) -> str:
    """The key for a value of *length* characters: split when it is long."""
    parts = -(-length // CHUNK)
    return key if parts <= 1 else f"{key}+{parts}"


def chunk_keys(key: str) -> list[str]:
    """The items a split value lives in (empty: it lives in *key* itself)."""
    base, split, count = key.rpartition("+")
    if not split or not count.isdigit():
        return []
    return [f"{base}~{index}" for index in range(1, int(count) + 1)]
