"""What the windows work with, passed to them explicitly."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..services.app_context import AppContext

if TYPE_CHECKING:
    from ..services.accounts import AccountService
    from .tasks import TaskRunner


class GuiContext:
    def __init__(self, app: AppContext) -> None:
        self.app = app
        self.service: AccountService = app.service
        """For quick reads on the GUI thread (the list, an account, the
        directory). Everything that writes or may wait — a save, the
        directory, the keyring, the network — runs through ``tasks`` on a
        worker thread with a service of its own."""
        self._tasks: TaskRunner | None = None
        self.closed = False

    @property
    def tasks(self) -> TaskRunner:
        """Made when first needed: the list appears without a thread pool."""
        if self._tasks is None:
            from .tasks import TaskRunner

            self._tasks = TaskRunner(self.app)
        return self._tasks

    @classmethod
    def open(
        cls, store_path: Path, keyring_backend: Any | None = None, mail_root: Path | None = None
    ) -> GuiContext:
        """*mail_root*: where fetched mail goes; None for the default
        (``$MAILACCOUNTS_MAIL_ROOT``, else the user data directory)."""
        return cls(AppContext(store_path, keyring_backend, mail_root))

    def wait_for_tasks(self) -> None:
        """Cancel what can be cancelled and wait for the rest; nothing to do
        (and no thread pool made) when no task ever ran."""
        if self._tasks is not None:
            self._tasks.wait()

    def close(self) -> None:
        """Cancel and wait for every task, end the task threads, close the store."""
        if self._tasks is not None:
            self._tasks.close()
        self.app.close()
        self.closed = True
