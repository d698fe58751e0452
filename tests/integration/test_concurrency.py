"""Two processes editing one account on one store: conflicts are reported,
no update is lost."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.support.accounts import pop3_account
from tests.support.cli import REPO, run_cli
from tests.support.keyrings import MemoryKeyring

WORKER = r"""
import json, sys
from mailaccounts.keyring.backend import KeyringSecrets
from mailaccounts.services.accounts import AccountService
from mailaccounts.store import ConflictError, StoreError
from mailaccounts.store.sqlite import SqliteStore
from tests.support.keyrings import MemoryKeyring

store = SqliteStore(sys.argv[1], timeout=30)
service = AccountService(store, KeyringSecrets(store.store_id, MemoryKeyring()))
name, rounds = sys.argv[2], int(sys.argv[3])
saved = conflicts = 0
done = 0
while done < rounds:
    current = service.load("1000")
    data = json.loads(json.dumps(current.data))
    # append this worker's mark: a lost update would lose a mark
    marks = data["pop3"]["username"].split(",") if data["pop3"]["username"] else []
    data["pop3"]["username"] = ",".join([*marks[-20:], f"{name}{done}"])
    data["smtp"]["server_name"] = ""
    try:
        service.update("1000", data, current.revision)
        saved += 1
        done += 1
    except ConflictError:
        conflicts += 1
print(json.dumps({"saved": saved, "conflicts": conflicts}))
"""


def test_two_processes_no_lost_update(store_path: Path, memory_keyring: MemoryKeyring) -> None:
    assert run_cli(store_path, "operators", "add", "ADM", keyring=memory_keyring).code == 0
    data = {**pop3_account("1000"), "pop3": {**pop3_account()["pop3"], "username": "start"}}
    assert (
        run_cli(
            store_path, "add", "--file", "-", stdin=json.dumps(data), keyring=memory_keyring
        ).code
        == 0
    )
    rounds = 60
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(store_path), name, str(rounds)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={"PYTHONPATH": f"{REPO}:{REPO / 'src'}", "PATH": "/usr/bin"},
        )
        for name in ("a", "b")
    ]
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        results.append(json.loads(out))
    assert [r["saved"] for r in results] == [rounds, rounds]
    from mailaccounts.store.sqlite import SqliteStore

    stored = SqliteStore(store_path).get("1000")
    assert stored is not None
    assert stored.revision == 1 + 2 * rounds  # every save counted once: none overwritten
    marks = stored.data["pop3"]["username"].split(",")
    assert f"a{rounds - 1}" in marks or f"b{rounds - 1}" in marks
    print("conflicts seen:", [r["conflicts"] for r in results])
