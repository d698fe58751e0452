"""What the CLI prints never carries a terminal escape, a C1 control, a bidi
override or a line separator raw: server replies, certificate names, stored
text from before these were refused, file names and JSON keys in errors.
Each is shown as a visible escape; JSON output escapes them as \\uXXXX.
Non-ASCII host names are shown with their ASCII (punycode) form."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mailaccounts.model.records import AccountWrite
from mailaccounts.store.sqlite import SqliteStore
from tests.support.accounts import local_server_account, pop3_account
from tests.support.cli import Result
from tests.support.scripted_servers import ScriptedServer, certificate_named
from tests.support.servers import free_port
from tests.support.types import Cli

BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
RAW = [chr(c) for c in [*range(0x20), 0x7F, *range(0x80, 0xA0)]] + list(BIDI) + ["\u2028", "\u2029"]
HOSTILE = "\x1b]0;PWNED\x07\x1b[2J\x9b31m\u202eevil\u2028x"
HOSTILE_SHOWN = "\\x1b]0;PWNED\\x07\\x1b[2J\\x9b31m\\u202eevil\\u2028x"


# -- control characters -----------------------------------------------------------


def assert_clean(result: Result) -> None:
    """No raw control anywhere; newlines only as line ends of our own."""
    for text in (result.out, result.err):
        raw = [ch for ch in text.replace("\n", "") if ch in RAW]
        assert raw == [], (raw, text)
    assert "Traceback" not in result.err


def stored_behind_the_models_back(store_path: Path, data: dict[str, Any]) -> None:
    """As an older version (or another tool) may have stored it."""
    store = SqliteStore(store_path)
    try:
        store.directory_add("operator", "EVIL", "Operator " + HOSTILE)
        store.save(AccountWrite(data, {}))
    finally:
        store.close()


def test_stored_text_is_shown_escaped(directory: Cli, store_path: Path) -> None:
    data = pop3_account("1000")
    data["pop3"]["username"] = "info" + HOSTILE
    data["operators"] = ["ADM", "EVIL"]
    stored_behind_the_models_back(store_path, data)

    shown = directory("show", "1000")
    assert shown.code == 0, shown.err
    assert_clean(shown)
    assert f"pop3.username: info{HOSTILE_SHOWN}\n" in shown.out

    listed = directory("operators", "list")
    assert_clean(listed)
    assert f"Operator {HOSTILE_SHOWN}" in listed.out

    for args in (["show", "1000", "--json"], ["list", "--json"], ["operators", "list", "--json"]):
        as_json = directory(*args)
        assert_clean(as_json)
        assert "\\u202e" in as_json.out and "\\u009b" in as_json.out
    assert (
        json.loads(directory("show", "1000", "--json").out)["pop3"]["username"]
        == data["pop3"]["username"]
    )
    exported = directory("export")
    assert_clean(exported)
    assert json.loads(exported.out)["operators"][1]["name"] == "Operator " + HOSTILE
    assert_clean(directory("list"))


def test_errors_with_file_names_and_json_keys_are_escaped(directory: Cli, tmp_path: Path) -> None:
    missing = directory("import", str(tmp_path / f"{HOSTILE}.json"))
    assert missing.code == 2 and "\\x1b]0;PWNED" in missing.err
    assert_clean(missing)
    source = tmp_path / "dup.json"
    source.write_text('{"\\u001b[2J": 1, "\\u001b[2J": 2}', encoding="utf-8")
    duplicate = directory("import", str(source))
    assert duplicate.code == 2 and "duplicate key “\\x1b[2J”" in duplicate.err
    assert_clean(duplicate)
    usage = directory("list", HOSTILE)
    assert usage.code == 2
    assert_clean(usage)
    unknown = directory("show", "1\x1b[2J")
    assert unknown.code == 1
    assert_clean(unknown)


def add_local_account(cli: Cli, pop3_port: int, smtp_port: int, security: str = "none") -> None:
    data = local_server_account(
        pop3_port, smtp_port, security=security, pop3_password="pw", smtp_password="pw"
    )
    data["pop3"]["server"] = data["smtp"]["server"] = "127.0.0.1"
    data["smtp"]["security"] = "none"
    data["smtp"]["auth"]["required"] = False
    assert cli("operators", "add", "ADM").code == 0
    result = cli("add", "--file", "-", stdin=json.dumps(data))
    assert result.code == 0, result.err


@pytest.fixture
def hostile_servers() -> Iterator[tuple[ScriptedServer, ScriptedServer]]:
    pop3 = ScriptedServer(
        b"+OK ready\r\n",
        {
            b"CAPA": b"+OK\r\nUSER\r\nX-" + HOSTILE.encode() + b"\r\n.\r\n",
            b"USER": b"-ERR " + HOSTILE.encode() + b"\r\n",
        },
    ).start()
    smtp = ScriptedServer(b"554 " + HOSTILE.encode() + b"\r\n").start()
    yield pop3, smtp
    pop3.stop()
    smtp.stop()


def test_server_replies_are_shown_escaped(
    cli: Cli, hostile_servers: tuple[ScriptedServer, ScriptedServer]
) -> None:
    pop3, smtp = hostile_servers
    add_local_account(cli, pop3.port, smtp.port)
    result = cli("test", "1000")
    assert result.code == 1
    assert_clean(result)
    assert f"the server rejected the login: -ERR {HOSTILE_SHOWN}" in result.out
    assert "unexpected answer from the server: 554" in result.out
    assert "X-\\x1b]0;PWNED" in result.out  # the capability list
    as_json = cli("test", "1000", "--json")
    assert_clean(as_json)
    steps = json.loads(as_json.out)["steps"]
    # the report itself holds what the server said with its controls made visible
    assert any(s.get("problem", {}).get("text") == "-ERR " + HOSTILE_SHOWN for s in steps)


def test_certificate_names_are_shown_escaped(cli: Cli) -> None:
    certificate = certificate_named("<b>" + HOSTILE, "Issuer " + HOSTILE)
    with ScriptedServer(b"+OK ready\r\n", certificate=certificate) as pop3:
        add_local_account(cli, pop3.port, free_port(), security="ssl")
        result = cli("test", "1000")
    assert result.code == 1
    assert_clean(result)
    notes = result.out[result.out.index("POP3 certificate: subject CN=") :]
    assert "\\<b\\>\\x1b]0" in notes  # rfc4514 escapes "<", ">" and ";" itself
    assert "issuer CN=Issuer \\x1b]0" in notes


# -- hosts ----------------------------------------------------------------------


def test_non_ascii_hosts_are_shown_with_their_ascii_form(directory: Cli) -> None:
    data = pop3_account("1000")
    data["pop3"]["server"] = "exаmple.com"
    data["smtp"]["server"] = "smtp.müller.de"
    assert directory("add", "--file", "-", stdin=json.dumps(data)).code == 0
    shown = directory("show", "1000").out
    assert "pop3.server: exаmple.com (xn--exmple-4nf.com)\n" in shown
    assert "smtp.server: smtp.müller.de (smtp.xn--mller-kva.de)\n" in shown
    assert "smtp.server_name: \n" in shown
    exchange = pop3_account(
        "2000",
        exchange=True,
        exchange_settings={"server": "https://müller.de/EWS/Exchange.asmx", "username": "u"},
    )
    assert directory("add", "--file", "-", stdin=json.dumps(exchange)).code == 0
    shown = directory("show", "2000").out
    assert (
        "exchange_settings.server: https://müller.de/EWS/Exchange.asmx (xn--mller-kva.de)\n"
        in shown
    )
    assert json.loads(directory("show", "1000", "--json").out)["pop3"]["server"] == "exаmple.com"
