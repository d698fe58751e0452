from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.certs import Authority
from tests.support.servers import Dovecot, smtp_server


@pytest.fixture
def secret_service():  # type: ignore[no-untyped-def]
    """The real Secret Service of the test session (scripts/with-services).

    Missing is a failure, not a skip: CI must prove the real thing."""
    if not os.environ.get("MAILACCOUNTS_SECRET_SERVICE"):
        pytest.fail("no test Secret Service: run the suite through scripts/test")
    from keyring.backends.SecretService import Keyring

    backend = Keyring()
    backend.set_password("mailaccounts-probe", "probe", "ok")
    assert backend.get_password("mailaccounts-probe", "probe") == "ok"
    backend.delete_password("mailaccounts-probe", "probe")
    return backend


# -- real mail servers on 127.0.0.1 ---------------------------------------------

POP3_USERS = {"info": "pop3-geheim"}
SMTP_USERS = {"smtpuser": "smtp-geheim", "info": "pop3-geheim"}


@pytest.fixture(scope="session")
def authority() -> Authority:
    return Authority.shared()


@pytest.fixture
def trusted_ca(authority: Authority, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Make the test CA the trust store, as if it were the system's."""
    bundle = tmp_path / "ca.pem"
    bundle.write_bytes(authority.pem)
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    return bundle


@pytest.fixture(scope="module")
def dovecot(request: pytest.FixtureRequest) -> Iterator[Dovecot]:
    server = Dovecot(POP3_USERS, Authority.shared().issue(["localhost", "127.0.0.1"])).start()
    server.deliver("info", b"From: a@b.de\r\nSubject: Hallo\r\n\r\nText\r\n")
    yield server
    server.stop()


@pytest.fixture
def smtp_factory(authority: Authority):  # type: ignore[no-untyped-def]
    started = []

    def start(mode: str = "starttls", exclude: list[str] | None = None, names=None):  # type: ignore[no-untyped-def]
        cert = authority.issue(names or ["localhost", "127.0.0.1"]) if mode != "none" else None
        controller, handler, port = smtp_server(
            SMTP_USERS, mode=mode, certificate=cert, exclude=exclude
        )
        started.append(controller)
        return handler, port

    yield start
    for controller in started:
        controller.stop()
