"""What the windows work with, passed to them explicitly."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..context import AppContext
from .tasks import TaskRunner

if TYPE_CHECKING:
    from ..services import AccountService


class GuiContext:
    def __init__(self, app: AppContext) -> None:
        self.app = app
        self.service: AccountService = app.service
        """For quick reads on the GUI thread (the list, an account, the
        directory). Everything that writes or may wait — a save, the
        directory, the keyring, the network — runs through ``tasks`` on a
        worker thread with a service of its own."""
        self.tasks = TaskRunner(app)
        self.closed = False

    @classmethod
    def open(cls, store_path: Path, keyring_backend: Any | None = None) -> GuiContext:
        return cls(AppContext(store_path, keyring_backend))

    def close(self) -> None:
        self.tasks.wait()
        self.app.close()
        self.closed = True
