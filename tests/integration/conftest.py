from __future__ import annotations

import os

import pytest
from keyring.backend import KeyringBackend

from tests.conftest import POP3_USERS, SMTP_USERS

__all__ = ["POP3_USERS", "SMTP_USERS"]


@pytest.fixture
def secret_service() -> KeyringBackend:
    """The real Secret Service of the test session (scripts/with-services).

    Missing is a failure, not a skip: CI must prove the real thing."""
    if not os.environ.get("MAILACCOUNTS_SECRET_SERVICE"):
        pytest.fail("no test Secret Service: run the suite through scripts/test")
    from keyring.backends.SecretService import Keyring

    backend = Keyring()
    probe = f"mailaccounts-probe-{os.getpid()}"  # test processes share the keyring
    backend.set_password(probe, "probe", "ok")
    assert backend.get_password(probe, "probe") == "ok"
    backend.delete_password(probe, "probe")
    return backend
