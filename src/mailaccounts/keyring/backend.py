"""The keyring seam: the only module that talks to the OS keyring.

Entries are namespaced by the store's identity, so two stores on one machine
never see each other's secrets. There is no fallback: without a usable keyring a secret
is not stored anywhere, and the caller is told why. Only the operating
systems' own secret stores are used unless the admin names another backend
in ``MAILACCOUNTS_TRUST_KEYRING_BACKEND``.
"""

from __future__ import annotations

import json
import logging
import os
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any, NamedTuple

import keyring
from keyring.errors import InitError, KeyringLocked, NoKeyringError, PasswordDeleteError

from ..model.secret import Secret
from . import refs as secretrefs
from .secret_service import SecretServiceSession

SERVICE_PREFIX = "mailaccounts"
TRUST_ENV = "MAILACCOUNTS_TRUST_KEYRING_BACKEND"

_UNUSABLE_BACKENDS = ("keyring.backends.fail.", "keyring.backends.null.", "keyrings.alt.")
_OS_BACKENDS = (
    "keyring.backends.SecretService.",  # GNOME Keyring, KeePassXC and others on Linux
    "keyring.backends.libsecret.",
    "keyring.backends.kwallet.",
    "keyring.backends.macOS.",
    "keyring.backends.Windows.",
)


class SecretsError(Exception):
    """The keyring could not do what was asked. ``reason`` is one of
    ``unavailable``, ``locked`` or ``failed``."""

    def __init__(self, reason: str, message: str) -> None:
        self.reason = reason
        self.nothing_written = False
        """Set by a write that surely left nothing in the keyring."""
        super().__init__(message)


class KeyringStatus(NamedTuple):
    usable: bool
    backend: str
    problem: str = ""


def _backend_name(backend: Any) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


def new_key(number: str) -> str:
    """A fresh keyring entry name; a new one per save, so a save can commit
    its new secrets before the old ones are removed."""
    return f"{number}/secrets/{uuid.uuid4().hex[:12]}"


def bundle_key(number: str, secrets: Mapping[str, Secret]) -> str:
    """A fresh key (``new_key``) for an entry holding *secrets*, which
    ``set_bundle`` splits over several items when they are too long for one."""
    return secretrefs.with_chunks(new_key(number), len(bundle_text(secrets)))


def _untrusted(backend: Any) -> str | None:
    """The name of a backend (or chained backend) that is not an operating
    system's secret store and was not named in ``TRUST_ENV``."""
    trusted = {n.strip() for n in os.environ.get(TRUST_ENV, "").split(",") if n.strip()}
    for part in getattr(backend, "backends", None) or [backend]:
        name = _backend_name(part)
        if not name.startswith(_OS_BACKENDS) and name not in trusted:
            return name
    return None


