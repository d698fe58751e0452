"""Broken stores, read-only folders, a full disk and absurd imports: a clear
message, no traceback, and the store exactly as it was."""

from __future__ import annotations

import json
import os
import resource
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from tests.support.accounts import pop3_account
from tests.support.cli import REPO, Result, run_cli
from tests.support.keyrings import MemoryKeyring

CLI = [sys.executable, "-m", "mailaccounts"]


def seeded(path: Path, keyring: MemoryKeyring) -> Path:
    assert run_cli(path, "operators", "add", "ADM", keyring=keyring).code == 0
    for number in ("1000", "1001"):
        data = json.dumps(pop3_account(number))
        assert run_cli(path, "add", "--file", "-", stdin=data, keyring=keyring).code == 0
    return path


def content(path: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT number, data, revision FROM accounts ORDER BY number").fetchall()


def run(args: list[str], stdin: str = "", **popen: Any) -> Result:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        args,
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
        **popen,
    )
    return Result(done.returncode, done.stdout, done.stderr)


def assert_clear(result: Result, code: int, *words: str) -> None:
    assert result.code == code, (result.out, result.err)
    assert "Traceback" not in result.err + result.out
    for word in words:
        assert word in result.err, result.err


def test_read_only_data_directory(store_path: Path, memory_keyring: MemoryKeyring) -> None:
    seeded(store_path, memory_keyring)
    before = content(store_path)
    folder = store_path.parent
    script = 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec "$@"'
    data = json.dumps(pop3_account("2000"))
    added = run(
        [
            "unshare",
            "-m",
            "sh",
            "-c",
            script,
            str(folder),
            *CLI,
            "--store",
            str(store_path),
            "add",
            "--file",
            "-",
        ],
        stdin=data,
    )
    assert_clear(
        added, 1, "the store could not be written", "readonly database", "nothing was changed"
    )
    listed = run(
        ["unshare", "-m", "sh", "-c", script, str(folder), *CLI, "--store", str(store_path), "list"]
    )
    assert listed.code in (0, 1) and "Traceback" not in listed.err
    assert content(store_path) == before


def test_full_disk(store_path: Path, memory_keyring: MemoryKeyring) -> None:
    seeded(store_path, memory_keyring)
    before = content(store_path)
    limit = store_path.stat().st_size + 4096  # the WAL cannot grow past this

    def limit_file_size() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    accounts = [pop3_account(f"{n:04d}") for n in range(3000, 3400)]
    document = {
        "format": "mailaccounts-export",
        "version": 1,
        "operators": [],
        "workgroups": [],
        "accounts": accounts,
    }
    result = run(
        [*CLI, "--store", str(store_path), "import", "-"],
        stdin=json.dumps(document),
        preexec_fn=limit_file_size,
    )
    assert_clear(result, 1, "the store could not be written", "nothing was changed")
    assert content(store_path) == before
    with sqlite3.connect(store_path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_truncated_and_garbage_store_files(tmp_path: Path, memory_keyring: MemoryKeyring) -> None:
    good = seeded(tmp_path / "good.sqlite3", memory_keyring)
    truncated = tmp_path / "truncated.sqlite3"
    truncated.write_bytes(good.read_bytes()[:1500])
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(os.urandom(8192))
    for path in (truncated, garbage):
        before = path.read_bytes()
        result = run([*CLI, "--store", str(path), "list"])
        assert_clear(result, 1, "cannot be used as a mailaccounts store")
        assert path.read_bytes() == before


def test_store_from_a_newer_version(store_path: Path, memory_keyring: MemoryKeyring) -> None:
    seeded(store_path, memory_keyring)
    with sqlite3.connect(store_path) as db:
        db.execute("UPDATE meta SET value = '7' WHERE key = 'schema_version'")
    result = run([*CLI, "--store", str(store_path), "list"])
    assert_clear(result, 1, "schema version 7", "Use a newer mailaccounts")


def test_import_with_ten_megabyte_strings_and_nul_bytes(
    store_path: Path, memory_keyring: MemoryKeyring
) -> None:
    seeded(store_path, memory_keyring)
    before = content(store_path)
    huge = "x" * 10_000_000
    bad = [
        {**pop3_account("2000"), "address": huge + "@x.de"},
        {**pop3_account("2001"), "pop3": {**pop3_account()["pop3"], "server": huge}},
        {**pop3_account("2002"), "operators": [huge]},
        {**pop3_account("2003"), "pop3": {**pop3_account()["pop3"], "username": "a\x00b"}},
        {**pop3_account("2004"), "pop3": {**pop3_account()["pop3"], "server": "mail\x00.de"}},
    ]
    document = {
        "format": "mailaccounts-export",
        "version": 1,
        "operators": [],
        "workgroups": [],
        "accounts": bad,
    }
    started = time.monotonic()
    result = run([*CLI, "--store", str(store_path), "import", "-"], stdin=json.dumps(document))
    assert time.monotonic() - started < 30
    assert_clear(
        result,
        2,
        "accounts[0].address",
        "accounts[1].pop3.server",
        "accounts[2].operators",
        "accounts[3].pop3.username: contains control",
        "accounts[4].pop3.server",
    )
    assert len(result.err) < 10_000  # the messages do not echo the 10 MB back
    assert content(store_path) == before
