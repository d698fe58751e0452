from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import keyring
import pytest
from hypothesis import settings

from tests.support.certs import Authority
from tests.support.cli import Result, run_cli
from tests.support.keyrings import MemoryKeyring
from tests.support.oauth_server import OAuthServer
from tests.support.servers import Dovecot, SmtpHandler, smtp_server
from tests.support.types import Cli, SmtpFactory

if TYPE_CHECKING:
    from aiosmtpd.controller import Controller

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# a window a test starts logs here, never into the user state directory
os.environ.setdefault("MAILACCOUNTS_LOG_DIR", tempfile.mkdtemp(prefix="mailaccounts-logs-"))

# -- hypothesis profiles (tests/support/examples.py scales the stated counts) ------

settings.register_profile("ci")
"""Every stated count: what CI (scripts/test) runs."""
settings.register_profile("quick", max_examples=30, deadline=None)
"""A tenth of each stated count, at least 30: scripts/test --quick."""
settings.load_profile("ci")  # --hypothesis-profile=quick replaces it at configure time


@pytest.fixture(autouse=True)
def _no_real_keyring_by_accident(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Code that forgets to pass a backend gets an in-memory one, never the
    developer's own keyring."""
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    monkeypatch.delenv("MAILACCOUNTS_STORE", raising=False)
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def memory_keyring() -> MemoryKeyring:
    return MemoryKeyring()


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "accounts.sqlite3"


@pytest.fixture
def cli(store_path: Path, memory_keyring: MemoryKeyring) -> Cli:
    def run(*args: str, stdin: str = "", keyring: object = None) -> Result:
        return run_cli(store_path, *args, stdin=stdin, keyring=keyring or memory_keyring)

    return run


@pytest.fixture
def directory(cli: Cli) -> Cli:
    """A store whose directory knows a few operators and workgroups."""
    for code, name in (("ADM", "Administrator"), ("MUE", "Müller"), ("SCH", "Schmidt")):
        assert cli("operators", "add", code, "--name", name).code == 0
    for code in ("VERTRIEB", "SUPPORT"):
        assert cli("workgroups", "add", code).code == 0
    return cli


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
def smtp_factory(authority: Authority) -> Iterator[SmtpFactory]:
    started: list[Controller] = []

    def start(
        mode: str = "starttls", exclude: list[str] | None = None, names: list[str] | None = None
    ) -> tuple[SmtpHandler, int]:
        cert = authority.issue(names or ["localhost", "127.0.0.1"]) if mode != "none" else None
        controller, handler, port = smtp_server(
            SMTP_USERS, mode=mode, certificate=cert, exclude=exclude
        )
        started.append(controller)
        return handler, port

    yield start
    for controller in started:
        controller.stop()


# -- OAuth2 ---------------------------------------------------------------------


@pytest.fixture
def oauth_server() -> Iterator[OAuthServer]:
    """The mock OAuth2 authorization server (tests/support/oauth_server.py),
    started for the test; the test fails if one of its handlers raised."""
    server = OAuthServer().start()
    yield server
    server.stop()
    assert not server.errors, server.errors
