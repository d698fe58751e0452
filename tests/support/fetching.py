"""Fetching mail in tests: the messages a test sends, the check that each
ends up exactly once in each inbox, and ``mailaccounts fetch`` run in this
process or as the real program in a process of its own (which a test may
kill): one store, one file keyring both share, one mail root.

Our copies have LF line ends; messages are compared by the SHA-256 of their
content in that form."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import random
import sqlite3
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from tests.conftest import POP3_USERS
from tests.support.cli import REPO, Result, run_cli
from tests.support.keyrings import FileKeyring

INBOXES = ("operators/ADM", "operators/MUE", "workgroups/VERTRIEB")
USER = "info"
PASSWORD = POP3_USERS[USER]


def mail(number: int, size: int) -> bytes:
    """Message *number*, about *size* bytes, CR LF line ends. Distinct for
    every number; some body lines begin with a dot (stuffed on the wire)."""
    rnd = random.Random(number)
    head = (
        f"From: sender{number}@example.com\r\nTo: info@mustermann.de\r\n"
        f"Subject: Nachricht {number}\r\nMessage-ID: <{number}.{size}@example.com>\r\n\r\n"
        f".line {number} starts with a dot\r\n"
    ).encode()
    lines, total, index = [], len(head), 0
    while total < size:
        text = base64.b64encode(rnd.randbytes(57))  # 76 characters
        line = (b"." + text if index % 9 == 4 else text) + b"\r\n"
        lines.append(line)
        total += len(line)
        index += 1
    return head + b"".join(lines)


def mixed(count: int, seed: int, smallest: int = 200, largest: int = 60_000) -> list[bytes]:
    """*count* distinct messages of sizes spread evenly on a log scale."""
    rnd = random.Random(seed)
    return [
        mail(seed * 100_000 + i, int(smallest * (largest / smallest) ** rnd.random()))
        for i in range(count)
    ]


def digest(content: bytes) -> str:
    return hashlib.sha256(content.replace(b"\r\n", b"\n")).hexdigest()


class Inboxes:
    """What the inboxes of a mail root hold, by content (each file read once:
    a copy's content never changes under its name)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._known: dict[Path, str] = {}

    def contents(self, inbox: str) -> Counter[str]:
        found: Counter[str] = Counter()
        for sub in ("new", "cur"):
            folder = self.root / inbox / sub
            if not folder.exists():
                continue
            for path in folder.iterdir():
                if path not in self._known:
                    self._known[path] = digest(path.read_bytes())
                found[self._known[path]] += 1
        return found

    def leftovers(self) -> list[Path]:
        """Files that a finished run should not leave: in ``tmp/`` of an
        inbox, or in the staging folder."""
        found = [p for inbox in INBOXES for p in (self.root / inbox / "tmp").glob("*")]
        staging = self.root / ".incoming"
        return found + ([p for p in staging.rglob("*") if p.is_file()] if staging.exists() else [])


def server_digests(folder: Path) -> Counter[str]:
    """What a Maildir on the server holds now. Dovecot may move or expunge a
    file while it is read: then the folders are listed again."""
    for _ in range(20):
        try:
            return Counter(
                digest(p.read_bytes())
                for sub in ("new", "cur")
                for p in sorted((folder / sub).iterdir())
            )
        except FileNotFoundError:
            continue
    raise AssertionError(f"{folder} kept changing while it was read")


def dovecot_uids(folder: Path) -> dict[str, str]:
    """The UIDL of each message in a Dovecot Maildir that a POP3 session has
    seen (``pop3_uidl_format = %08Xu%08Xv``, from ``dovecot-uidlist``), with
    the message's digest."""
    try:
        header, *rows = (folder / "dovecot-uidlist").read_text().splitlines()
    except FileNotFoundError:
        return {}
    validity = int(header.split()[1].removeprefix("V"))
    files = {p.name.split(":")[0]: p for sub in ("new", "cur") for p in (folder / sub).iterdir()}
    found = {}
    for row in rows:
        uid, _, name = row.partition(" :")
        path = files.get(name)
        if path is None:
            continue  # expunged
        try:
            found[f"{int(uid.split()[0]):08x}{validity:08x}"] = digest(path.read_bytes())
        except FileNotFoundError:
            continue
    return found


def check_exactly_once(
    inboxes: Inboxes,
    sent: Iterable[bytes],
    on_server: Counter[str],
    *,
    complete: bool = False,
) -> dict[str, int]:
    """The invariant at any moment, even right after a kill: in each inbox no
    message twice and nothing that was not sent; every message gone from the
    server is in every inbox. With *complete*: every message sent is in every
    inbox (and the server holds none of them). Returns the copies per inbox."""
    expected = Counter(digest(m) for m in sent)
    assert max(expected.values(), default=1) == 1, "the test sent a message twice"
    gone = set(expected) - set(on_server)
    counts = {}
    for inbox in INBOXES:
        held = inboxes.contents(inbox)
        doubled = [d for d, n in held.items() if n > 1]
        assert not doubled, f"{inbox}: {len(doubled)} messages twice"
        strangers = set(held) - set(expected)
        assert not strangers, f"{inbox}: {len(strangers)} copies of nothing that was sent"
        lost = gone - set(held)
        assert not lost, f"{inbox}: {len(lost)} messages left the server without reaching it"
        if complete:
            missing = set(expected) - set(held)
            assert not missing, f"{inbox}: {len(missing)} of {len(expected)} messages missing"
        counts[inbox] = len(held)
    if complete:
        assert not set(expected) & set(on_server), "delivered messages stayed on the server"
    return counts


class FetchWorld:
    """A store with operators ADM and MUE and workgroup VERTRIEB, a file
    keyring, a mail root; the CLI in this process or as a process."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.store = folder / "store" / "accounts.sqlite3"
        self.mail_root = folder / "mail"
        self.keyring = FileKeyring(str(folder / "keyring.json"))
        self.inboxes = Inboxes(self.mail_root)
        for kind, code in (("operators", "ADM"), ("operators", "MUE"), ("workgroups", "VERTRIEB")):
            added = self.cli(kind, "add", code)
            assert added.code == 0, added.err

    def cli(self, *args: str, stdin: str = "") -> Result:
        return run_cli(
            self.store, "--mail-root", str(self.mail_root), *args, stdin=stdin, keyring=self.keyring
        )

    def add_account(
        self, port: int, number: str = "1000", password: str = PASSWORD, **fetch: object
    ) -> None:
        account = {
            "number": number,
            "address": f"info{number}@mustermann.de",
            "pop3": {
                "server": "localhost",
                "port": port,
                "username": USER,
                "security": "ssl",
                "password": password,
            },
            "operators": ["ADM", "MUE"],
            "workgroups": ["VERTRIEB"],
            "fetch": fetch,
        }
        added = self.cli("add", "--file", "-", stdin=json.dumps(account))
        assert added.code == 0, added.err

    def fetch(self, *numbers: str) -> tuple[int, dict[str, dict[str, Any]]]:
        """``mailaccounts fetch --json`` in this process."""
        return parse(self.cli("fetch", *numbers, "--json"))

    # -- the real program in a process of its own --------------------------

    def env(self) -> dict[str, str]:
        return {
            **os.environ,  # SSL_CERT_FILE: the test CA (trusted_ca)
            "PYTHONPATH": f"{REPO}:{REPO / 'src'}",
            "PYTHON_KEYRING_BACKEND": "tests.support.keyrings.FileKeyring",
            "MAILACCOUNTS_TRUST_KEYRING_BACKEND": "tests.support.keyrings.FileKeyring",
            FileKeyring.ENV: str(self.keyring.path),
        }

    def command(self, *numbers: str) -> list[str]:
        return [
            sys.executable,
            "-m",
            "mailaccounts",
            "--store",
            str(self.store),
            "--mail-root",
            str(self.mail_root),
            "fetch",
            *numbers,
            "--json",
        ]

    def start(self, *numbers: str) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            self.command(*numbers),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=self.env(),
            cwd=REPO,
        )

    def fetch_process(
        self, *numbers: str, timeout: float = 120
    ) -> tuple[int, dict[str, dict[str, Any]]]:
        done = subprocess.run(
            self.command(*numbers),
            capture_output=True,
            env=self.env(),
            cwd=REPO,
            timeout=timeout,
            check=False,
        )
        return parse(Result(done.returncode, done.stdout.decode(), done.stderr.decode()))

    # -- what the store says ------------------------------------------------

    def recorded(self, number: str = "1000") -> set[str]:
        """The ids of the messages the store records as delivered into
        every inbox (lower case)."""
        with sqlite3.connect(self.store) as db:
            rows = db.execute("SELECT uid FROM fetch_seen WHERE number = ?", (number,))
            return {str(row[0]).lower() for row in rows}

    def open_service(self) -> Callable[[], Any]:
        """What the window gives its workers: a service of their own each."""
        from mailaccounts.keyring.backend import KeyringSecrets
        from mailaccounts.services.accounts import AccountService
        from mailaccounts.store.sqlite import SqliteStore

        def open_one() -> AccountService:
            store = SqliteStore(self.store)
            return AccountService(store, KeyringSecrets(store.store_id, self.keyring))

        return open_one


def parse(result: Result) -> tuple[int, dict[str, dict[str, Any]]]:
    assert "Traceback" not in result.err, result.err
    accounts = json.loads(result.out)["accounts"] if result.out.strip() else []
    return result.code, {a["number"]: a for a in accounts}
