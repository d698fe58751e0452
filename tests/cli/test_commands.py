from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

import pytest

from tests.support.accounts import pop3_account
from tests.support.cli import Result
from tests.support.keyrings import MemoryKeyring
from tests.support.types import Cli


def add(cli: Cli, data: dict[str, Any], *args: str, stdin: str | None = None) -> Result:
    return cli("add", "--file", "-", *args, stdin=stdin or json.dumps(data))


def test_add_with_flags_only_and_list(directory: Cli) -> None:
    result = directory(
        "add",
        "--number",
        "0042",
        "--address",
        "info@müller.de",
        "--pop3-server",
        "pop.müller.de",
        "--pop3-username",
        "info",
        "--pop3-security",
        "starttls",
        "--operators",
        "adm; MUE",
        "--workgroups",
        "vertrieb",
    )
    assert result.code == 0, result.err
    assert "warning: operators: 2 operators" in result.err
    shown = json.loads(directory("show", "0042", "--json").out)
    assert shown["pop3"]["port"] == 110
    assert shown["operators"] == ["ADM", "MUE"]  # as the directory spells them
    assert shown["workgroups"] == ["VERTRIEB"]
    listing = directory("list").out.splitlines()
    header = ["Number", "Address", "Type", "Incoming", "Outgoing", "Operators", "Last", "fetch"]
    assert listing[0].split() == header
    assert listing[1].split()[-1] == "never"
    assert listing[1].split()[:5] == [
        "0042",
        "info@müller.de",
        "POP3",
        "pop.müller.de",
        "pop.müller.de",
    ]
    assert [a["number"] for a in json.loads(directory("list", "--json").out)] == ["0042"]


def test_list_says_when_fetching_is_switched_off(directory: Cli) -> None:
    assert add(directory, pop3_account("1000")).code == 0
    assert add(directory, {**pop3_account("1001"), "fetch": {"enabled": False}}).code == 0
    last = {line.split()[0]: line.split()[-1] for line in directory("list").out.splitlines()[1:]}
    assert last == {"1000": "never", "1001": "off"}


def test_edit_merges_and_ports_follow_security(directory: Cli) -> None:
    assert add(directory, pop3_account("1000")).code == 0
    assert directory("edit", "1000", "--pop3-security", "starttls").code == 0
    account = json.loads(directory("show", "1000", "--json").out)
    assert (account["pop3"]["security"], account["pop3"]["port"]) == ("starttls", 110)
    assert directory("edit", "1000", "--pop3-port", "1110").code == 0
    assert directory("edit", "1000", "--pop3-security", "ssl").code == 0
    account = json.loads(directory("show", "1000", "--json").out)
    assert (account["pop3"]["security"], account["pop3"]["port"]) == ("ssl", 1110)
    patch = {"smtp": {"auth": {"method": "login"}}, "workgroups": ["SUPPORT"]}
    assert directory("edit", "1000", "--file", "-", stdin=json.dumps(patch)).code == 0
    account = json.loads(directory("show", "1000", "--json").out)
    assert account["smtp"]["auth"] == {
        **pop3_account()["smtp"]["auth"],
        "method": "login",
        "same_as_incoming": False,
    }
    assert account["workgroups"] == ["SUPPORT"]
    assert "revision: 5" in directory("show", "1000").out


def test_passwords_from_stdin_and_clearing_them(
    directory: Cli, memory_keyring: MemoryKeyring
) -> None:
    result = directory(
        "add",
        "--number",
        "1000",
        "--address",
        "a@b.de",
        "--pop3-server",
        "h.de",
        "--pop3-username",
        "u",
        "--operators",
        "ADM",
        "--password",
        "pop3",
        "--password",
        "smtp",
        stdin="eins\nzwei\n",
    )
    assert result.code == 0, result.err
    assert sorted(memory_keyring.values()) == ["eins", "zwei"]
    assert directory("edit", "1000", "--clear-password", "smtp").code == 0
    assert memory_keyring.values() == ["eins"]
    shown = directory("show", "1000").out
    assert "pop3.password: stored in the keyring" in shown
    assert "smtp.auth.password: not set" in shown
    missing = directory("edit", "1000", "--password", "pop3", stdin="")
    assert missing.code == 2 and "pop3.password: no password on stdin" in missing.err


