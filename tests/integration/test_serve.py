"""The schedule: ``mailaccounts serve`` fetches due accounts and logs one line
a run, stops within 5 s on SIGTERM or SIGINT; failed scheduled runs switch
an account's fetching off after 10 in a row, until an admin switches it on."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from mailaccounts.services.app_context import AppContext
from mailaccounts.services.fetch_runner import DISABLE_AFTER, fetch_accounts
from tests.integration.test_fetch import INBOXES, Admin, add_account, message, server
from tests.support.cli import REPO
from tests.support.hostile_servers import ScriptedServer, pop3
from tests.support.keyrings import MemoryKeyring
from tests.support.servers import Dovecot


def serve(admin: Admin, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            *(sys.executable, "-m", "mailaccounts", "--store", str(admin.store)),
            *("--mail-root", str(admin.mail_root), "serve"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO), **env},
    )


def add_scheduled(admin: Admin, port: int, password: str, interval_minutes: int) -> None:
    """Account 1000 on a plain POP3 server at 127.0.0.1:*port*, fetched
    every *interval_minutes* into ADM's inbox."""
    account = {
        "number": "1000",
        "address": "info@mustermann.de",
        "pop3": {
            "server": "127.0.0.1",
            "port": port,
            "username": "info",
            "security": "none",
            "password": password,
        },
        "operators": ["ADM"],
        "fetch": {"interval_minutes": interval_minutes},
    }
    assert admin("add", "--file", "-", stdin=json.dumps(account)).code == 0


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_serve_fetches_due_accounts_and_stops_on_a_signal(
    tmp_path: Path, trusted_ca: Path, server: Dovecot, secret_service: Any, stop: signal.Signals
) -> None:
    # a keyring another process sees too: the test session's real Secret Service
    admin = Admin(tmp_path / "accounts.sqlite3", secret_service, tmp_path / "mail")
    for code in ("ADM", "MUE"):
        assert admin("operators", "add", code).code == 0
    assert admin("workgroups", "add", "VERTRIEB").code == 0
    server.deliver("info", message(1, 300), message(2, 300))
    add_account(admin, server, interval_minutes=5)
    add_account(admin, server, "1001", times=["23:59"])  # not due at 10:00
    env = {"MAILACCOUNTS_NOW": "2026-12-01T10:00:00+00:00", "TZ": "UTC"}
    process = serve(admin, env)
    try:
        deadline = time.monotonic() + 20
        lines: list[str] = []
        while time.monotonic() < deadline and not any("account 1000" in x for x in lines):
            line = process.stdout.readline()  # type: ignore[union-attr]
            lines.append(line)
        run = next(x for x in lines if "account 1000" in x)
        assert "ok fetched=2 copies=6 removed=2" in run
        for inbox in INBOXES:
            assert len(admin.inbox(inbox)) == 2
        asked = time.monotonic()
        process.send_signal(stop)
        out, err = process.communicate(timeout=10)
        assert time.monotonic() - asked < 5
        assert process.returncode == 0, err
        assert "stopped" in out and "account 1001" not in out + "".join(lines)
        assert "Traceback" not in err
    finally:
        if process.poll() is None:
            process.kill()


def test_ten_failed_scheduled_runs_switch_fetching_off(tmp_path: Path) -> None:
    keyring = MemoryKeyring()
    admin = Admin(tmp_path / "accounts.sqlite3", keyring, tmp_path / "mail")
    assert admin("operators", "add", "ADM").code == 0
    bad = ScriptedServer(b"+OK ready\r\n", pop3({"PASS": b"-ERR wrong password\r\n"})).start()
    try:
        add_scheduled(admin, bad.port, "falsch", interval_minutes=1)
        ctx = AppContext(admin.store, keyring, admin.mail_root)
        now = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
        for run in range(1, DISABLE_AFTER + 1):
            fetch_accounts(["1000"], ctx.open_service, admin.mail_root, lambda: now, scheduled=True)
            shown = json.loads(admin("show", "1000", "--json").out)
            assert shown["status"]["consecutive_failures"] == run
            assert shown["fetch"]["enabled"] is (run < DISABLE_AFTER)
        assert shown["status"]["problem"]["code"] == "auth_rejected"
        assert "after 10 failed scheduled runs" in shown["status"]["switched_off"]
        assert "switched off" in admin("list").out
        # runs an admin starts count, but never switch anything off
        fetch_accounts(["1000"], ctx.open_service, admin.mail_root, lambda: now)
        # the admin switches it on again: the count starts anew
        assert admin("edit", "1000", "--fetch-enabled").code == 0
        shown = json.loads(admin("show", "1000", "--json").out)
        assert shown["fetch"]["enabled"] is True
        assert shown["status"]["consecutive_failures"] == 0
        assert shown["status"]["switched_off"] is None
        ctx.close()
    finally:
        bad.stop()


__all__ = ["server"]  # the Dovecot fixture of test_fetch, used here too


