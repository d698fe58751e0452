"""What the windows work with, passed to them explicitly."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..context import AppContext
from ..store.sqlite import SqliteStore
from .tasks import TaskRunner


@dataclass
class GuiContext:
    app: AppContext
    store: SqliteStore
    """For reads on the GUI thread; writes go through ``tasks``."""
    tasks: TaskRunner = field(init=False)

    def __post_init__(self) -> None:
        self.tasks = TaskRunner(self.app)

    @classmethod
    def open(cls, store_path: Path, keyring_backend: Any | None = None) -> GuiContext:
        return cls(AppContext(store_path, keyring_backend), SqliteStore(store_path))

    def close(self) -> None:
        self.tasks.wait()
        self.store.close()
