"""Codes name inbox folders: none may leave its folder or take a name
Windows reserves. New ones are refused; those of earlier releases keep
working under a mapped folder name."""

from __future__ import annotations

from pathlib import Path

import pytest

from mailaccounts.fetch.maildir import copy_name, folder_name, inbox_path
from mailaccounts.store.sqlite import SqliteStore
from tests.support.cli import run_cli
from tests.support.keyrings import MemoryKeyring

EARLIER = [".", "..", "...", "CON", "nul", "Com1", "lpt9.txt", "aux.", "a.", "_."]


@pytest.mark.parametrize("code", EARLIER)
def test_codes_of_earlier_releases_get_a_folder_of_their_own(code: str, tmp_path: Path) -> None:
    name = folder_name(code)
    assert name.startswith("%") and "/" not in name and not name.endswith(".")
    path = inbox_path(tmp_path, "operator", code)
    assert path.parent == tmp_path / "operators"  # never outside, never the folder itself
    assert path.resolve().is_relative_to((tmp_path / "operators").resolve())


def test_ordinary_codes_keep_their_spelling_and_no_two_share_a_folder() -> None:
    assert [folder_name(c) for c in ("ADM", "vertrieb", "A.B", "x-1", "_x")] == [
        "ADM",
        "vertrieb",
        "A.B",
        "x-1",
        "_x",
    ]
    mapped = {folder_name(c) for c in [*EARLIER, "ADM", "%CON", "CON"]}
    assert len(mapped) == len(set(EARLIER)) + 2  # "CON" twice is one code


def test_copy_names_are_stable_and_valid_everywhere(tmp_path: Path) -> None:
    inbox = inbox_path(tmp_path, "operator", "ADM")
    name = copy_name("pop.example.com/info", "UID-1", inbox)
    assert name == copy_name("pop.example.com/info", "UID-1", inbox)
    assert name != copy_name("pop.example.com/info", "UID-1", inbox_path(tmp_path, "operator", "X"))
    assert all(ch.isalnum() or ch == "." for ch in name) and ":" not in name


@pytest.mark.parametrize("code", ["CON", "nul", ".", "..", "a.", "LPT1.log"])
def test_new_codes_that_cannot_name_a_folder_are_refused(tmp_path: Path, code: str) -> None:
    result = run_cli(tmp_path / "s.sqlite3", "operators", "add", code, keyring=MemoryKeyring())
    assert result.code == 2
    assert "cannot name an inbox folder" in result.err or "not a valid code" in result.err


def test_an_account_with_such_a_code_from_an_earlier_release_still_saves(tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite3"
    SqliteStore(store).directory_add("operator", "CON", "from release 0.1.0")
    keyring = MemoryKeyring()
    added = run_cli(
        store, "add", "--number", "1000", "--address", "a@b.de", "--pop3-server", "pop.b.de",
        "--pop3-username", "u", "--operators", "CON", keyring=keyring,
    )  # fmt: skip
    assert added.code == 0, added.err
    assert run_cli(store, "edit", "1000", "--address", "c@b.de", keyring=keyring).code == 0
