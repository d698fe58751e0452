"""A process saving accounts with secrets is killed with SIGKILL at random
moments, 200 times. The store stays intact, every account is a whole old or
new version whose secret matches it, and store and keyring agree once the
next start has cleaned up.

Write ordering that makes this true (docs/architecture.md, "Saving with
secrets"): new key into the store's trash under the save's owner lock →
secret written under the new key → commit (new reference; the new key leaves
the trash, the replaced key enters it) → replaced key removed from the
keyring, then from the trash. Every start removes what the trash lists once
nothing can commit it (the killed saver's lock is gone with it).
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from keyring.backend import KeyringBackend

from mailaccounts.keyring.backend import KeyringSecrets
from mailaccounts.keyring.refs import item_key
from mailaccounts.model.secret import Secret
from mailaccounts.services.accounts import AccountService
from mailaccounts.store.sqlite import SqliteStore
from tests.support.accounts import pop3_account
from tests.support.cli import REPO

KILLS = 200
ACCOUNTS = 4


def keyring_usernames(service_name: str) -> set[str]:
    import secretstorage

    connection = secretstorage.dbus_init()
    try:
        collection = secretstorage.get_default_collection(connection)
        return {
            item.get_attributes()["username"]
            for item in collection.search_items({"service": service_name})
        }
    finally:
        connection.close()


def check_accounts(store_path: Path, backend: Any) -> dict[str, int]:
    """Every account: a whole version, and its stored secret is that version's."""
    with sqlite3.connect(store_path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    store = SqliteStore(store_path)
    secrets = KeyringSecrets(store.store_id, backend)
    versions = {}
    try:
        for stored in store.all_accounts():
            account = int(stored.number) - 1000
            address = stored.data["address"]
            version = int(address.split(".v", 1)[1].split("@", 1)[0])
            secret = secrets.get(stored.secret_refs["pop3"])
            assert secret is not None, f"the secret of {stored.number} vanished"
            assert secret.reveal() == f"pw-{account}-v{version}", (stored.number, version)
            versions[stored.number] = version
    finally:
        store.close()
    return versions


@pytest.mark.soak
def test_two_hundred_kills(secret_service: KeyringBackend, tmp_path: Path) -> None:
    store_path = tmp_path / "store" / "accounts.sqlite3"
    store = SqliteStore(store_path)
    store.directory_add("operator", "ADM", "")
    service = AccountService(store, KeyringSecrets(store.store_id, secret_service))
    for account in range(ACCOUNTS):
        data = pop3_account(f"{1000 + account}", address=f"acct{account}.v0@mustermann.de")
        service.create(data, {"pop3": Secret(f"pw-{account}-v0")})
    service_name = service.secrets.service
    store.close()

    rng = random.Random(20261128)
    env = {**os.environ, "PYTHONPATH": f"{REPO}:{REPO / 'src'}"}
    saves_seen = 0
    interrupted = {"trash left": 0, "keyring ahead of store": 0}
    before = {f"{1000 + a}": 0 for a in range(ACCOUNTS)}
    for kill in range(KILLS):
        child = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.support.crash_worker",
                str(store_path),
                str(ACCOUNTS),
                str(kill),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            cwd=REPO,
        )
        assert child.stdout is not None
        ready = child.stdout.readline()
        assert ready == b"ready\n", child.stderr.read() if child.stderr else b""
        time.sleep(rng.uniform(0.0, 0.35))
        child.send_signal(signal.SIGKILL)
        child.wait()
        child.stdout.close()
        if child.stderr is not None:
            child.stderr.close()
        store = SqliteStore(store_path)
        trash = set(store.trash_keys())
        referenced = {item_key(ref) for s in store.all_accounts() for ref in s.secret_refs.values()}
        store.close()
        extra = keyring_usernames(service_name) - referenced
        assert extra <= trash  # an entry the store does not reference is always in the trash
        interrupted["trash left"] += bool(trash)
        interrupted["keyring ahead of store"] += bool(extra)
        if kill % 20 == 19 or kill == KILLS - 1:
            versions = check_accounts(store_path, secret_service)
            assert all(versions[n] >= before[n] for n in versions)  # never back in time
            saves_seen += sum(versions.values()) - sum(before.values())
            before = versions

    # before the clean-up: whatever the keyring holds beyond the store is in the trash
    store = SqliteStore(store_path)
    referenced = {item_key(ref) for s in store.all_accounts() for ref in s.secret_refs.values()}
    in_keyring = keyring_usernames(service_name)
    assert referenced <= in_keyring
    assert in_keyring - referenced <= set(store.trash_keys())
    leftovers = len(in_keyring - referenced)
    # the clean-up every start does
    AccountService(store, KeyringSecrets(store.store_id, secret_service)).purge_trash()
    assert keyring_usernames(service_name) == referenced
    assert store.trash_keys() == []
    store.close()
    assert saves_seen > KILLS  # the kills hit a loop that really saved
    assert interrupted["trash left"] > 0  # kills did land between the steps
    report = {"kills": KILLS, "saves": saves_seen, "leftovers_at_end": leftovers, **interrupted}
    print("crash safety:", json.dumps(report))
