"""What the CLI reads: secrets without line breaks or NUL, numeric options in
range, inputs of bounded size, URLs without credentials. Each refusal is
exit 2 with the field or option named, no traceback, and nothing changed."""

from __future__ import annotations

import io
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from mailaccounts import cli as cli_module
from tests.support.accounts import pop3_account
from tests.support.cli import REPO, Result, run_cli_process
from tests.support.keyrings import MemoryKeyring
from tests.support.types import Cli

SECRET_MESSAGE = "must not contain line breaks or NUL characters"
FLAGS = [
    "--number",
    "2000",
    "--address",
    "a@b.de",
    "--pop3-server",
    "h.de",
    "--pop3-username",
    "u",
    "--operators",
    "ADM",
]


@pytest.fixture
def seeded(directory: Cli, store_path: Path) -> Cli:
    assert directory("add", "--file", "-", stdin=json.dumps(pop3_account("1000"))).code == 0
    return directory


def refused(result: Result, *words: str, secret: str = "") -> None:
    assert result.code == 2, (result.out, result.err)
    assert "Traceback" not in result.err
    for word in words:
        assert word in result.err, result.err
    if secret:
        assert secret not in result.out + result.err


# -- D2: secrets ----------------------------------------------------------------


def nowhere_in_files(secret: bytes, folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            assert secret not in path.read_bytes(), path


@pytest.mark.parametrize("secret", ["Geheim\nPASS x", "Geheim\rx", "Geheim\x00x"])
def test_secret_with_control_in_account_file(
    seeded: Cli, store_path: Path, memory_keyring: MemoryKeyring, tmp_path: Path, secret: str
) -> None:
    before = store_path.read_bytes()
    data = pop3_account("2000")
    data["pop3"]["password"] = secret
    source = tmp_path / "a.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    refused(seeded("add", "--file", str(source)), "pop3.password", SECRET_MESSAGE, secret="Geheim")
    patch = {"exchange_settings": {"password": secret}}
    refused(
        seeded("edit", "1000", "--file", "-", stdin=json.dumps(patch)),
        "exchange_settings.password",
        SECRET_MESSAGE,
        secret="Geheim",
    )
    patch = {"oauth2": {"provider": "google", "client_id": "desktop", "client_secret": secret}}
    refused(
        seeded("edit", "1000", "--file", "-", stdin=json.dumps(patch)),
        "oauth2.client_secret",
        SECRET_MESSAGE,
        secret="Geheim",
    )
    if "\n" not in secret:  # on stdin a line break ends the secret: nothing to refuse
        refused(
            seeded("edit", "1000", "--password", "oauth2", stdin=secret + "\n"),
            "oauth2.client_secret",
            SECRET_MESSAGE,
            secret="Geheim",
        )
    assert store_path.read_bytes() == before
    assert memory_keyring.entries == {}
    nowhere_in_files(b"Geheim", store_path.parent)


def test_secret_with_control_in_import(
    seeded: Cli, store_path: Path, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    before = store_path.read_bytes()
    account = pop3_account("2000")
    account["smtp"]["auth"]["password"] = "Geheim\x00"
    doc = {"format": "mailaccounts-export", "version": 1, "accounts": [account]}
    source = tmp_path / "doc.json"
    source.write_text(json.dumps(doc), encoding="utf-8")
    refused(
        seeded("import", str(source)),
        "accounts[0].smtp.auth.password",
        SECRET_MESSAGE,
        secret="Geheim",
    )
    assert store_path.read_bytes() == before
    assert memory_keyring.entries == {}
    nowhere_in_files(b"Geheim", store_path.parent)


@pytest.mark.parametrize("line", ["Geheim\rx\n", "Ge\x00heim\n", "\x00\n"])
def test_secret_with_control_on_stdin(
    seeded: Cli, store_path: Path, memory_keyring: MemoryKeyring, line: str
) -> None:
    before = store_path.read_bytes()
    added = seeded("add", *FLAGS, "--password", "pop3", stdin=line)
    refused(added, "pop3.password", SECRET_MESSAGE, secret=line.strip("\n\x00"))
    tested = seeded("test", "1000", "--password", "smtp", stdin=line)
    refused(tested, "smtp.auth.password", SECRET_MESSAGE, secret=line.strip("\n\x00"))
    assert store_path.read_bytes() == before
    assert memory_keyring.entries == {}
    nowhere_in_files(b"Geheim", store_path.parent)


def test_a_line_ending_in_crlf_is_still_a_password(
    seeded: Cli, memory_keyring: MemoryKeyring
) -> None:
    assert seeded("add", *FLAGS, "--password", "pop3", stdin="Geheim\r\n").code == 0
    assert memory_keyring.values() == ["Geheim"]


def test_secret_with_control_at_the_prompt(
    seeded: Cli, store_path: Path, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr("getpass.getpass", lambda prompt: "Geheim\x00x")
    out, err = io.StringIO(), io.StringIO()
    code = cli_module.main(
        ["--store", str(store_path), "add", *FLAGS, "--password", "pop3"],
        stdin=Tty(),
        stdout=out,
        stderr=err,
        keyring_backend=memory_keyring,
    )
    refused(Result(code, out.getvalue(), err.getvalue()), "pop3.password", secret="Geheim")
    assert memory_keyring.entries == {}
    nowhere_in_files(b"Geheim", store_path.parent)


def test_secret_with_control_through_a_real_stdin(store_path: Path) -> None:
    assert run_cli_process(store_path, "operators", "add", "ADM").code == 0
    result = run_cli_process(store_path, "add", *FLAGS, "--password", "pop3", stdin="Geheim\rx\n")
    refused(result, "pop3.password", SECRET_MESSAGE, secret="Geheim")
    nowhere_in_files(b"Geheim", store_path.parent)


# -- D10: numeric options ---------------------------------------------------------


@pytest.mark.parametrize(
    "value", ["-1", "0", "nan", "NaN", "inf", "-inf", "1e9", "600.5", "abc", "", "0x10"]
)
def test_timeout_out_of_range(seeded: Cli, value: str) -> None:
    refused(seeded("test", "1000", f"--timeout={value}"), "--timeout", "0.1", "600")


@pytest.mark.parametrize("value", ["0.1", "600", "15", " 2.5 "])
def test_timeout_in_range_is_accepted(seeded: Cli, value: str) -> None:
    result = seeded("test", "9999", f"--timeout={value}")
    assert result.code == 1 and "9999" in result.err, result.err  # parsed; no such account


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-1", "must be a port number from 1 to 65535"),
        ("0", "must be a port number from 1 to 65535"),
        ("9" * 5000, "must be a port number from 1 to 65535"),
        ("-" + "9" * 5000, "must be a port number from 1 to 65535"),
        ("nan", "must be a whole number"),
        ("1e3", "must be a whole number"),
        ("99.5", "must be a whole number"),
    ],
)
def test_ports_out_of_range(seeded: Cli, store_path: Path, value: str, message: str) -> None:
    before = store_path.read_bytes()
    refused(seeded("edit", "1000", f"--pop3-port={value}"), f"pop3.port: {message}")
    refused(seeded("edit", "1000", f"--smtp-port={value}"), f"smtp.port: {message}")
    assert store_path.read_bytes() == before


# -- D11: size of what is read -------------------------------------------------------


@pytest.fixture
def small_limit(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(cli_module, "MAX_INPUT_BYTES", 4096)
    return 4096


def test_inputs_larger_than_the_limit(seeded: Cli, small_limit: int, tmp_path: Path) -> None:
    big = json.dumps({"pop3": {"username": "x" * small_limit}})
    source = tmp_path / "big.json"
    source.write_text(big, encoding="utf-8")
    refused(seeded("edit", "1000", "--file", str(source)), str(source), "larger than 4 KiB")
    refused(seeded("edit", "1000", "--file", "-", stdin=big), "stdin", "larger than 4 KiB")
    refused(seeded("import", str(source)), str(source), "larger than 4 KiB")
    refused(seeded("import", "-", stdin=big), "stdin", "larger than 4 KiB")
    exactly = json.dumps({"pop3": {"username": "y"}}).ljust(small_limit)
    assert seeded("edit", "1000", "--file", "-", stdin=exactly).code == 0


def test_password_line_is_bounded(seeded: Cli, memory_keyring: MemoryKeyring) -> None:
    endless = "x" * 100_000  # no newline
    refused(
        seeded("add", *FLAGS, "--password", "pop3", stdin=endless),
        "pop3.password",
        "longer than 4096 characters",
    )
    assert memory_keyring.entries == {}
    assert seeded("add", *FLAGS, "--password", "pop3", stdin="p" * 4096 + "\n").code == 0


def run_from(store: Path, args: list[str], stdin: Any = subprocess.DEVNULL) -> Result:
    def limit_memory() -> None:  # far below what reading /dev/zero to its end would take
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "mailaccounts", "--store", str(store), *args],
        stdin=stdin,
        capture_output=True,
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
        timeout=60,
        check=False,
        preexec_fn=limit_memory,
    )
    assert time.monotonic() - started < 30
    return Result(done.returncode, done.stdout.decode(), done.stderr.decode())


