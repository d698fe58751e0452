"""An account a newer release saved, in a shape this release does not know:
each command that would read it says so, naming both document versions
(exit 1), and the other accounts stay usable. Nothing is changed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.accounts import pop3_account, save_as_newer_release
from tests.support.cli import Result
from tests.support.types import Cli

NEWER = (
    "account 1001 was saved by a newer mailaccounts (document version 2; this one knows "
    "versions up to 1)"
)


@pytest.fixture
def newer(directory: Cli, store_path: Path) -> Cli:
    for number in ("1000", "1001", "1002"):
        added = directory("add", "--file", "-", stdin=json.dumps(pop3_account(number)))
        assert added.code == 0, added.err
    save_as_newer_release(store_path, "1001")
    return directory


def _refused(result: Result) -> None:
    assert result.code == 1, (result.out, result.err)
    assert NEWER in result.err, result.err
    assert "Traceback" not in result.err


@pytest.mark.parametrize(
    "args",
    [
        ["show", "1001"],
        ["show", "1001", "--json"],
        ["edit", "1001", "--pop3-port", "996"],
        ["delete", "1001", "--yes"],
        ["test", "1001"],
        ["fetch", "1001"],
    ],
    ids=lambda args: "-".join(args),
)
def test_reading_the_account_is_refused_and_changes_nothing(
    newer: Cli, store_path: Path, args: list[str]
) -> None:
    before = store_path.read_bytes()
    result = newer(*args)
    _refused(result)
    assert result.out == ""
    assert store_path.read_bytes() == before


def test_the_others_are_still_shown_and_edited(newer: Cli) -> None:
    assert json.loads(newer("show", "1000", "--json").out)["number"] == "1000"
    edited = newer("edit", "1002", "--pop3-port", "996")
    assert edited.code == 0, edited.err


def test_list_lists_the_others_and_names_the_one_it_cannot_read(newer: Cli) -> None:
    listed = newer("list")
    _refused(listed)
    assert "1001" in listed.err and "not listed" in listed.err
    numbers = [line.split()[0] for line in listed.out.splitlines()[1:]]
    assert numbers == ["1000", "1002"]
    as_json = newer("list", "--json")
    _refused(as_json)
    assert [a["number"] for a in json.loads(as_json.out)] == ["1000", "1002"]


def test_export_is_refused_whole_rather_than_incomplete(newer: Cli, tmp_path: Path) -> None:
    exported = newer("export")
    assert exported.code == 1 and exported.out == ""
    assert "not exported: account(s) 1001 (document version 2) were saved by a newer" in (
        exported.err
    )
    target = tmp_path / "export.json"
    to_file = newer("export", "--output", str(target))
    assert to_file.code == 1 and "not exported" in to_file.err
    assert list(tmp_path.iterdir()) == [tmp_path / "data"]


def test_import_does_not_replace_it(newer: Cli, store_path: Path) -> None:
    before = store_path.read_bytes()
    document = {
        "format": "mailaccounts-export",
        "version": 1,
        "operators": [],
        "workgroups": [],
        "accounts": [pop3_account("1001", address="neu@mustermann.de")],
    }
    imported = newer("import", "-", "--replace", stdin=json.dumps(document))
    _refused(imported)
    assert store_path.read_bytes() == before
