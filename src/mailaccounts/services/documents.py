"""Strict JSON reading for account files and imports, and the secret fields
that may appear in them (and only in them)."""

from __future__ import annotations

import copy
import json
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from ..model.core import SECRET_PATHS, UNSAFE_BEYOND_C0, secret_problem
from ..model.problems import Problem
from ..model.secret import Secret

EXPORT_FORMAT = "mailaccounts-export"
EXPORT_VERSION = 1
MAX_DEPTH = 64


class JsonInputError(Exception):
    """The input is not the JSON we accept; the message says where and why."""


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise JsonInputError(f"duplicate key “{key}”")
        result[key] = value
    return result


def _no_constants(name: str) -> Any:
    raise JsonInputError(f"{name} is not a JSON number")


def _depth(value: Any, limit: int) -> int:
    stack = [(value, 1)]
    deepest = 0
    while stack:
        item, level = stack.pop()
        deepest = max(deepest, level)
        if level > limit:
            return level
        if isinstance(item, dict):
            stack.extend((v, level + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, level + 1) for v in item)
    return deepest


class _LongNumber:
    """A whole number of more digits than Python converts to an int
    (``sys.get_int_max_str_digits()``, 4,300): json's own conversion would
    raise a ValueError that names no field. It stands in the parsed value
    until ``loads`` has found where it is."""

    __slots__ = ("digits",)

    def __init__(self, digits: int) -> None:
        self.digits = digits


def _whole_numbers(found: list[_LongNumber]) -> Callable[[str], int | _LongNumber]:
    """json's ``parse_int``: an int, or a ``_LongNumber`` (noted in *found*)."""
    limit = sys.get_int_max_str_digits()

    def parse(text: str) -> int | _LongNumber:
        digits = len(text) - text.startswith("-")
        if limit and digits > limit:
            found.append(_LongNumber(digits))
            return found[-1]
        return int(text)

    return parse


def _long_number_at(value: Any) -> tuple[str, _LongNumber] | None:
    """The path (``accounts[0].pop3.port``) of the first ``_LongNumber`` in *value*."""
    stack: list[tuple[Any, str]] = [(value, "")]
    while stack:
        item, path = stack.pop()
        if isinstance(item, _LongNumber):
            return path or "$", item
        if isinstance(item, dict):
            children = [(v, f"{path}.{k}" if path else str(k)) for k, v in item.items()]
        elif isinstance(item, list):
            children = [(v, f"{path}[{i}]") for i, v in enumerate(item)]
        else:
            continue
        stack.extend(reversed(children))
    return None


def loads(raw: bytes | str, source: str = "input") -> Any:
    """Parse *raw*; invalid UTF-8, duplicate keys, NaN, deep nesting and whole
    numbers longer than Python converts are errors."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise JsonInputError(f"{source}: not UTF-8 text (byte {exc.start})") from None
    long_numbers: list[_LongNumber] = []
    try:
        value = json.loads(
            raw,
            object_pairs_hook=_no_duplicates,
            parse_constant=_no_constants,
            parse_int=_whole_numbers(long_numbers),
        )
    except JsonInputError as exc:
        raise JsonInputError(f"{source}: {exc}") from None
    except RecursionError:
        raise JsonInputError(f"{source}: nested too deeply") from None
    except json.JSONDecodeError as exc:
        raise JsonInputError(
            f"{source}: not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"
        ) from None
    if _depth(value, MAX_DEPTH) > MAX_DEPTH:
        raise JsonInputError(f"{source}: nested deeper than {MAX_DEPTH} levels")
    if long_numbers and (found := _long_number_at(value)) is not None:
        path, number = found
        raise JsonInputError(
            f"{source}: {path}: a whole number of {number.digits:,} digits, more than the "
            f"{sys.get_int_max_str_digits():,} a number may have"
        )
    return value


# json.dumps escapes C0 itself; these it would write raw (all only ever inside strings)
_ESCAPE_TOO = re.compile(f"[{UNSAFE_BEYOND_C0}]")


def dumps(value: Any) -> str:
    """Readable JSON (UTF-8 kept) in which DEL, C1 controls, bidi controls,
    U+2028/U+2029 and lone surrogates are ``\\uXXXX`` escapes, so no terminal
    or editor acts on them; it reads back to the same value."""
    text = json.dumps(value, ensure_ascii=False, indent=2, sort_keys=False)
    return _ESCAPE_TOO.sub(lambda match: f"\\u{ord(match.group()):04x}", text) + "\n"


def dumps_list(items: Iterable[Any], depth: int = 0, end: str = "\n") -> Iterator[str]:
    """A JSON list as ``dumps`` writes it, one item at a time, so memory does
    not grow with the list: *depth* is how deeply the list is nested in the
    document being written (its items are indented by two spaces more), and
    *end* follows its closing bracket."""
    outer = "\n" + "  " * depth
    inner = outer + "  "
    first = True
    for item in items:
        yield ("[" if first else ",") + inner + dumps(item).rstrip().replace("\n", inner)
        first = False
    yield ("[]" if first else outer + "]") + end


def split_secrets(data: Any, prefix: str = "") -> tuple[Any, dict[str, Secret], list[Problem]]:
    """Take the secret fields (``pop3.password`` …) out of an account object.

    Returns a copy without them, the secrets found by name, and problems for
    secrets of the wrong type or with characters no password may hold.
    """
    if not isinstance(data, dict):
        return data, {}, []
    data = copy.deepcopy(data)
    data.pop("status", None)  # read-only: what show --json adds, never taken in
    found: dict[str, Secret] = {}
    problems: list[Problem] = []
    for name, path in SECRET_PATHS.items():
        *parents, leaf = path.split(".")
        node: Any = data
        for part in parents:
            node = node.get(part) if isinstance(node, dict) else None
        if not isinstance(node, dict) or leaf not in node:
            continue
        value = node.pop(leaf)
        full = f"{prefix}.{path}" if prefix else path
        if value is None:
            continue
        if not isinstance(value, str):
            problems.append(Problem("wrong_type", full, {"expected": "text"}))
        elif (problem := secret_problem(value, full)) is not None:
            problems.append(problem)
        else:
            found[name] = Secret(value)
    return data, found, problems
