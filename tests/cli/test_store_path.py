"""A store path that is not a regular file — a device, a named pipe, a
socket, a folder — is refused with a message, and left exactly as it was:
its mode, its contents, and no journal or lock folder beside it."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.support.cli import REPO


def _fifo(path: Path) -> None:
    os.mkfifo(path, 0o644)


def _device(path: Path) -> None:
    # what /dev/null is, made here: the real one is never touched by a test
    os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))


def _folder(path: Path) -> None:
    path.mkdir(mode=0o755)


@pytest.fixture
def bound_socket(tmp_path: Path) -> Iterator[Callable[[Path], None]]:
    sockets: list[socket.socket] = []

    def make(path: Path) -> None:
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        server.bind(str(path))
        sockets.append(server)

    yield make
    for server in sockets:
        server.close()


KINDS = [
    ("fifo", _fifo, "a named pipe (FIFO), not a regular file"),
    ("device", _device, "a character device, not a regular file"),
    ("folder", _folder, "a folder, not a regular file"),
]


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.lstat().st_mode, p.lstat().st_size) for p in folder.iterdir()}


def _mailaccounts(store: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The real command, with the store from the environment as the finding
    had it; a store that blocks (a FIFO read) fails the test by its timeout."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "MAILACCOUNTS_STORE": str(store)}
    return subprocess.run(
        [sys.executable, "-m", "mailaccounts", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=30,
        check=False,
    )


@pytest.mark.parametrize(("kind", "make", "reason"), KINDS, ids=[k[0] for k in KINDS])
@pytest.mark.parametrize("command", [["list"], ["operators", "add", "ADM"]])
def test_a_store_path_that_is_no_regular_file_is_refused_and_left_alone(
    tmp_path: Path,
    kind: str,
    make: Callable[[Path], None],
    reason: str,
    command: list[str],
) -> None:
    store = tmp_path / "accounts.sqlite3"
    make(store)
    before = _snapshot(tmp_path)
    result = _mailaccounts(store, *command)
    assert result.returncode == 1, result.stderr
    assert result.stdout == ""
    assert f"{store} cannot be used as a mailaccounts store: it is {reason}" in result.stderr
    assert "Traceback" not in result.stderr
    assert _snapshot(tmp_path) == before


def test_a_socket_as_store_is_refused(tmp_path: Path, bound_socket: Callable[[Path], None]) -> None:
    store = tmp_path / "accounts.sqlite3"
    bound_socket(store)
    before = _snapshot(tmp_path)
    result = _mailaccounts(store, "list")
    assert result.returncode == 1
    assert "it is a socket, not a regular file" in result.stderr
    assert _snapshot(tmp_path) == before


def test_a_symlink_to_a_regular_file_still_opens(tmp_path: Path) -> None:
    real = tmp_path / "real.sqlite3"
    link = tmp_path / "accounts.sqlite3"
    link.symlink_to(real)
    assert _mailaccounts(link, "operators", "add", "ADM").returncode == 0
    assert _mailaccounts(link, "operators", "list").stdout.split()[-1] == "ADM"
    assert stat.S_IMODE(real.stat().st_mode) == 0o600
