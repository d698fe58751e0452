"""The keyring seam: the only module that talks to the OS keyring.

``keyring`` is imported on first use, never at start-up. Entries are
namespaced by the store's identity, so two stores on one machine never see
each other's secrets. There is no fallback: without a usable keyring a secret
is not stored anywhere, and the caller is told why.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

SERVICE_PREFIX = "mailaccounts"

_UNUSABLE_BACKENDS = ("keyring.backends.fail.", "keyring.backends.null.", "keyrings.alt.")


class Secret:
    """A password in memory. Its repr and str never show the value."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('********')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(("Secret", self._value))


class SecretsError(Exception):
    """The keyring could not do what was asked. ``reason`` is one of
    ``unavailable``, ``locked`` or ``failed``."""

    def __init__(self, reason: str, message: str) -> None:
        self.reason = reason
        super().__init__(message)


@dataclass(frozen=True)
class KeyringStatus:
    usable: bool
    backend: str
    problem: str = ""


def _backend_name(backend: Any) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


def new_key(number: str, name: str) -> str:
    """A fresh keyring entry name; a new one per write, so a save can commit
    the new secret before the old one is removed."""
    return f"{number}/{name}/{uuid.uuid4().hex[:12]}"


class KeyringSecrets:
    """Secrets of one store in the OS keyring (or the backend given)."""

    def __init__(self, store_id: str, backend: Any | None = None) -> None:
        self.service = f"{SERVICE_PREFIX}/{store_id}"
        self._backend = backend

    def _keyring(self) -> Any:
        # Asked every time: a keyring that starts after us is noticed.
        if self._backend is not None:
            backend = self._backend
        else:
            import keyring

            backend = keyring.get_keyring()
        name = _backend_name(backend)
        chained = getattr(backend, "backends", None)
        if name.startswith(_UNUSABLE_BACKENDS) or chained == []:
            raise SecretsError(
                "unavailable",
                "no usable keyring (OS secret store) was found, so no password can be "
                "stored; start the desktop's keyring (e.g. GNOME Keyring or KWallet) and "
                "try again — passwords are never stored anywhere else",
            )
        return backend

    def status(self) -> KeyringStatus:
        try:
            backend = self._keyring()
        except SecretsError as exc:
            return KeyringStatus(False, "", str(exc))
        return KeyringStatus(True, _backend_name(backend))

    def set(self, key: str, secret: Secret) -> None:
        backend = self._keyring()
        try:
            backend.set_password(self.service, key, secret.reveal())
        except Exception as exc:
            raise _translate(exc, "stored", secret) from None

    def get(self, key: str) -> Secret | None:
        backend = self._keyring()
        try:
            value = backend.get_password(self.service, key)
        except Exception as exc:
            raise _translate(exc, "read") from None
        return None if value is None else Secret(value)

    def delete(self, key: str) -> None:
        """Remove an entry; one that is already gone is not an error."""
        backend = self._keyring()
        from keyring.errors import PasswordDeleteError

        try:
            if backend.get_password(self.service, key) is None:
                return
            backend.delete_password(self.service, key)
        except PasswordDeleteError:
            return
        except Exception as exc:
            raise _translate(exc, "removed") from None


def _translate(exc: Exception, verb: str, secret: Secret | None = None) -> SecretsError:
    from keyring.errors import InitError, KeyringLocked, NoKeyringError

    detail = str(exc)
    if secret is not None and secret.reveal():
        detail = detail.replace(secret.reveal(), "********")
    detail = f"{type(exc).__name__}: {detail}"[:200]
    if isinstance(exc, KeyringLocked):
        return SecretsError(
            "locked",
            f"the keyring is locked, so the password could not be {verb}; unlock it "
            f"(e.g. log in to the desktop session) and try again ({detail})",
        )
    if isinstance(exc, NoKeyringError | InitError):
        return SecretsError("unavailable", f"no usable keyring was found ({detail})")
    return SecretsError(
        "failed", f"the keyring refused: the password could not be {verb} ({detail})"
    )
