"""What the windows work with, passed to them explicitly: the store the list
reads at once, and the services, which are built when first needed — after
the list's first paint (docs/architecture.md, "Start-up")."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..model.records import AccountSummary
from ..store import open_store

if TYPE_CHECKING:
    from ..services.accounts import AccountService
    from ..services.app_context import AppContext
    from .tasks import TaskRunner


class GuiContext:
    def __init__(
        self, store_path: Path, keyring_backend: Any | None = None, mail_root: Path | None = None
    ) -> None:
        """*mail_root*: where fetched mail goes; None for the default
        (``$MAILACCOUNTS_MAIL_ROOT``, else the user data directory). Opens
        the store: a ``StoreError`` says why it cannot be used."""
        self.store = open_store(store_path)
        """The GUI thread's connection, which the list reads before anything
        else is loaded; the GUI thread's service uses it too."""
        self._settings = (store_path, keyring_backend, mail_root)
        self._app: AppContext | None = None
        self._tasks: TaskRunner | None = None
        self.closed = False

    @classmethod
    def open(
        cls, store_path: Path, keyring_backend: Any | None = None, mail_root: Path | None = None
    ) -> GuiContext:
        return cls(store_path, keyring_backend, mail_root)

    def summaries(self) -> list[AccountSummary]:
        """What the account list shows, straight from the store."""
        return self.store.summaries()

    @property
    def app(self) -> AppContext:
        """The services (pydantic, the keyring, the network): built on the
        GUI thread when first needed, so that no other thread imports them."""
        return self.load_services()

    def load_services(self) -> AppContext:
        """Build the services now, if not done yet (the window does so after
        its first paint)."""
        if self._app is None:
            from ..services.app_context import AppContext

            store_path, keyring_backend, mail_root = self._settings
            self._app = AppContext(store_path, keyring_backend, mail_root, store=self.store)
        return self._app

    @property
    def service(self) -> AccountService:
        """For quick reads on the GUI thread (an account, the directory).
        Everything that writes or may wait — a save, the directory, the
        keyring, the network — runs through ``tasks`` on a worker thread
        with a service of its own."""
        return self.app.service

    @property
    def tasks(self) -> TaskRunner:
        """Made when first needed, with the services."""
        if self._tasks is None:
            from .tasks import TaskRunner

            self._tasks = TaskRunner(self.app)
        return self._tasks

    def wait_for_tasks(self) -> None:
        """Cancel what can be cancelled and wait for the rest; nothing to do
        (and no thread pool made) when no task ever ran."""
        if self._tasks is not None:
            self._tasks.wait()

    def close(self) -> None:
        """Cancel and wait for every task, end the task threads, close the store."""
        if self._tasks is not None:
            self._tasks.close()
        if self._app is not None:
            self._app.close()
        else:
            self.store.close()
        self.closed = True
