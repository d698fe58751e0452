"""What the windows work with, passed to them explicitly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..context import AppContext
from ..store.sqlite import SqliteStore
from .tasks import TaskRunner


class GuiContext:
    def __init__(self, app: AppContext, store: SqliteStore) -> None:
        self.app = app
        self.store = store
        """For reads on the GUI thread; writes go through ``tasks``."""
        self.tasks = TaskRunner(app)
        self.closed = False

    @classmethod
    def open(cls, store_path: Path, keyring_backend: Any | None = None) -> GuiContext:
        return cls(AppContext(store_path, keyring_backend), SqliteStore(store_path))

    def close(self) -> None:
        self.tasks.wait()
        self.store.close()
        self.closed = True
