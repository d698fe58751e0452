"""Saves accounts with new passwords in an endless loop until it is killed.

Version n of account i has the address ``acct{i}.v{n}@mustermann.de`` and the
POP3 password ``pw-{i}-v{n}``, so a check can tell whether data and secret
belong together. Started by tests/integration/test_crash_safety.py.
"""

from __future__ import annotations

import random
import sys

from mailaccounts.keyring.backend import KeyringSecrets
from mailaccounts.model.secret import Secret
from mailaccounts.services.accounts import AccountService
from mailaccounts.store import ConflictError
from mailaccounts.store.sqlite import SqliteStore


def version(address: str) -> int:
    return int(address.split(".v", 1)[1].split("@", 1)[0])


def main() -> None:
    store = SqliteStore(sys.argv[1], timeout=30)
    count, seed = int(sys.argv[2]), int(sys.argv[3])
    service = AccountService(store, KeyringSecrets(store.store_id))
    service.purge_trash()  # what every start does: leftovers of the last crash
    import mailaccounts.model.validation  # noqa: F401 - loaded now, so kills hit saves

    assert service.secrets.status().usable
    rng = random.Random(seed)
    print("ready", flush=True)
    while True:
        number = f"{1000 + rng.randrange(count)}"
        current = service.load(number)
        account = int(number) - 1000
        new = version(current.data["address"]) + 1
        data = {**current.data, "address": f"acct{account}.v{new}@mustermann.de"}
        try:
            service.update(number, data, current.revision, {"pop3": Secret(f"pw-{account}-v{new}")})
        except ConflictError:
            continue


if __name__ == "__main__":
    main()