def test_a_message_the_server_will_not_hand_out_never_switches_fetching_off(
    tmp_path: Path,
) -> None:
    """One unfetchable message makes every run report it, but the account
    is reached and its other mail flows: that is no failed run."""
    keyring = MemoryKeyring()
    admin = Admin(tmp_path / "accounts.sqlite3", keyring, tmp_path / "mail")
    assert admin("operators", "add", "ADM").code == 0
    server = ScriptedServer(
        b"+OK ready\r\n",
        pop3(
            {
                "UIDL": b"+OK\r\n1 one\r\n.\r\n",
                "LIST": b"+OK\r\n1 100\r\n.\r\n",
                "RETR": b"-ERR [SYS/TEMP] cannot read it\r\n",
            }
        ),
    ).start()
    try:
        add_scheduled(admin, server.port, "pw", interval_minutes=1)
        ctx = AppContext(admin.store, keyring, admin.mail_root)
        now = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
        for _ in range(DISABLE_AFTER + 2):
            [result] = fetch_accounts(
                ["1000"], ctx.open_service, admin.mail_root, lambda: now, scheduled=True
            )
            assert result.problem is not None and result.problem.code == "retrieve_rejected"
        shown = json.loads(admin("show", "1000", "--json").out)
        assert shown["fetch"]["enabled"] is True
        assert shown["status"]["consecutive_failures"] == 0
        assert shown["status"]["problem"]["code"] == "retrieve_rejected"
        ctx.close()
    finally:
        server.stop()


@pytest.fixture
def quiet_box() -> Iterator[ScriptedServer]:
    """A POP3 server with an empty mailbox."""
    box = ScriptedServer(
        b"+OK ready\r\n", pop3({"UIDL": b"+OK\r\n.\r\n", "LIST": b"+OK\r\n.\r\n"})
    ).start()
    yield box
    box.stop()


def scheduled_admin(tmp_path: Path, box: ScriptedServer) -> tuple[Admin, AppContext]:
    keyring = MemoryKeyring()
    admin = Admin(tmp_path / "accounts.sqlite3", keyring, tmp_path / "mail")
    assert admin("operators", "add", "ADM").code == 0
    add_scheduled(admin, box.port, "geheim", interval_minutes=5)
    return admin, AppContext(admin.store, keyring, admin.mail_root)


def run_scheduler(scheduler: Any) -> None:
    safety = threading.Timer(20, scheduler.request_stop)
    safety.start()
    try:
        scheduler.run()
    finally:
        safety.cancel()


def tear_accounts_page(store: Path) -> None:
    """What a restore still under way may leave: the accounts table's first
    page overwritten, the file's header and meta table intact."""
    with sqlite3.connect(store) as db:
        page = db.execute("SELECT rootpage FROM sqlite_master WHERE name = 'accounts'").fetchone()
        size = db.execute("PRAGMA page_size").fetchone()
    db.close()
    with open(store, "r+b") as file:
        file.seek((page[0] - 1) * size[0])
        file.write(b"\xa5" * size[0])


@pytest.mark.parametrize("damage", ["not a store", "a torn page"])
def test_a_store_that_cannot_be_read_is_logged_and_tried_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, quiet_box: ScriptedServer, damage: str
) -> None:
    """The service goes on: the store unreadable for a moment (a restore in
    progress, say) costs a look at the schedule, then the next one works."""
    from mailaccounts.services import schedule

    admin, ctx = scheduled_admin(tmp_path, quiet_box)
    good = admin.store.read_bytes()
    if damage == "not a store":
        admin.store.write_bytes(b"not a store at all" * 100)
    else:
        tear_accounts_page(admin.store)
    monkeypatch.setattr(schedule, "TICK", 0.05)
    lines: list[str] = []

    def log(line: str) -> None:
        lines.append(line)
        if "could not be read" in line:
            admin.store.write_bytes(good)  # the restore has finished
        if "account 1000" in line:
            scheduler.request_stop()

    now = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    scheduler = schedule.Scheduler(ctx.open_service, admin.mail_root, lambda: now, log)
    run_scheduler(scheduler)
    assert "the schedule could not be read" in lines[0], lines
    assert "trying again later" in lines[0]
    assert "account 1000 ok fetched=0" in lines[-1], lines
    shown = json.loads(admin("show", "1000", "--json").out)
    assert shown["status"]["ok"] is True


def test_a_store_of_a_newer_release_ends_the_service(
    tmp_path: Path, quiet_box: ScriptedServer
) -> None:
    """Trying again would not help: the service ends with the reason (and
    systemd reports it), instead of logging the same line for ever."""
    from mailaccounts.services import schedule
    from mailaccounts.store import StoreTooNew

    admin, ctx = scheduled_admin(tmp_path, quiet_box)
    with sqlite3.connect(admin.store) as db:
        db.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    db.close()
    now = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    scheduler = schedule.Scheduler(ctx.open_service, admin.mail_root, lambda: now, print)
    with pytest.raises(StoreTooNew):
        run_scheduler(scheduler)


def test_a_defect_in_one_run_ends_the_service_even_beside_a_store_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, quiet_box: ScriptedServer
) -> None:
    """A store failure is logged and tried again; a defect is not swallowed
    with it, even when the account that met the store failure comes first
    (fetch_accounts raises the first exception in the accounts' order)."""
    from mailaccounts.services import fetch_runner as runner
    from mailaccounts.services import schedule
    from mailaccounts.store import StoreError

    admin, ctx = scheduled_admin(tmp_path, quiet_box)
    account = json.loads(admin("show", "1000", "--json").out)
    account["number"] = "1001"
    account.pop("status", None)
    assert admin("add", "--file", "-", stdin=json.dumps(account)).code == 0

    def fetch_one(service: Any, number: str, *args: Any) -> Any:
        if number == "1000":
            raise StoreError("the store is busy")
        raise ZeroDivisionError("a defect")

    monkeypatch.setattr(runner, "_fetch_one", fetch_one)
    monkeypatch.setattr(schedule, "TICK", 0.05)
    lines: list[str] = []
    now = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    scheduler = schedule.Scheduler(ctx.open_service, admin.mail_root, lambda: now, lines.append)
    with pytest.raises(ZeroDivisionError):
        run_scheduler(scheduler)
    assert any("the store failed during the run" in line for line in lines), lines
