"""``export --output``: a private file written whole or not at all, never
through a symbolic link, never over an existing file without --force."""

from __future__ import annotations

import json
import os
import resource
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.accounts import pop3_account
from tests.support.cli import REPO
from tests.support.types import Cli


def add(cli: Cli, number: str) -> None:
    assert cli("add", "--file", "-", stdin=json.dumps(pop3_account(number))).code == 0


def folder_listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.fixture
def exports(tmp_path: Path) -> Path:
    folder = tmp_path / "exports"
    folder.mkdir()
    return folder


def test_existing_file_needs_force_and_ends_private(directory: Cli, exports: Path) -> None:
    add(directory, "1000")
    target = exports / "accounts.json"
    target.write_text("old content", encoding="utf-8")
    target.chmod(0o644)
    refused = directory("export", "--output", str(target))
    assert refused.code == 2, refused.err
    assert str(target) in refused.err and "--force" in refused.err
    assert target.read_text(encoding="utf-8") == "old content"
    done = directory("export", "--output", str(target), "--force")
    assert done.code == 0, done.err
    assert json.loads(target.read_text(encoding="utf-8"))["accounts"][0]["number"] == "1000"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert folder_listing(exports) == ["accounts.json"]


def test_new_file_is_private(directory: Cli, exports: Path) -> None:
    previous = os.umask(0)
    try:
        assert directory("export", "--output", str(exports / "new.json")).code == 0
    finally:
        os.umask(previous)
    assert stat.S_IMODE((exports / "new.json").stat().st_mode) == 0o600
    assert folder_listing(exports) == ["new.json"]


@pytest.mark.parametrize("force", [[], ["--force"]])
def test_symbolic_link_is_never_followed(directory: Cli, exports: Path, force: list[str]) -> None:
    victim = exports / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    link = exports / "link.json"
    link.symlink_to(victim)
    dangling = exports / "dangling.json"
    dangling.symlink_to(exports / "created-through-link.json")
    for target in (link, dangling):
        result = directory("export", "--output", str(target), *force)
        assert result.code == 2, result.err
        assert str(target) in result.err and "symbolic link" in result.err
    assert victim.read_text(encoding="utf-8") == "precious"
    assert link.is_symlink() and dangling.is_symlink()
    assert folder_listing(exports) == ["dangling.json", "link.json", "victim.txt"]


def test_not_a_regular_file(directory: Cli, exports: Path) -> None:
    result = directory("export", "--output", str(exports), "--force")
    assert result.code == 2 and str(exports) in result.err and "not a regular file" in result.err
    fifo = exports / "fifo"
    os.mkfifo(fifo)
    result = directory("export", "--output", str(fifo), "--force")
    assert result.code == 2 and "not a regular file" in result.err
    assert folder_listing(exports) == ["fifo"]


def test_missing_folder_is_named(directory: Cli, tmp_path: Path) -> None:
    target = tmp_path / "nowhere" / "accounts.json"
    result = directory("export", "--output", str(target))
    assert result.code == 1
    assert str(target) in result.err and "No such file or directory" in result.err
    assert "Traceback" not in result.err


def import_accounts(cli: Cli, numbers: range) -> None:
    doc = {
        "format": "mailaccounts-export",
        "version": 1,
        "operators": [{"code": "ADM", "name": ""}],
        "accounts": [pop3_account(str(number)) for number in numbers],
    }
    assert cli("import", "-", "--replace", stdin=json.dumps(doc)).code == 0


def test_failed_write_keeps_the_previous_export(cli: Cli, store_path: Path, exports: Path) -> None:
    import_accounts(cli, range(1000, 1003))
    target = exports / "accounts.json"
    assert cli("export", "--output", str(target)).code == 0
    previous = target.read_bytes()
    import_accounts(cli, range(2000, 2060))
    limit = 40_000  # the new export is larger; the store only reads (its -shm needs 32 KiB)

    def limit_file_size() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    export = ["export", "--output", str(target), "--force"]
    done = subprocess.run(
        [sys.executable, "-m", "mailaccounts", "--store", str(store_path), *export],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=60,
        check=False,
        preexec_fn=limit_file_size,
    )
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    assert str(target) in done.stderr and "File too large" in done.stderr
    assert target.read_bytes() == previous
    assert len(json.loads(previous)["accounts"]) == 3
    assert folder_listing(exports) == ["accounts.json"]
    big = cli("export", "--output", str(target), "--force")
    assert big.code == 0 and len(target.read_bytes()) > limit
