"""Importing N accounts with two passwords each against the real Secret
Service, against 2N bare ``keyring.set_password`` calls in the same run.

Runs inside a private keyring (``benchmarks/run.py`` starts it through
``scripts/with-services``) and prints one JSON object.

    scripts/with-services .venv/bin/python benchmarks/keyring_import.py [N] [ROUNDS]
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))


def document(count: int) -> dict[str, object]:
    accounts = []
    for i in range(count):
        accounts.append(
            {
                "number": f"{1000 + i:04d}",
                "address": f"konto{i}@firma.de",
                "pop3": {"server": "pop.firma.de", "username": f"k{i}", "password": f"p-{i}"},
                "smtp": {
                    "separate": True,
                    "server": "smtp.firma.de",
                    "auth": {"required": True, "username": f"k{i}", "password": f"s-{i}"},
                },
                "operators": ["ADM"],
            }
        )
    return {
        "format": "mailaccounts-export",
        "version": 1,
        "operators": [{"code": "ADM", "name": "Admin"}],
        "accounts": accounts,
    }


def bare(backend: object, count: int) -> float:
    service = f"bench-bare/{uuid.uuid4().hex}"
    started = time.perf_counter()
    for i in range(2 * count):
        backend.set_password(service, f"key-{i}", f"secret-{i}")  # type: ignore[attr-defined]
    elapsed = time.perf_counter() - started
    for i in range(2 * count):  # leave the keyring as it was for the next round
        backend.delete_password(service, f"key-{i}")  # type: ignore[attr-defined]
    return elapsed


def ours(backend: object, count: int) -> float:
    from mailaccounts.keyring.backend import KeyringSecrets
    from mailaccounts.services.accounts import AccountService
    from mailaccounts.store.sqlite import SqliteStore

    with tempfile.TemporaryDirectory() as tmp:
        store = SqliteStore(Path(tmp) / "accounts.sqlite3")
        service = AccountService(store, KeyringSecrets(store.store_id, backend))
        doc = document(count)
        started = time.perf_counter()
        service.import_document(doc)
        elapsed = time.perf_counter() - started
        for number in [s.number for s in store.summaries()]:
            service.delete(number)
        store.close()
    return elapsed


def main() -> int:
    from keyring.backends.SecretService import Keyring

    count = int(sys.argv[1]) if len(sys.argv) > 1 else 250
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    backend = Keyring()
    base, mine = [], []
    for round_ in range(rounds):  # alternate the order: the keyring slows as it fills
        pair = [(bare, base), (ours, mine)]
        for fn, samples in pair if round_ % 2 == 0 else reversed(pair):
            samples.append(fn(backend, count))
    print(
        json.dumps(
            {
                "accounts": count,
                "baseline_bare_set_password_2n_s": statistics.median(base),
                "import_s": statistics.median(mine),
                "ratio": statistics.median(mine) / statistics.median(base),
                "target_ratio": 0.5,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
