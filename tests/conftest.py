from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest

from tests.support.cli import Result, run_cli
from tests.support.keyrings import MemoryKeyring

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


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
def cli(store_path: Path, memory_keyring: MemoryKeyring):  # type: ignore[no-untyped-def]
    def run(*args: str, stdin: str = "", keyring: object = None) -> Result:
        return run_cli(store_path, *args, stdin=stdin, keyring=keyring or memory_keyring)

    return run


@pytest.fixture
def directory(cli):  # type: ignore[no-untyped-def]
    """A store whose directory knows a few operators and workgroups."""
    for code, name in (("ADM", "Administrator"), ("MUE", "Müller"), ("SCH", "Schmidt")):
        assert cli("operators", "add", code, "--name", name).code == 0
    for code in ("VERTRIEB", "SUPPORT"):
        assert cli("workgroups", "add", code).code == 0
    return cli
