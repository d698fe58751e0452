"""How a store writes JSON text and ids. Small on purpose: the SQLite store
imports it on the window's start path, where json and uuid are not needed
yet — they load with the first document or id (docs/architecture.md,
"Start-up")."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def to_json(value: Any, sort_keys: bool = False) -> str:
    """JSON text as a store keeps it (not ASCII-escaped)."""
    import json

    return json.dumps(value, ensure_ascii=False, sort_keys=sort_keys)


def from_json(text: str) -> Any:
    import json

    return json.loads(text)


def encode_document(data: Mapping[str, Any]) -> str:
    """An account's JSON form as a store keeps it (``accounts.data``)."""
    return to_json(data, sort_keys=True)


def new_id() -> str:
    """A random id (a store's, a save owner's): 32 hex digits."""
    import uuid

    return uuid.uuid4().hex
