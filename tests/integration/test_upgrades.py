"""Upgrades never hurt: stores, keyring entries and exports written by every
earlier release open with this one, unchanged (see tests/fixtures/releases)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from tests.support.cli import run_cli
from tests.support.keyrings import MemoryKeyring

RELEASES = Path(__file__).resolve().parents[1] / "fixtures" / "releases"
FOLDERS = sorted(p for p in RELEASES.iterdir() if (p / "accounts.sqlite3").exists())


@pytest.fixture(params=FOLDERS, ids=lambda p: p.name)
def release(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, MemoryKeyring, Path]:
    folder: Path = request.param
    store, keyring = in_place(folder, tmp_path)
    return store, keyring, folder


def in_place(folder: Path, tmp_path: Path) -> tuple[Path, MemoryKeyring]:
    """The release's store as if it had never moved, with its keyring entries.
    From 0.2.0 on a store records the inode of its file and treats itself as
    a copy in another file (docs/architecture.md, "A copied store"); the
    fixture stands for the original, so the record follows it here."""
    store = tmp_path / "accounts.sqlite3"
    shutil.copyfile(folder / "accounts.sqlite3", store)
    store.chmod(0o600)
    with closing(sqlite3.connect(store)) as db, db:
        db.execute(
            "UPDATE meta SET value = ? WHERE key = 'home_inode'", (str(store.stat().st_ino),)
        )
    keyring = MemoryKeyring()
    for entry in json.loads((folder / "keyring.json").read_text(encoding="utf-8")):
        keyring.entries[(entry["service"], entry["username"])] = entry["password"]
    return store, keyring


def numbers(folder: Path) -> list[str]:
    export = json.loads((folder / "export.json").read_text(encoding="utf-8"))
    return [account["number"] for account in export["accounts"]]


def with_new_defaults(export: dict[str, Any]) -> dict[str, Any]:
    """An export of an earlier release as this one writes it: every account
    with the defaults of the fields added since."""
    from mailaccounts.model.upgrade import upgrade

    return {**export, "accounts": [upgrade(a, 1) for a in export["accounts"]]}


def test_an_old_store_opens_shows_and_exports_unchanged(
    release: tuple[Path, MemoryKeyring, Path],
) -> None:
    store, keyring, folder = release
    written = json.loads((folder / "export.json").read_text(encoding="utf-8"))
    old_export = with_new_defaults(written)
    assert old_export["accounts"][0]["fetch"]["enabled"] is True  # a field added since 0.1.0
    listed = run_cli(store, "list", keyring=keyring)
    assert listed.code == 0, listed.err
    assert all(a["number"] in listed.out for a in old_export["accounts"])
    exported = run_cli(store, "export", keyring=keyring)
    assert exported.code == 0, exported.err
    assert json.loads(exported.out) == old_export
    for account in old_export["accounts"]:
        shown = json.loads(run_cli(store, "show", account["number"], "--json", keyring=keyring).out)
        assert shown.pop("status") is None or folder.name >= "0.2.0"  # no fetching before
        assert shown == account
    text = run_cli(store, "show", "1000", keyring=keyring).out
    assert "pop3.password: stored in the keyring" in text


def test_an_old_account_edits_saves_and_deletes_with_its_old_secrets(
    release: tuple[Path, MemoryKeyring, Path],
) -> None:
    store, keyring, folder = release
    before = json.loads(run_cli(store, "show", "1000", "--json", keyring=keyring).out)
    old_keys = set(keyring.entries)
    edited = run_cli(store, "edit", "1000", "--pop3-server", "pop2.mustermann.de", keyring=keyring)
    assert edited.code == 0, edited.err
    after = json.loads(run_cli(store, "show", "1000", "--json", keyring=keyring).out)
    assert after == {**before, "pop3": {**before["pop3"], "server": "pop2.mustermann.de"}}
    assert set(keyring.entries) == old_keys  # an unrelated edit keeps the secrets
    replaced = run_cli(store, "edit", "1000", "--password", "smtp", stdin="neu\n", keyring=keyring)
    assert replaced.code == 0, replaced.err
    assert "smtp-alt" not in keyring.values() and "neu" in keyring.values()
    for number in numbers(folder):
        assert run_cli(store, "delete", number, "--yes", keyring=keyring).code == 0
    assert keyring.entries == {}  # every old entry found and removed with its account


def test_an_old_export_imports(release: tuple[Path, MemoryKeyring, Path], tmp_path: Path) -> None:
    _, _, folder = release
    keyring = MemoryKeyring()
    fresh = tmp_path / "fresh.sqlite3"
    imported = run_cli(fresh, "import", str(folder / "export.json"), keyring=keyring)
    assert imported.code == 0, imported.err
    again = json.loads(run_cli(fresh, "export", keyring=keyring).out)
    assert again == with_new_defaults(json.loads((folder / "export.json").read_text("utf-8")))


def test_old_accounts_open_in_the_dialog_and_save_unchanged(
    release: tuple[Path, MemoryKeyring, Path], qtbot: QtBot
) -> None:
    from mailaccounts.gui.account_dialog import AccountDialog
    from mailaccounts.gui.window_context import GuiContext
    from mailaccounts.store.sqlite import SqliteStore

    store, keyring, folder = release
    entries = dict(keyring.entries)
    ctx = GuiContext.open(store, keyring)
    try:
        for number in numbers(folder):
            before = SqliteStore(store).get(number)
            assert before is not None
            dialog = AccountDialog(ctx, ctx.service.find(number))
            qtbot.addWidget(dialog)
            dialog.show()
            assert not dialog.is_dirty(), number
            with qtbot.waitSignal(dialog.saved, timeout=5000):
                dialog.save()
            after = SqliteStore(store).get(number)
            assert after is not None
            expected = with_new_defaults({"accounts": [before.data]})["accounts"][0]
            assert (after.data, after.secret_refs) == (expected, before.secret_refs)
            assert after.revision == before.revision + 1
    finally:
        ctx.close()
    assert keyring.entries == entries


def old_releases_since(first: str) -> list[Path]:
    return [folder for folder in FOLDERS if folder.name >= first]


@pytest.mark.parametrize("folder", old_releases_since("0.2.0"), ids=lambda p: p.name)
def test_an_old_fetch_history_and_oauth2_grant_are_kept(folder: Path, tmp_path: Path) -> None:
    """What was fetched stays fetched (no message comes twice), a switched-off
    account stays off with its reason, and a sign-in stays signed in."""
    from mailaccounts.fetch.account_run import mailbox_of
    from mailaccounts.services.app_context import AppContext
    from mailaccounts.store.sqlite import SqliteStore

    store, keyring = in_place(folder, tmp_path)
    opened = SqliteStore(store)
    try:
        account = opened.get("1000")
        assert account is not None
        with opened.fetch_listing("1000", mailbox_of(account.data)) as listing:
            assert listing.was_delivered("UID-1") and listing.was_delivered("UID-2")
            assert not listing.was_delivered("UID-3")
        ok, off = opened.fetch_status("1000"), opened.fetch_status("1001")
        assert ok is not None and ok.ok and ok.fetched == 2
        assert off is not None and off.failures == 10 and "auth_rejected" in off.disabled_reason
        # the list knows which accounts' fetching is off (a column since schema 3)
        assert {s.number: s.fetch_on for s in opened.summaries()} == {
            "1000": 1,
            "1001": 0,  # after failed runs
            "1002": 0,  # by hand
            "2000": 1,
        }
    finally:
        opened.close()
    shown = json.loads(run_cli(store, "show", "1001", "--json", keyring=keyring).out)
    assert shown["fetch"]["enabled"] is False
    assert shown["status"]["consecutive_failures"] == 10 and shown["status"]["switched_off"]
    service = AppContext(store, keyring).open_service()
    try:
        grant = service.grant(service.load("1002").secret_refs)
    finally:
        service.close()
    assert grant is not None and grant.refresh_token == "refresh-Ü-0.2.0"
    assert grant.user == "einkauf@mustermann.de"
