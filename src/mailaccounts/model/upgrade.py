"""Stored accounts read through the model: every account a front end sees
is in the current shape, whatever release wrote it.

Each stored account document carries the version of its shape. Reading one
first runs the steps from its version to ``DOCUMENT_VERSION`` (renamed or
reshaped fields), then fills every field the model has and the document
lacks with the model's default. Nothing is validated here: an account that a
newer rule would refuse still opens, so that the admin can correct it.
See docs/architecture.md, "Upgrades".
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

from . import account

DOCUMENT_VERSION = 1
"""The shape this release writes. Raise it when a field is renamed or
reshaped, and add the step from the previous version to ``STEPS``; a field
that is only added needs neither (its default is filled in)."""

STEPS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}
"""Version N → the function that turns a version-N document into N+1."""


class DocumentTooNew(Exception):
    def __init__(self, version: int) -> None:
        super().__init__(
            f"the account was saved by a newer mailaccounts (document version {version}, "
            f"this one knows up to {DOCUMENT_VERSION})"
        )


def upgrade(data: dict[str, Any], version: int) -> dict[str, Any]:
    """*data* of document *version* in the current shape, with defaults."""
    if version > DOCUMENT_VERSION:
        raise DocumentTooNew(version)
    while version < DOCUMENT_VERSION:
        data = STEPS[version](data)
        version += 1
    return with_defaults(data, account.Account)


def with_defaults(data: dict[str, Any], model: type[BaseModel]) -> dict[str, Any]:
    """*data* with the default of every field of *model* it lacks, nested
    models included; fields without a default stay missing."""
    result = dict(data)
    for name, field in model.model_fields.items():
        nested = _nested_model(field.annotation)
        if name not in result:
            if not field.is_required():
                result[name] = _as_json(field.get_default(call_default_factory=True))
        elif nested is not None and isinstance(result[name], dict):
            result[name] = with_defaults(result[name], nested)
    return result


def empty_account() -> dict[str, Any]:
    """A new account's JSON form: every default, and "" where the model has
    none (the number and the address)."""
    blank = {name: "" for name, f in account.Account.model_fields.items() if f.is_required()}
    return with_defaults(blank, account.Account)


def optional_sections() -> dict[str, dict[str, Any]]:
    """The sections of the account that are none until something is typed in
    them (``Model | None = None``: Exchange, OAuth2), each with its defaults."""
    sections = {}
    for name, field in account.Account.model_fields.items():
        nested = _nested_model(field.annotation)
        if nested is not None and _is_union(field.annotation) and field.default is None:
            sections[name] = with_defaults({}, nested)
    return sections


def _nested_model(annotation: Any) -> type[BaseModel] | None:
    """The model class in ``Model`` or ``Model | None``, else None."""
    candidates = typing.get_args(annotation) if _is_union(annotation) else (annotation,)
    for candidate in candidates:
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def _is_union(annotation: Any) -> bool:
    return typing.get_origin(annotation) in (typing.Union, types.UnionType)


def _as_json(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    return value