def test_dev_zero_stops_at_the_limit(store_path: Path) -> None:
    assert run_cli_process(store_path, "operators", "add", "ADM").code == 0
    refused(run_from(store_path, ["import", "/dev/zero"]), "/dev/zero", "larger than 64 MiB")
    with open("/dev/zero", "rb") as zero:
        refused(run_from(store_path, ["import", "-"], zero), "stdin", "larger than 64 MiB")
    with open("/dev/zero", "rb") as zero:
        refused(run_from(store_path, ["add", *FLAGS, "--file", "-"], zero), "stdin", "64 MiB")
    with open("/dev/zero", "rb") as zero:
        refused(run_from(store_path, ["add", *FLAGS, "--password", "pop3"], zero), "pop3.password")


# -- D13: credentials in URLs ----------------------------------------------------------


def test_exchange_url_with_credentials_is_refused(
    seeded: Cli, store_path: Path, tmp_path: Path
) -> None:
    before = store_path.read_bytes()
    url = "https://admin:Sommer2024@mail.example.com/EWS/Exchange.asmx"
    refused(
        seeded("edit", "1000", "--exchange", "--exchange-server", url, "--exchange-username", "u"),
        "exchange_settings.server",
        "must not contain a user name or password",
        secret="Sommer2024",
    )
    data = pop3_account("2000", exchange=True, exchange_settings={"server": url, "username": "u"})
    source = tmp_path / "a.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    refused(
        seeded("add", "--file", str(source)),
        "exchange_settings.server",
        "must not contain a user name or password",
        secret="Sommer2024",
    )
    assert store_path.read_bytes() == before
