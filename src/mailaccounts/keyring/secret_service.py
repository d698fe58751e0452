"""One connection to the Secret Service for many keyring calls.

keyring's SecretService backend opens a D-Bus connection and looks the
collection up again for every call (≈ 20 ms a write on gnome-keyring). A
session does both once and then serves get, set and delete on them (≈ 6 ms a
write). It reads and writes the very items the backend does: the backend's
own attributes (``backend._query``) and label, so entries written either way
are found either way. Used through ``KeyringSecrets.session``.
"""

from __future__ import annotations

import contextlib
from typing import Any

from keyring.errors import InitError, KeyringLocked, PasswordDeleteError

# secretstorage is installed only where keyring has a Secret Service backend
# (Linux, the BSDs); a session is made only with that backend.
with contextlib.suppress(ImportError):
    import secretstorage


class SecretServiceSession:
    def __init__(self, backend: Any) -> None:
        self._backend = backend
        self._connection = secretstorage.dbus_init()
        self._collection: Any = None
        self._unlocked_once = False

    def _items(self, service: str, username: str, unlock: bool = True) -> list[Any]:
        collection = self._unlocked() if unlock else self._found()
        return list(collection.search_items(self._backend._query(service, username)))

    def _found(self) -> Any:
        if self._collection is None:
            try:
                if hasattr(self._backend, "preferred_collection"):
                    path = self._backend.preferred_collection
                    collection = secretstorage.Collection(self._connection, path)
                else:
                    collection = secretstorage.get_default_collection(self._connection)
            except secretstorage.exceptions.SecretStorageException as exc:
                raise InitError(f"Failed to create the collection: {exc}.") from None
            self._collection = collection
        return self._collection

    def _unlocked(self) -> Any:
        collection = self._found()
        if not self._unlocked_once:  # later calls say so themselves if it is locked again
            if collection.is_locked():
                collection.unlock()
                if collection.is_locked():
                    raise KeyringLocked("Failed to unlock the collection!")
            self._unlocked_once = True
        return collection

    def exists(self, service: str, username: str) -> bool:
        """Whether the entry is there, without unlocking anything (so without
        asking the user for the keyring's password)."""
        return bool(self._items(service, username, unlock=False))

    def get_password(self, service: str, username: str) -> str | None:
        for item in self._items(service, username):
            self._backend.unlock(item)
            return str(item.get_secret().decode("utf-8"))
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        """Only ever called with a fresh key (``secrets.new_key``), so there is
        nothing to replace; not asking for it spares gnome-keyring a search
        of the whole collection on every write."""
        attributes = self._backend._query(service, username, application=self._backend.appid)
        label = f"Password for '{username}' on '{service}'"
        self._unlocked().create_item(label, attributes, password.encode("utf-8"), replace=False)

    def delete_password(self, service: str, username: str) -> None:
        for item in self._items(service, username):
            item.delete()
            return
        raise PasswordDeleteError("No such password!")

    def close(self) -> None:
        self._connection.close()