class KeyringSecrets:
    """Secrets of one store in the OS keyring (or the backend given: a caller
    that passes one has chosen it, so it is not checked against the list of
    OS keyrings)."""

    def __init__(self, store_id: str, backend: Any | None = None) -> None:
        self.service = f"{SERVICE_PREFIX}/{store_id}"
        self._backend = backend
        self._in_session = False
        self._session: Any = None

    def _keyring(self) -> Any:
        # Asked every time (outside a session): a keyring that starts after us
        # is noticed.
        if self._session is not None:
            return self._session
        backend = self._checked_backend()
        if self._in_session and _backend_name(backend).startswith(
            "keyring.backends.SecretService."
        ):
            try:
                self._session = SecretServiceSession(backend)
            except Exception as exc:
                raise _translate(exc, "reached") from None
            return self._session
        return backend

    def _checked_backend(self) -> Any:
        if self._backend is not None:
            backend = self._backend
        else:
            try:
                backend = keyring.get_keyring()
            except Exception as exc:  # e.g. PYTHON_KEYRING_BACKEND names a missing module
                error = SecretsError(
                    "unavailable",
                    f"the keyring could not be loaded ({type(exc).__name__}: {exc})"[:300],
                )
                _log_failure(error)
                raise error from None
        name = _backend_name(backend)
        chained = getattr(backend, "backends", None)
        if name.startswith(_UNUSABLE_BACKENDS) or chained == []:
            raise SecretsError(
                "unavailable",
                "no usable keyring (OS secret store) was found, so no password can be "
                "stored; start the desktop's keyring (e.g. GNOME Keyring or KWallet) and "
                "try again — passwords are never stored anywhere else",
            )
        if self._backend is None and (other := _untrusted(backend)):
            raise SecretsError(
                "unavailable",
                f"the keyring backend {other} is not one of the operating systems' secret "
                "stores (Secret Service, KWallet, macOS Keychain, Windows Credential Manager), "
                f"so no password is given to it; to trust it, set {TRUST_ENV}={other}",
            )
        return backend

    @contextmanager
    def session(self) -> Iterator[None]:
        """Calls inside share one connection to the keyring where the backend
        allows it (Secret Service: one D-Bus connection instead of one per
        call, ≈ 3× faster). Opened at the first call, so a block that needs
        no secret needs no keyring."""
        if self._in_session:
            yield
            return
        self._in_session = True
        try:
            yield
        finally:
            self._in_session = False
            session, self._session = self._session, None
            if session is not None:
                session.close()

    def check(self) -> None:
        """Raise SecretsError now if no usable keyring is there."""
        self._keyring()

    def status(self) -> KeyringStatus:
        try:
            backend = self._checked_backend()
        except SecretsError as exc:
            return KeyringStatus(False, "", str(exc))
        return KeyringStatus(True, _backend_name(backend))

    def _locate(self, key: str) -> tuple[str, str, bool]:
        """Service and entry name of an item key, and whether it is borrowed."""
        store_id = secretrefs.owner_store(key)
        if store_id is not None:
            return f"{SERVICE_PREFIX}/{store_id}", key.partition(secretrefs.BORROWED)[2], True
        return self.service, key, False

    def set_bundle(self, key: str, secrets: Mapping[str, Secret]) -> None:
        """Write one entry holding *secrets* by name (a JSON object) — in
        several items when *key* says so (``bundle_key``)."""
        backend = self._keyring()
        value = bundle_text(secrets)
        parts = secretrefs.chunk_keys(key)
        pieces = (
            [(key, value)]
            if not parts
            else [
                (part, value[i * secretrefs.CHUNK : (i + 1) * secretrefs.CHUNK])
                for i, part in enumerate(parts)
            ]
        )
        for index, (item, piece) in enumerate(pieces):
            try:
                backend.set_password(self.service, item, piece)
            except Exception as exc:
                error = _translate(exc, "stored", *secrets.values())
                # a keyring that is locked or missing took nothing
                error.nothing_written = index == 0 and error.reason in ("locked", "unavailable")
                raise error from None

    def get(self, ref: str) -> Secret | None:
        backend = self._keyring()
        service, key, _ = self._locate(secretrefs.item_key(ref))
        try:
            parts = secretrefs.chunk_keys(key)
            if parts:
                pieces = [backend.get_password(service, part) for part in parts]
                value = None if None in pieces else "".join(pieces)
            else:
                value = backend.get_password(service, key)
        except Exception as exc:
            raise _translate(exc, "read") from None
        name = secretrefs.field_name(ref)
        if value is None or name is None:
            return None if value is None else Secret(value)
        return _field(value, name, key)

    def exists(self, ref: str) -> bool:
        """Whether the entry a reference points into is there; asked without
        unlocking the keyring where the backend allows it."""
        backend = self._keyring()
        service, key, _ = self._locate(secretrefs.item_key(ref))
        key = (secretrefs.chunk_keys(key) or [key])[-1]  # a split value: its last piece
        try:
            if hasattr(backend, "exists"):
                return bool(backend.exists(service, key))
            return backend.get_password(service, key) is not None
        except Exception as exc:
            raise _translate(exc, "read") from None

    def delete(self, key: str) -> None:
        """Remove an item; one that is already gone is not an error, and a
        borrowed one is left to the store it belongs to."""
        service, name, borrowed = self._locate(key)
        if borrowed:
            return
        backend = self._keyring()

        for item in secretrefs.chunk_keys(name) or [name]:
            try:
                backend.delete_password(service, item)
            except PasswordDeleteError:
                continue
            except Exception as exc:
                raise _translate(exc, "removed") from None


def bundle_text(secrets: Mapping[str, Secret]) -> str:
    return json.dumps({name: s.reveal() for name, s in secrets.items()}, ensure_ascii=False)


def _field(value: str, name: str, key: str) -> Secret | None:
    try:
        bundle = json.loads(value)
    except ValueError:
        bundle = None
    if not isinstance(bundle, dict):
        raise SecretsError("failed", f"the keyring entry {key} is damaged (not a JSON object)")
    found = bundle.get(name)
    return Secret(found) if isinstance(found, str) else None


def _translate(exc: Exception, verb: str, *secrets: Secret) -> SecretsError:
    detail = str(exc)
    for secret in secrets:
        if secret.reveal():
            # as given, and as it stands inside the JSON of a bundle (bundle_text)
            quoted = json.dumps(secret.reveal(), ensure_ascii=False)[1:-1]
            for form in {secret.reveal(), quoted}:
                detail = detail.replace(form, "********")
    detail = f"{type(exc).__name__}: {detail}"[:200]
    if isinstance(exc, KeyringLocked):
        error = SecretsError(
            "locked",
            f"the keyring is locked, so the password could not be {verb}; unlock it "
            f"(e.g. log in to the desktop session) and try again ({detail})",
        )
    elif isinstance(exc, NoKeyringError | InitError):
        error = SecretsError("unavailable", f"no usable keyring was found ({detail})")
    else:
        error = SecretsError(
            "failed", f"the keyring refused: the password could not be {verb} ({detail})"
        )
    _log_failure(error)
    return error


def _log_failure(error: SecretsError) -> None:
    """For the record: the caller reports the failure itself (INFO). Only the
    message, which names no secret (``_translate`` masks the ones it was
    given); the backend's own exception, which may quote what it was handed,
    is not logged."""
    logging.getLogger(__name__).info("keyring %s: %s", error.reason, error)
