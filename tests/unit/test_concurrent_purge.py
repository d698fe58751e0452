"""D1: a purge in another process or thread never removes a keyring key that a
live save can still commit; a missing referenced secret is reported."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from mailaccounts.keyring.backend import KeyringSecrets
from mailaccounts.model.secret import Secret
from mailaccounts.services.accounts import AccountService
from mailaccounts.store.sqlite import SqliteStore
from tests.support.accounts import pop3_account
from tests.support.cli import run_cli
from tests.support.keyrings import MemoryKeyring


class InterleavingKeyring(MemoryKeyring):
    """Runs *between* once, in the middle of a save's keyring phase: after the
    first secret is written and before the account commits."""

    def __init__(self) -> None:
        super().__init__()
        self.between: Callable[[], object] | None = None

    def set_password(self, service: str, username: str, password: str) -> None:
        super().set_password(service, username, password)
        if self.between is not None:
            between, self.between = self.between, None
            between()


def service_on(path: Path, backend: MemoryKeyring) -> AccountService:
    store = SqliteStore(path)
    if not store.directory("operator"):
        store.directory_add("operator", "ADM", "")
    return AccountService(store, KeyringSecrets(store.store_id, backend))


def test_a_purge_during_a_save_keeps_the_new_password(store_path: Path) -> None:
    backend = InterleavingKeyring()
    saving = service_on(store_path, backend)
    other = service_on(store_path, backend)  # another process, or the window's start-up
    backend.between = other.purge_trash
    stored = saving.create(pop3_account(), {"pop3": Secret("neu-1"), "smtp": Secret("neu-2")})
    refs = stored.stored.secret_refs
    assert saving.secrets.get(refs["pop3"]) == Secret("neu-1")
    assert saving.secrets.get(refs["smtp"]) == Secret("neu-2")


def test_a_purge_during_an_edit_keeps_the_new_password(store_path: Path) -> None:
    backend = InterleavingKeyring()
    saving = service_on(store_path, backend)
    first = saving.create(pop3_account(), {"pop3": Secret("alt")}).stored
    backend.between = service_on(store_path, backend).purge_trash
    second = saving.update("1000", first.data, first.revision, {"pop3": Secret("neu")}).stored
    assert saving.secrets.get(second.secret_refs["pop3"]) == Secret("neu")
    assert backend.values() == ["neu"]  # the replaced one is gone, the new one kept


def test_a_purge_during_an_import_keeps_every_password(store_path: Path, tmp_path: Path) -> None:
    backend = InterleavingKeyring()
    importing = service_on(store_path, backend)
    backend.between = service_on(store_path, backend).purge_trash
    accounts = []
    for n in range(1000, 1020):
        account = pop3_account(str(n))
        account["pop3"]["password"] = f"pw-{n}"
        accounts.append(account)
    doc = {"format": "mailaccounts-export", "version": 1, "accounts": accounts}
    importing.import_document(doc)
    for stored in importing.store.all_accounts():
        number = stored.number
        assert importing.secrets.get(stored.secret_refs["pop3"]) == Secret(f"pw-{number}")


def test_keys_of_a_save_that_died_are_purged(store_path: Path) -> None:
    """A save killed after writing the keyring leaves its keys to the purge."""
    backend = MemoryKeyring()
    service = service_on(store_path, backend)
    with service.store.pending_keys(["1000/pop3/dead"]):
        backend.set_password(service.secrets.service, "1000/pop3/dead", "orphan")
        # the process dies here: its lock goes with it (simulated by leaving)
    assert service.store.removable_trash() == ["1000/pop3/dead"]
    service.purge_trash()
    assert backend.entries == {}


def test_a_missing_referenced_password_is_reported(store_path: Path) -> None:
    backend = MemoryKeyring()
    service = service_on(store_path, backend)
    service.create(pop3_account(), {"pop3": Secret("pw")})
    backend.entries.clear()  # removed behind our back
    shown = run_cli(store_path, "show", "1000", keyring=backend)
    assert shown.code == 0
    assert "pop3.password: missing from the keyring" in shown.out
    assert "stored in the keyring" not in shown.out.split("pop3.password:")[1].splitlines()[0]


def test_a_purge_stops_at_the_first_locked_keyring(store_path: Path) -> None:
    """D12: 2,083 leftover keys against a locked keyring took 111 s, one
    refusal after another; the first refusal now ends the purge."""
    from tests.support.keyrings import LockedKeyring

    backend = LockedKeyring()
    service = service_on(store_path, backend)
    with service.store.pending_keys([f"1000/secrets/{n:04d}" for n in range(500)]):
        pass  # a save that died and left 500 keys to remove
    problem = service.purge_trash()
    assert "keyring is locked" in problem
    assert sum(backend.calls.values()) == 1
    assert len(service.store.trash_keys()) == 500  # still there for the next purge


def test_an_import_shows_its_progress_on_a_terminal(store_path: Path, tmp_path: Path) -> None:
    import io
    import json

    from mailaccounts.cli import main

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    accounts = []
    for n in range(1000, 1005):
        account = pop3_account(str(n))
        account["pop3"]["password"] = f"pw-{n}"
        accounts.append(account)
    doc = tmp_path / "import.json"
    document = {"format": "mailaccounts-export", "version": 1, "accounts": accounts}
    document["operators"] = [{"code": "ADM", "name": ""}]
    doc.write_text(json.dumps(document), encoding="utf-8")
    stderr = Terminal()
    code = main(
        ["--store", str(store_path), "import", str(doc)],
        stdout=io.StringIO(),
        stderr=stderr,
        keyring_backend=MemoryKeyring(),
    )
    assert code == 0
    assert "\rwriting passwords to the keyring: 5/5" in stderr.getvalue()
