"""Keyring backends for tests. Importable by subprocesses through
``PYTHON_KEYRING_BACKEND=tests.support.keyrings.<Name>``."""

from __future__ import annotations

import json
import threading
from collections import Counter

from keyring.backend import KeyringBackend
from keyring.errors import KeyringLocked, PasswordDeleteError, PasswordSetError


class MemoryKeyring(KeyringBackend):
    """An in-memory keyring that counts its calls."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}
        self.calls: Counter[str] = Counter()

    def get_password(self, service: str, username: str) -> str | None:
        self.calls["get"] += 1
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.calls["set"] += 1
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.calls["delete"] += 1
        if (service, username) not in self.entries:
            raise PasswordDeleteError("not found")
        del self.entries[(service, username)]

    def values(self) -> list[str]:
        """The secrets held, with the entries that bundle several secrets of
        an account (a JSON object) unpacked."""
        found: list[str] = []
        for value in self.entries.values():
            try:
                bundle = json.loads(value)
            except ValueError:
                bundle = None
            found.extend(bundle.values() if isinstance(bundle, dict) else [value])
        return found


class RaisingKeyring(MemoryKeyring):
    """Reads work; every write fails, as a broken or read-only backend would."""

    def set_password(self, service: str, username: str, password: str) -> None:
        self.calls["set"] += 1
        raise PasswordSetError(f"write refused for {password}")


class FailSecondWriteKeyring(MemoryKeyring):
    """The first write works, the second fails: a save must undo the first."""

    def set_password(self, service: str, username: str, password: str) -> None:
        if self.calls["set"] >= 1:
            self.calls["set"] += 1
            raise PasswordSetError("disk full")
        super().set_password(service, username, password)


class LockedKeyring(MemoryKeyring):
    """A collection the user did not unlock."""

    def set_password(self, service: str, username: str, password: str) -> None:
        self.calls["set"] += 1
        raise KeyringLocked("Failed to unlock the collection!")

    def get_password(self, service: str, username: str) -> str | None:
        self.calls["get"] += 1
        raise KeyringLocked("Failed to unlock the collection!")

    def delete_password(self, service: str, username: str) -> None:
        self.calls["delete"] += 1
        raise KeyringLocked("Failed to unlock the collection!")


class SlowKeyring(MemoryKeyring):
    """Every call takes ``delay`` seconds (a D-Bus service that hangs), and
    records which thread called."""

    def __init__(self, delay: float = 2.0) -> None:
        super().__init__()
        self.delay = delay
        self.threads: list[str] = []

    def _wait(self) -> None:
        import threading
        import time

        self.threads.append(threading.current_thread().name)
        time.sleep(self.delay)

    def get_password(self, service: str, username: str) -> str | None:
        self._wait()
        return super().get_password(service, username)

    def set_password(self, service: str, username: str, password: str) -> None:
        self._wait()
        super().set_password(service, username, password)

    def delete_password(self, service: str, username: str) -> None:
        self._wait()
        super().delete_password(service, username)


def read_secret(backend: object, store_id: str, ref: str) -> str | None:
    """The secret a store's reference points to, as the program reads it."""
    from mailaccounts.keyring.backend import KeyringSecrets

    found = KeyringSecrets(store_id, backend).get(ref)
    return None if found is None else found.reveal()


class WindowsSizedKeyring(MemoryKeyring):
    """Refuses what Windows' Credential Manager refuses: more than 2,560
    bytes per credential, the password stored as UTF-16 (keyring 25.x does
    not split; Windows says "The stub received bad data")."""

    LIMIT = 2560

    def set_password(self, service: str, username: str, password: str) -> None:
        if len(password.encode("utf-16-le")) > self.LIMIT:
            self.calls["set"] += 1
            raise PasswordSetError("The stub received bad data.")
        super().set_password(service, username, password)


class FileKeyring(MemoryKeyring):
    """A keyring in a JSON file, so that a test and the ``mailaccounts``
    processes it starts share the entries: the file is the one given, or
    ``$MAILACCOUNTS_TEST_KEYRING_FILE`` when keyring makes the backend itself
    (``PYTHON_KEYRING_BACKEND=tests.support.keyrings.FileKeyring``; the
    program uses it only when ``MAILACCOUNTS_TRUST_KEYRING_BACKEND`` names
    it). Writes replace the file whole; one writer at a time."""

    ENV = "MAILACCOUNTS_TEST_KEYRING_FILE"

    def __init__(self, path: str | None = None) -> None:
        import os
        from pathlib import Path

        super().__init__()
        # keyring makes one of every backend class it knows when it looks for
        # the best: without a file this one stays empty
        self.path = Path(path or os.environ.get(self.ENV, os.devnull))

    def _load(self) -> dict[tuple[str, str], str]:
        try:
            stored = json.loads(self.path.read_text(encoding="utf-8") or "[]")
        except FileNotFoundError:
            return {}
        return {(service, username): value for service, username, value in stored}

    def _save(self) -> None:
        import os

        temp = self.path.with_name(self.path.name + ".tmp")
        rows = [[service, username, value] for (service, username), value in self.entries.items()]
        temp.write_text(json.dumps(rows), encoding="utf-8")
        os.replace(temp, self.path)

    def get_password(self, service: str, username: str) -> str | None:
        self.entries = self._load()
        return super().get_password(service, username)

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries = self._load()
        super().set_password(service, username, password)
        self._save()

    def delete_password(self, service: str, username: str) -> None:
        self.entries = self._load()
        super().delete_password(service, username)
        self._save()


class ThreadRecordingKeyring(MemoryKeyring):
    """A MemoryKeyring that records which thread read each secret."""

    def __init__(self) -> None:
        super().__init__()
        self.read_threads: list[str] = []

    def get_password(self, service: str, username: str) -> str | None:
        self.read_threads.append(threading.current_thread().name)
        return super().get_password(service, username)
