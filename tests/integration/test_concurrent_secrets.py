"""D1 as it was seen: an import with passwords in one shell while another
shell adds accounts (each add purges the trash), against the real Secret
Service. Every imported password must still be there afterwards."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from keyring.backend import KeyringBackend

from mailaccounts.keyring.backend import KeyringSecrets
from mailaccounts.store.sqlite import SqliteStore
from tests.support.accounts import pop3_account
from tests.support.cli import REPO, run_cli_process

COUNT = 150


@pytest.mark.soak
def test_adds_during_an_import_lose_no_password(
    secret_service: KeyringBackend, tmp_path: Path
) -> None:
    store = tmp_path / "accounts.sqlite3"
    assert run_cli_process(store, "operators", "add", "ADM").code == 0
    accounts = []
    for n in range(1000, 1000 + COUNT):
        account = pop3_account(str(n))
        account["pop3"]["password"] = f"import-{n}"
        account["smtp"]["auth"]["password"] = f"smtp-{n}"
        accounts.append(account)
    doc = tmp_path / "import.json"
    document = {"format": "mailaccounts-export", "version": 1, "accounts": accounts}
    doc.write_text(json.dumps(document), encoding="utf-8")
    env = {"PYTHONPATH": str(REPO)}
    importing = subprocess.Popen(
        [sys.executable, "-m", "mailaccounts", "--store", str(store), "import", str(doc)],
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    adds = 0
    while importing.poll() is None and adds < 40:  # each add purges the trash first
        account = pop3_account(str(5000 + adds))
        account["pop3"]["password"] = f"add-{adds}"
        added = run_cli_process(store, "add", "--file", "-", stdin=json.dumps(account))
        assert added.code == 0, added.err
        adds += 1
        time.sleep(0.05)
    _, err = importing.communicate(timeout=300)
    assert importing.returncode == 0, err
    assert adds >= 2, "the import ended before a concurrent add could run"

    handle = SqliteStore(store)
    secrets = KeyringSecrets(handle.store_id, secret_service)
    lost = []
    with secrets.session():
        for stored in handle.all_accounts():
            for name in ("pop3", "smtp"):
                if name in stored.secret_refs and secrets.get(stored.secret_refs[name]) is None:
                    lost.append((stored.number, name))
    assert lost == []
    assert len(handle.summaries()) == COUNT + adds
    assert handle.trash_keys() == []
    for stored in handle.all_accounts():  # leave the test keyring as it was
        secrets.delete(stored.secret_refs["pop3"])
        if "smtp" in stored.secret_refs:
            secrets.delete(stored.secret_refs["smtp"])
