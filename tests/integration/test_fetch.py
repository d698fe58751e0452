"""Fetching mail from a real Dovecot into the operators' and workgroups'
Maildir inboxes: every message exactly once into each inbox."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import POP3_USERS
from tests.support.accounts import exchange_account
from tests.support.certs import Authority
from tests.support.cli import Result, run_cli
from tests.support.keyrings import MemoryKeyring
from tests.support.servers import Dovecot

INBOXES = ("operators/ADM", "operators/MUE", "workgroups/VERTRIEB")


def message(number: int, size: int) -> bytes:
    rnd = random.Random(number)
    body = "".join(rnd.choice("abcdefghij .,\n") for _ in range(size)).replace("\n", "\r\n")
    return (
        f"From: sender{number}@example.com\r\nTo: info@mustermann.de\r\n"
        f"Subject: Nachricht {number}\r\nMessage-ID: <{number}@example.com>\r\n\r\n"
        f".starts with a dot\r\n{body}\r\n"
    ).encode()


@pytest.fixture
def server() -> Iterator[Dovecot]:
    dovecot = Dovecot(POP3_USERS, Authority.shared().issue(["localhost", "127.0.0.1"])).start()
    yield dovecot
    dovecot.stop()


class Admin:
    """The CLI against one store, one keyring and one mail root."""

    def __init__(self, store: Path, keyring: MemoryKeyring, mail_root: Path) -> None:
        self.store, self.keyring, self.mail_root = store, keyring, mail_root

    def __call__(self, *args: str, stdin: str = "") -> Result:
        return run_cli(
            self.store, "--mail-root", str(self.mail_root), *args, stdin=stdin, keyring=self.keyring
        )

    def fetch(self, *numbers: str) -> tuple[int, dict[str, dict[str, Any]]]:
        result = self("fetch", *numbers, "--json")
        accounts = json.loads(result.out)["accounts"] if result.out else []
        return result.code, {a["number"]: a for a in accounts}

    def inbox(self, inbox: str) -> list[bytes]:
        folder = self.mail_root / inbox / "new"
        return sorted(p.read_bytes() for p in folder.iterdir()) if folder.exists() else []


@pytest.fixture
def admin(tmp_path: Path, trusted_ca: Path) -> Admin:
    admin = Admin(tmp_path / "accounts.sqlite3", MemoryKeyring(), tmp_path / "mail")
    for code in ("ADM", "MUE"):
        assert admin("operators", "add", code).code == 0
    assert admin("workgroups", "add", "VERTRIEB").code == 0
    return admin


def add_account(
    admin: Admin,
    server: Dovecot,
    number: str = "1000",
    password: str = "pop3-geheim",
    **fetch: object,
) -> None:
    account = {
        "number": number,
        "address": f"info{number}@mustermann.de",
        "pop3": {
            "server": "localhost",
            "port": server.tls_port,
            "username": "info",
            "security": "ssl",
            "password": password,
        },
        "operators": ["ADM", "MUE"],
        "workgroups": ["VERTRIEB"],
        "fetch": fetch,
    }
    added = admin("add", "--file", "-", stdin=json.dumps(account))
    assert added.code == 0, added.err


def test_every_message_once_into_every_inbox(admin: Admin, server: Dovecot) -> None:
    sent = [message(n, size) for n, size in enumerate((200, 3000, 60_000, 250_000, 10))]
    server.deliver("info", *sent)
    add_account(admin, server)
    code, results = admin.fetch()
    assert code == 0, results
    assert results["1000"]["ok"] and results["1000"]["problem"] is None
    assert (results["1000"]["fetched"], results["1000"]["copies"]) == (5, 15)
    assert results["1000"]["removed_from_server"] == 5
    expected = sorted(m.replace(b"\r\n", b"\n") for m in sent)
    for inbox in INBOXES:
        assert admin.inbox(inbox) == expected, inbox
        names = [p.name for p in (admin.mail_root / inbox / "new").iterdir()]
        assert all(":" not in name for name in names)  # valid on Windows too
    assert server.messages("info") == []
    # the next run finds nothing new
    code, results = admin.fetch()
    assert code == 0 and results["1000"]["fetched"] == 0
    for inbox in INBOXES:
        assert len(admin.inbox(inbox)) == 5
    # independent inboxes: removing the copy in one leaves the others
    first = next((admin.mail_root / INBOXES[0] / "new").iterdir())
    first.unlink()
    assert len(admin.inbox(INBOXES[1])) == 5


def test_leave_on_server_then_remove_after_days(
    admin: Admin, server: Dovecot, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.deliver("info", *(message(n, 500) for n in range(3)))
    add_account(admin, server, leave_on_server=True, delete_after_days=3)
    monkeypatch.setenv("MAILACCOUNTS_NOW", "2026-12-01T08:00:00+00:00")
    code, results = admin.fetch()
    assert code == 0 and results["1000"]["fetched"] == 3
    assert results["1000"]["removed_from_server"] == 0
    assert len(server.messages("info")) == 3
    server.deliver("info", message(10, 500))  # a new one arrives
    monkeypatch.setenv("MAILACCOUNTS_NOW", "2026-12-03T08:00:00+00:00")
    code, results = admin.fetch()
    assert (results["1000"]["fetched"], results["1000"]["removed_from_server"]) == (1, 0)
    monkeypatch.setenv("MAILACCOUNTS_NOW", "2026-12-04T08:00:00+00:00")  # 3 days after the first
    code, results = admin.fetch()
    assert (results["1000"]["fetched"], results["1000"]["removed_from_server"]) == (0, 3)
    assert len(server.messages("info")) == 1
    monkeypatch.setenv("MAILACCOUNTS_NOW", "2026-12-06T08:00:00+00:00")
    code, results = admin.fetch()
    assert (results["1000"]["fetched"], results["1000"]["removed_from_server"]) == (0, 1)
    for inbox in INBOXES:
        assert len(admin.inbox(inbox)) == 4


def test_a_wrong_password_fails_one_account_and_not_the_other(
    admin: Admin, server: Dovecot
) -> None:
    server.deliver("info", message(1, 100))
    add_account(admin, server, "1000", password="falsch")
    add_account(admin, server, "1001")
    code, results = admin.fetch()
    assert code == 1
    assert results["1000"]["problem"]["code"] == "auth_rejected"
    assert results["1001"]["ok"] and results["1001"]["fetched"] == 1
    shown = json.loads(admin("show", "1000", "--json").out)
    assert "password" not in json.dumps(shown)


def test_exchange_accounts_are_skipped_with_a_reason(admin: Admin, server: Dovecot) -> None:
    add_account(admin, server, "1000")
    exchange = exchange_account()
    assert admin("add", "--file", "-", stdin=json.dumps(exchange)).code == 0
    code, results = admin.fetch()
    assert code == 0 and set(results) == {"1000"}  # a plain fetch takes POP3 accounts only
    code, results = admin.fetch("2000")
    assert code == 1 and results["2000"]["problem"]["code"] == "exchange_not_fetched"
    assert "Exchange" in results["2000"]["problem"]["message"]
