"""The SQLite store's leases (base.Lease): locks beside the store file (in
``<store file>.locks/``) that die with their process.

The operating system releases such a lock when its process ends, however it
ends (SIGKILL included), so a lock that can be taken proves that its holder
is gone. The store uses one per running save: its keyring keys stay in the
trash under the save's owner id until the save commits, and a purge removes
them only once it can take that owner's lock (see docs/architecture.md,
"Saving with secrets"); and one per account that is being fetched.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from types import TracebackType
from typing import Any

from .encoding import new_id


class ProcessLock:
    """An exclusive lock on ``folder/name.lock``, never waited for."""

    def __init__(self, folder: Path, name: str) -> None:
        self.path = folder / f"{name}.lock"
        self._lock: Any = None

    def try_acquire(self) -> bool:
        # filelock (with asyncio) loads when a save first locks, not with the store
        from filelock import FileLock, Timeout

        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        # a soft lock (a file that merely exists) would outlive a killed process
        lock = FileLock(self.path, timeout=0, mode=0o600, fallback_to_soft=False)
        try:
            lock.acquire()
        except Timeout:
            return False
        self._lock = lock
        return True

    def release(self, remove: bool = False) -> None:
        if self._lock is None:
            return
        self._lock.release()
        self._lock = None
        if remove:
            with contextlib.suppress(OSError):
                os.unlink(self.path)


class SaveOwner:
    """Held for the whole of a save that writes keyring keys."""

    def __init__(self, folder: Path) -> None:
        self.id = new_id()
        self._lock = ProcessLock(folder, f"owner-{self.id}")

    def __enter__(self) -> SaveOwner:
        if not self._lock.try_acquire():  # a fresh id: nobody else can hold it
            raise RuntimeError(f"cannot lock {self._lock.path}")
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._lock.release(remove=True)


class FileLocks:
    """The leases of one store, as files in *folder*."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def fetch(self, number: str) -> ProcessLock:
        return ProcessLock(self.folder, f"fetch-{number}")

    def owner(self) -> SaveOwner:
        """A new save's owner lock, taken when entered."""
        return SaveOwner(self.folder)

    def owner_gone(self, owner_id: str) -> ProcessLock | None:
        """The owner's lock, held, if its save is over (ended or killed);
        else None. Release it once the owner's leftovers are dealt with."""
        lock = ProcessLock(self.folder, f"owner-{owner_id}")
        return lock if lock.try_acquire() else None
