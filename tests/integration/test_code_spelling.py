"""Codes compare case-insensitively, and a code names its inbox folder: one
code, one inbox. Every save stores a code as the directory spells it, and
an account an earlier release stored with another spelling still delivers
into the directory's folder."""

from __future__ import annotations

import collections
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import POP3_USERS
from tests.support.certs import Authority
from tests.support.fetching import PASSWORD, USER, FetchWorld, check_exactly_once, digest, mixed
from tests.support.pop3_box import Pop3Box


@pytest.fixture
def world(tmp_path: Path, trusted_ca: Path) -> FetchWorld:
    return FetchWorld(tmp_path)


@pytest.fixture
def box() -> Any:
    started = Pop3Box(Authority.shared().issue(["localhost", "127.0.0.1"]), POP3_USERS).start()
    yield started
    started.stop()


def account(number: str, port: int, operators: list[str], workgroups: list[str]) -> str:
    return json.dumps(
        {
            "number": number,
            "address": f"info{number}@mustermann.de",
            "pop3": {
                "server": "localhost",
                "port": port,
                "username": USER,
                "security": "ssl",
                "password": PASSWORD,
            },
            "operators": operators,
            "workgroups": workgroups,
        }
    )


def stored_codes(world: FetchWorld, number: str) -> tuple[list[str], list[str], str]:
    """The codes in the store file itself, and the list's operators column."""
    with sqlite3.connect(world.store) as db:
        data, column = db.execute(
            "SELECT data, operators FROM accounts WHERE number = ?", (number,)
        ).fetchone()
    db.close()
    doc = json.loads(data)
    return doc["operators"], doc["workgroups"], column


def folders(world: FetchWorld) -> dict[str, list[str]]:
    return {
        kind: sorted(p.name for p in (world.mail_root / kind).iterdir())
        for kind in ("operators", "workgroups")
        if (world.mail_root / kind).exists()
    }


def test_every_save_path_stores_the_directory_spelling(world: FetchWorld) -> None:
    added = world.cli(
        "add",
        "--number",
        "1000",
        "--address",
        "info@mustermann.de",
        "--pop3-server",
        "localhost",
        "--pop3-username",
        USER,
        "--operators",
        "adm",
        "--workgroups",
        "Vertrieb",
    )
    assert added.code == 0, added.err
    assert stored_codes(world, "1000") == (["ADM"], ["VERTRIEB"], "ADM")
    added = world.cli("add", "--file", "-", stdin=account("1001", 995, ["Adm", "mUE"], []))
    assert added.code == 0, added.err
    assert stored_codes(world, "1001") == (["ADM", "MUE"], [], "ADM; MUE")
    edited = world.cli("edit", "1000", "--file", "-", stdin='{"operators": ["mue", "aDm"]}')
    assert edited.code == 0, edited.err
    assert stored_codes(world, "1000")[0] == ["MUE", "ADM"]
    edited = world.cli("edit", "1001", "--operators", "adm")
    assert edited.code == 0, edited.err
    assert stored_codes(world, "1001")[0] == ["ADM"]
    document = {
        "format": "mailaccounts-export",
        "version": 1,
        # the directory of another installation, spelled its own way: the
        # codes this store has keep this store's spelling, a new one its own
        "operators": [{"code": "adm", "name": ""}, {"code": "Neu", "name": ""}],
        "workgroups": [],
        "accounts": [json.loads(account("1002", 995, ["ADM", "neu"], ["vertrieb"]))],
    }
    imported = world.cli("import", "-", stdin=json.dumps(document))
    assert imported.code == 0, imported.err
    assert stored_codes(world, "1002") == (["ADM", "Neu"], ["VERTRIEB"], "ADM; Neu")
    listed = json.loads(world.cli("operators", "list", "--json").out)
    assert [entry["code"] for entry in listed] == ["ADM", "MUE", "Neu"]


def test_a_code_the_directory_has_in_another_case_is_refused_as_duplicate(
    world: FetchWorld,
) -> None:
    before = world.store.read_bytes()
    refused = world.cli("operators", "add", "adm")
    assert refused.code == 1
    assert "operator adm exists already (as ADM)" in refused.err
    assert world.store.read_bytes() == before


def test_an_account_stored_with_another_spelling_delivers_into_the_directory_inbox(
    world: FetchWorld, box: Pop3Box
) -> None:
    """As an earlier release (or this finding) stored it: ``adm`` and
    ``Mue`` for the directory's ``ADM`` and ``MUE``."""
    sent = mixed(3, seed=41)
    box.deliver(*sent)
    added = world.cli("add", "--file", "-", stdin=account("1000", box.port, ["ADM"], ["VERTRIEB"]))
    assert added.code == 0, added.err
    with sqlite3.connect(world.store) as db:
        (data,) = db.execute("SELECT data FROM accounts WHERE number = '1000'").fetchone()
        doc = {**json.loads(data), "operators": ["adm", "Mue"], "workgroups": ["vertrieb"]}
        db.execute(
            "UPDATE accounts SET data = ?, operators = 'adm; Mue' WHERE number = '1000'",
            (json.dumps(doc),),
        )
    db.close()

    code, results = world.fetch()
    assert code == 0, results
    assert folders(world) == {"operators": ["ADM", "MUE"], "workgroups": ["VERTRIEB"]}
    on_server = collections.Counter(digest(m) for m in box.mailbox)
    check_exactly_once(world.inboxes, sent, on_server, complete=True)
    shown = json.loads(world.cli("show", "1000", "--json").out)
    assert (shown["operators"], shown["workgroups"]) == (["ADM", "MUE"], ["VERTRIEB"])

    # an unrelated edit changes that field, and the codes only in spelling
    edited = world.cli("edit", "1000", "--fetch-leave-on-server")
    assert edited.code == 0, edited.err
    after = json.loads(world.cli("show", "1000", "--json").out)
    del shown["status"], after["status"]
    assert after == {**shown, "fetch": {**shown["fetch"], "leave_on_server": True}}
    assert stored_codes(world, "1000") == (["ADM", "MUE"], ["VERTRIEB"], "ADM; MUE")
