"""D7, D8, D13: a copied or restored store never removes the original's
secrets; an operator removed during a save stops it; new stores are private
however they come to be."""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path

import pytest

from mailaccounts.keyring.backend import KeyringSecrets
from mailaccounts.model.secret import Secret
from mailaccounts.services.accounts import AccountService
from mailaccounts.services.documents import dumps
from mailaccounts.store import CodeGone
from mailaccounts.store.sqlite import SqliteStore
from tests.support.accounts import pop3_account
from tests.support.cli import run_cli
from tests.support.keyrings import MemoryKeyring


def service_on(path: Path, backend: MemoryKeyring) -> AccountService:
    store = SqliteStore(path)
    if not store.directory("operator"):
        store.directory_add("operator", "ADM", "")
    return AccountService(store, KeyringSecrets(store.store_id, backend))


def test_a_copy_never_removes_the_originals_secrets(tmp_path: Path) -> None:
    backend = MemoryKeyring()
    original_path, copy_path = tmp_path / "prod.sqlite3", tmp_path / "test.sqlite3"
    original = service_on(original_path, backend)
    original.create(pop3_account(), {"pop3": Secret("prod-pw")})
    original.store.close()
    shutil.copyfile(original_path, copy_path)

    copy = service_on(copy_path, backend)
    assert copy.store.store_id != SqliteStore(original_path).store_id
    assert copy.secret_states(copy.load("1000")) == {"pop3": "stored"}  # still readable
    stored = copy.load("1000")
    copy.update("1000", stored.data, stored.revision, {"pop3": Secret("test-pw")})
    copy.delete("1000")
    assert backend.values() == ["prod-pw"]  # the copy's own secret went, the original's stays
    original = service_on(original_path, backend)
    assert original.secret_states(original.load("1000")) == {"pop3": "stored"}
    original.delete("1000")
    assert backend.entries == {}


def test_a_restored_backup_reports_dangling_references(tmp_path: Path) -> None:
    backend = MemoryKeyring()
    path, backup = tmp_path / "accounts.sqlite3", tmp_path / "backup.sqlite3"
    service = service_on(path, backend)
    first = service.create(pop3_account(), {"pop3": Secret("alt")}).stored
    service.store.close()
    shutil.copyfile(path, backup)
    service = service_on(path, backend)
    service.update("1000", first.data, first.revision, {"pop3": Secret("neu")})
    service.store.close()
    os.replace(backup, path)  # the admin restores last week's backup

    shown = run_cli(path, "show", "1000", keyring=backend)
    assert "pop3.password: missing from the keyring: enter it again" in shown.out
    assert run_cli(path, "delete", "1000", "--yes", keyring=backend).code == 0
    assert backend.values() == ["neu"]  # the restore removes nothing it did not write


def test_a_moved_store_keeps_its_identity_and_secrets(tmp_path: Path) -> None:
    backend = MemoryKeyring()
    service = service_on(tmp_path / "a.sqlite3", backend)
    service.create(pop3_account(), {"pop3": Secret("pw")})
    identity = service.store.store_id
    service.store.close()
    (tmp_path / "a.sqlite3").rename(tmp_path / "b.sqlite3")
    moved = service_on(tmp_path / "b.sqlite3", backend)
    assert moved.store.store_id == identity
    moved.delete("1000")
    assert backend.entries == {}


class RemovingKeyring(MemoryKeyring):
    """Another admin removes the operator while the import writes passwords."""

    def __init__(self, store_path: Path) -> None:
        super().__init__()
        self.store_path = store_path

    def set_password(self, service: str, username: str, password: str) -> None:
        super().set_password(service, username, password)
        if self.calls["set"] == 1:
            SqliteStore(self.store_path).directory_remove("operator", "MUE")


def test_an_operator_removed_during_an_import_stops_it(store_path: Path, tmp_path: Path) -> None:
    backend = RemovingKeyring(store_path)
    service = service_on(store_path, backend)
    service.directory_add("operator", "MUE", "Müller")
    accounts = [pop3_account(str(n), operators=["MUE"]) for n in range(1000, 1003)]
    for account in accounts:
        account["pop3"]["password"] = "pw"
    doc = {"format": "mailaccounts-export", "version": 1, "accounts": accounts}
    with pytest.raises(CodeGone, match="operator MUE is no longer in the directory"):
        service.import_document(doc)
    assert service.store.summaries() == []
    assert backend.entries == {}  # the passwords written before the refusal are gone again
    # and through the CLI: exit 1, nothing changed
    source = tmp_path / "import.json"
    source.write_text(json.dumps(doc), encoding="utf-8")
    service.directory_add("operator", "MUE", "Müller")
    backend.calls.clear()
    result = run_cli(store_path, "import", str(source), keyring=backend)
    assert result.code == 1 and "no longer in the directory" in result.err
    assert "nothing was changed" in result.err


def test_a_store_through_a_dangling_symlink_is_private(tmp_path: Path) -> None:
    target = tmp_path / "real" / "accounts.sqlite3"
    target.parent.mkdir(mode=0o755)
    link = tmp_path / "link.sqlite3"
    link.symlink_to(target)
    store = SqliteStore(link)
    store.directory_add("operator", "ADM", "")
    for path in (target, target.with_name(target.name + "-wal")):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_an_adopted_empty_file_becomes_private(tmp_path: Path) -> None:
    path = tmp_path / "accounts.sqlite3"
    path.touch(mode=0o644)
    os.chmod(path, 0o644)
    store = SqliteStore(path)
    store.directory_add("operator", "ADM", "")
    for each in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        assert stat.S_IMODE(each.stat().st_mode) == 0o600, each


@pytest.mark.parametrize("count", [0, 1, 3])
def test_streamed_export_and_list_equal_the_documents(store_path: Path, count: int) -> None:
    backend = MemoryKeyring()
    service = service_on(store_path, backend)
    for n in range(count):
        service.create(pop3_account(str(1000 + n), address=f"ä{n}@example.com"))
    assert "".join(service.export_chunks()) == dumps(service.export_document())
    listed = run_cli(store_path, "list", "--json", keyring=backend).out
    assert listed == dumps(list(service.accounts()))
    assert json.loads(listed) == service.export_document()["accounts"]
