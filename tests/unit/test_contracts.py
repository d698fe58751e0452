"""docs/contracts.md against the program: its field table against the form
(``model/form.py``) and the model, its command list against the CLI's
parser. A field or command added without its line in the contract fails
here, and so does a line for one that is gone."""

from __future__ import annotations

import argparse
import re
import typing
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import BaseModel

from mailaccounts.cli.parser import build_parser
from mailaccounts.model import form
from mailaccounts.model.account import Account, TrustedCertificate
from mailaccounts.model.core import SECURITY_CHOICES

CONTRACTS = Path(__file__).resolve().parents[2] / "docs" / "contracts.md"
TICKED = re.compile(r"`([^`]+)`")


def section(title: str) -> str:
    text = CONTRACTS.read_text(encoding="utf-8")
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end >= 0 else None]


def field_table() -> dict[str, str]:
    """Each path in the first column of the account's table → its row."""
    rows: dict[str, str] = {}
    for line in section("The account").splitlines():
        if not line.startswith("| `"):
            continue
        first = line.split("|")[1]
        for path in TICKED.findall(first):
            assert path not in rows, f"{path} has two rows"
            rows[path] = line
    return rows


def _model_of(annotation: object) -> type[BaseModel] | None:
    for candidate in (annotation, *typing.get_args(annotation)):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def model_paths(model: type[BaseModel] = Account, prefix: str = "") -> Iterator[str]:
    """Every field path of the account's JSON form: the leaves, and the
    sections that may be null. A trusted certificate is one entry."""
    for name, info in model.model_fields.items():
        path = prefix + name
        inner = _model_of(info.annotation)
        if inner is None or inner is TrustedCertificate:
            yield path
            continue
        if type(None) in typing.get_args(info.annotation):
            yield path
        yield from model_paths(inner, path + ".")


def test_every_field_of_the_form_has_its_row() -> None:
    rows = field_table()
    missing = [f.path for f in form.fields() if f.kind != "password" and f.path not in rows]
    assert not missing, f"docs/contracts.md lacks rows for {missing}"


def test_every_field_of_the_model_has_its_row_and_every_row_a_field() -> None:
    rows, paths = set(field_table()), set(model_paths())
    assert not paths - rows, f"docs/contracts.md lacks rows for {sorted(paths - rows)}"
    assert not rows - paths, f"docs/contracts.md has rows for no field: {sorted(rows - paths)}"


def test_the_passwords_of_the_form_are_named_as_write_only() -> None:
    text = section("The account")
    secrets = text[text.index("\nSecrets") :].split("\n\n")[0]
    named = set(TICKED.findall(secrets))
    missing = [f.path for f in form.fields() if f.kind == "password" and f.path not in named]
    assert not missing, f"docs/contracts.md does not name {missing} as secrets"


@pytest.mark.parametrize(
    "field",
    [f for f in form.fields() if f.choices or f.kind == "security"],
    ids=lambda field: str(field.path),
)
def test_every_choice_is_in_its_row(field: form.Field) -> None:
    rows = field_table()
    row = rows[field.path]
    if "as for POP3" in row:
        row = rows[field.path.replace("smtp.", "pop3.", 1)]
    values = SECURITY_CHOICES if field.kind == "security" else [v for v, _ in field.choices]
    missing = [value for value in values if f"`{value}`" not in row]
    assert not missing, f"{field.path}: docs/contracts.md lacks {missing}"


def commands() -> dict[str, list[str]]:
    """Each command of the parser → its actions (``operators add|list|remove``)."""

    def choices(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                return dict(action.choices)
        return {}

    return {name: list(choices(sub)) for name, sub in choices(build_parser()).items()}


def test_every_command_of_the_parser_is_in_the_command_list() -> None:
    listed: dict[str, set[str]] = {}
    for snippet in TICKED.findall(section("Command line")):
        name, _, rest = snippet.partition(" ")
        listed.setdefault(name, set()).update(rest.split(" ")[0].split("|") if rest else ())
    for name, actions in commands().items():
        assert name in listed, f"docs/contracts.md does not list the command {name}"
        missing = set(actions) - listed[name]
        assert not missing, f"docs/contracts.md lacks {name} {sorted(missing)}"