def test_delete_asks_unless_yes(directory: Cli, memory_keyring: MemoryKeyring) -> None:
    data = {**pop3_account("1000"), "pop3": {**pop3_account()["pop3"], "password": "pw"}}
    assert add(directory, data).code == 0
    refused = directory("delete", "1000", stdin="n\n")
    assert refused.code == 1 and "Delete account 1000 <info1000@mustermann.de>" in refused.err
    assert directory("show", "1000").code == 0
    assert directory("delete", "1000", stdin="j\n").code == 0
    assert directory("show", "1000").code == 1
    assert memory_keyring.entries == {}
    assert directory("delete", "1000", "--yes").code == 1


def test_export_document_and_private_file(directory: Cli, tmp_path: Path) -> None:
    assert add(directory, pop3_account("1000")).code == 0
    target = tmp_path / "export.json"
    assert directory("export", "--output", str(target)).code == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    doc = json.loads(target.read_text(encoding="utf-8"))
    assert doc["format"] == "mailaccounts-export" and doc["version"] == 1
    assert [o["code"] for o in doc["operators"]] == ["ADM", "MUE", "SCH"]
    assert doc["operators"][1] == {"code": "MUE", "name": "Müller"}
    assert [a["number"] for a in doc["accounts"]] == ["1000"]


def test_import_is_all_or_nothing_and_replace(
    directory: Cli, tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    assert add(directory, pop3_account("1000")).code == 0
    doc = {
        "format": "mailaccounts-export",
        "version": 1,
        "operators": [{"code": "NEU", "name": "Neu"}],
        "workgroups": [],
        "accounts": [
            pop3_account("2000", operators=["NEU"]),
            {
                **pop3_account("1000", address="neu@x.de"),
                "pop3": {**pop3_account()["pop3"], "password": "importiert"},
            },
        ],
    }
    source = tmp_path / "doc.json"
    source.write_text(json.dumps(doc), encoding="utf-8")
    refused = directory("import", str(source))
    assert refused.code == 2 and "accounts[1].number: account 1000 exists already" in refused.err
    assert directory("show", "2000").code == 1
    assert "NEU" not in directory("operators", "list").out
    done = directory("import", str(source), "--replace")
    assert done.code == 0, done.err
    assert "2 account(s): 1 new, 1 replaced" in done.out
    assert json.loads(directory("show", "1000", "--json").out)["address"] == "neu@x.de"
    assert memory_keyring.values() == ["importiert"]


def test_directory_maintenance(directory: Cli) -> None:
    assert json.loads(directory("operators", "list", "--json").out)[0] == {
        "code": "ADM",
        "name": "Administrator",
    }
    duplicate = directory("operators", "add", "adm")
    assert duplicate.code == 1 and "exists already" in duplicate.err
    bad = directory("workgroups", "add", "a b")
    assert bad.code == 2 and "code" in bad.err
    assert add(directory, pop3_account("1000", workgroups=["support"])).code == 0
    in_use = directory("workgroups", "remove", "SUPPORT")
    assert in_use.code == 1 and "still assigned to account(s) 1000" in in_use.err
    assert directory("workgroups", "remove", "VERTRIEB").code == 0
    assert "VERTRIEB" not in directory("workgroups", "list").out


def test_store_errors_are_clear(tmp_path: Path) -> None:
    from tests.support.cli import run_cli

    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database at all" * 50)
    result = run_cli(junk, "list")
    assert result.code == 1
    assert "cannot be used as a mailaccounts store" in result.err
    assert "Traceback" not in result.err


def test_store_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from mailaccounts.cli import main

    target = tmp_path / "env" / "store.sqlite3"
    monkeypatch.setenv("MAILACCOUNTS_STORE", str(target))
    out = io.StringIO()
    assert main(["operators", "add", "ADM"], stdout=out, stderr=io.StringIO()) == 0
    assert target.exists()
