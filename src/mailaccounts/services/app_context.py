"""The services a front end works with, built once and passed explicitly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..files.paths import default_mail_root
from ..keyring.backend import KeyringSecrets
from ..store import Store, open_store
from .accounts import AccountService


class AppContext:
    def __init__(
        self,
        store_path: Path,
        keyring_backend: Any | None = None,
        mail_root: Path | None = None,
        store: Store | None = None,
    ) -> None:
        """*store*: a connection to *store_path* already open (the window's),
        for ``service`` to use; it is closed with the context."""
        self.store_path = store_path
        self.keyring_backend = keyring_backend
        """None: the OS keyring as ``keyring`` finds it. Tests pass their own."""
        self._mail_root = mail_root
        self._store = store
        self._service: AccountService | None = None

    @property
    def mail_root(self) -> Path:
        """Where the inboxes are: given, ``$MAILACCOUNTS_MAIL_ROOT``, or the
        user data directory's ``mail/``."""
        if self._mail_root is None:
            self._mail_root = default_mail_root()
        return self._mail_root

    @property
    def service(self) -> AccountService:
        if self._service is None:
            store, self._store = self._store or open_store(self.store_path), None
            self._service = self._service_over(store)
        return self._service

    def open_service(self) -> AccountService:
        """A service with its own store connection (one per thread)."""
        return self._service_over(open_store(self.store_path))

    def _service_over(self, store: Store) -> AccountService:
        return AccountService(store, KeyringSecrets(store.store_id, self.keyring_backend))

    def close(self) -> None:
        if self._service is not None:
            self._service.close()
            self._service = None
        if self._store is not None:
            self._store.close()
            self._store = None
