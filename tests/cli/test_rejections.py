"""Every bad input gets exit code 2, a message naming the field, and leaves
the store file byte-identical."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.support.accounts import pop3_account
from tests.support.cli import Result
from tests.support.types import Cli


def with_field(path: str, value: Any) -> dict[str, Any]:
    data = pop3_account("2000")
    node = data
    *parents, leaf = path.split(".")
    for part in parents:
        node = node.setdefault(part, {})
    node[leaf] = value
    return data


FILE_CASES: list[tuple[str, Any, str]] = [
    # (case id, account JSON, field named in the message)
    ("number-3-digits", with_field("number", "123"), "number"),
    ("number-5-digits", with_field("number", "12345"), "number"),
    ("number-letters", with_field("number", "abcd"), "number"),
    ("number-zero", with_field("number", "0000"), "number"),
    ("number-int", with_field("number", 1000), "number"),
    ("number-duplicate", with_field("number", "1000"), "number"),
    ("number-missing", {k: v for k, v in pop3_account().items() if k != "number"}, "number"),
    ("address-no-at", with_field("address", "info.mustermann.de"), "address"),
    ("address-empty", with_field("address", ""), "address"),
    ("address-two-at", with_field("address", "a@b@c.de"), "address"),
    ("address-blank", with_field("address", "in fo@x.de"), "address"),
    ("address-no-domain", with_field("address", "info@"), "address"),
    ("address-bad-domain", with_field("address", "info@-x-.de"), "address"),
    ("pop3-host-space", with_field("pop3.server", "mail server.de"), "pop3.server"),
    ("pop3-host-underscore", with_field("pop3.server", "mail_1.de"), "pop3.server"),
    ("pop3-ipv6-broken", with_field("pop3.server", "fe80::1::2"), "pop3.server"),
    ("pop3-ipv6-bracket", with_field("pop3.server", "[::1"), "pop3.server"),
    ("pop3-ipv4-broken", with_field("pop3.server", "192.168.1.300"), "pop3.server"),
    ("pop3-host-empty", with_field("pop3.server", ""), "pop3.server"),
    ("pop3-port-0", with_field("pop3.port", 0), "pop3.port"),
    ("pop3-port-65536", with_field("pop3.port", 65536), "pop3.port"),
    ("pop3-port-string", with_field("pop3.port", "995"), "pop3.port"),
    ("pop3-port-float", with_field("pop3.port", 995.5), "pop3.port"),
    ("pop3-security-tls", with_field("pop3.security", "tls"), "pop3.security"),
    ("pop3-security-upper", with_field("pop3.security", "SSL"), "pop3.security"),
    ("pop3-spa-string", with_field("pop3.spa", "yes"), "pop3.spa"),
    ("pop3-username-missing", with_field("pop3.username", ""), "pop3.username"),
    ("pop3-username-control", with_field("pop3.username", "a\x00b"), "pop3.username"),
    ("smtp-host-space", with_field("smtp.server", "smtp .de"), "smtp.server"),
    ("smtp-host-empty", with_field("smtp.server", ""), "smtp.server"),
    ("smtp-port-negative", with_field("smtp.port", -1), "smtp.port"),
    ("smtp-server-name-bad", with_field("smtp.server_name", "a..b"), "smtp.server_name"),
    ("smtp-method-ntlm", with_field("smtp.auth.method", "ntlm"), "smtp.auth.method"),
    ("smtp-method-empty", with_field("smtp.auth.method", ""), "smtp.auth.method"),
    ("smtp-auth-user-missing", with_field("smtp.auth.username", ""), "smtp.auth.username"),
    ("smtp-separate-int", with_field("smtp.separate", 1), "smtp.separate"),
    ("operators-empty", with_field("operators", []), "operators"),
    ("operators-unknown", with_field("operators", ["NOBODY"]), "operators"),
    ("operators-blank-code", with_field("operators", [""]), "operators"),
    ("operators-too-long", with_field("operators", ["A" * 21]), "operators"),
    ("operators-string", with_field("operators", "ADM"), "operators"),
    ("workgroups-unknown", with_field("workgroups", ["NOPE"]), "workgroups"),
    ("workgroups-bad-char", with_field("workgroups", ["a/b"]), "workgroups"),
    ("exchange-string", with_field("exchange", "true"), "exchange"),
    ("unknown-field", with_field("colour", "blue"), "colour"),
    ("unknown-nested-field", with_field("pop3.timeout", 5), "pop3.timeout"),
    ("exchange-missing-server", with_field("exchange", True), "exchange_settings.server"),
    (
        "exchange-bad-url",
        with_field("exchange_settings", {"server": "ftp://x.de", "username": "u"}),
        "exchange_settings.server",
    ),
    (
        "exchange-initial-sync",
        with_field("exchange_settings", {"sync": {"initial_sync": "always"}}),
        "exchange_settings.sync.initial_sync",
    ),
    (
        "exchange-client-number",
        with_field("exchange_settings", {"sync": {"client_number": "12a"}}),
        "exchange_settings.sync.client_number",
    ),
    ("secret-not-text", with_field("pop3.password", 1234), "pop3.password"),
    ("pop3-not-object", with_field("pop3", "pop.x.de"), "pop3"),
]

RAW_CASES: list[tuple[str, bytes, str]] = [
    ("json-malformed", b'{"number": "2000",', "not valid JSON"),
    ("json-list", b"[1, 2]", "an object"),
    ("json-duplicate-key", b'{"number": "2000", "number": "2001"}', "duplicate key"),
    ("json-invalid-utf8", b'{"number": "\xff\xfe"}', "not UTF-8"),
    ("json-nan", b'{"number": "2000", "pop3": {"port": NaN}}', "NaN"),
    ("json-deep", b'{"a":' * 100 + b"1" + b"}" * 100, "nested"),
]

FLAG_CASES: list[tuple[str, list[str], str]] = [
    ("flag-number", ["--number", "12"], "number"),
    ("flag-port-text", ["--pop3-port", "abc"], "pop3.port"),
    ("flag-port-big", ["--smtp-port", "70000"], "smtp.port"),
    ("flag-security", ["--smtp-security", "tls"], "smtp.security"),
    ("flag-operators", ["--operators", "ADM; ?"], "operators"),
    ("flag-host", ["--pop3-server", "a b"], "pop3.server"),
    ("flag-password-choice", ["--password", "imap"], "--password"),
    ("flag-unknown", ["--colour", "blue"], "--colour"),
    ("flag-fingerprint", ["--trust-pop3-certificate", "AB:CD"], "pop3.trusted_certificate"),
]


@pytest.fixture
def seeded(directory: Cli, store_path: Path) -> Cli:
    assert directory("add", "--file", "-", stdin=json.dumps(pop3_account("1000"))).code == 0
    return directory


def _assert_rejected(result: Result, store_path: Path, before: bytes, field: str) -> None:
    assert result.code == 2, (result.out, result.err)
    assert field in result.err, result.err
    assert "Traceback" not in result.err
    assert store_path.read_bytes() == before


@pytest.mark.parametrize(
    ("data", "field"), [c[1:] for c in FILE_CASES], ids=[c[0] for c in FILE_CASES]
)
def test_bad_account_file(
    seeded: Cli, store_path: Path, tmp_path: Path, data: Any, field: str
) -> None:
    before = store_path.read_bytes()
    source = tmp_path / "account.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    _assert_rejected(seeded("add", "--file", str(source)), store_path, before, field)


@pytest.mark.parametrize(
    ("raw", "reason"), [c[1:] for c in RAW_CASES], ids=[c[0] for c in RAW_CASES]
)
def test_bad_json(seeded: Cli, store_path: Path, tmp_path: Path, raw: bytes, reason: str) -> None:
    before = store_path.read_bytes()
    source = tmp_path / "account.json"
    source.write_bytes(raw)
    _assert_rejected(seeded("add", "--file", str(source)), store_path, before, reason)
    _assert_rejected(seeded("import", str(source)), store_path, before, reason)


@pytest.mark.parametrize(
    ("flags", "field"), [c[1:] for c in FLAG_CASES], ids=[c[0] for c in FLAG_CASES]
)
def test_bad_flags(seeded: Cli, store_path: Path, flags: list[str], field: str) -> None:
    before = store_path.read_bytes()
    result = seeded("edit", "1000", *flags)
    _assert_rejected(result, store_path, before, field)


def test_at_least_forty_distinct_rejections() -> None:
    assert len(FILE_CASES) + len(RAW_CASES) + len(FLAG_CASES) >= 40


def test_import_reports_every_bad_record_with_its_path(
    seeded: Cli, store_path: Path, tmp_path: Path
) -> None:
    good = pop3_account("3000")
    doc = {
        "format": "mailaccounts-export",
        "version": 1,
        "operators": [{"code": "NEU", "name": "Neu"}, {"code": "bad code", "name": ""}],
        "workgroups": [],
        "accounts": [good, with_field("pop3.port", 0), with_field("address", "x"), good],
    }
    source = tmp_path / "import.json"
    source.write_text(json.dumps(doc), encoding="utf-8")
    before = store_path.read_bytes()
    result = seeded("import", str(source))
    _assert_rejected(result, store_path, before, "accounts[1].pop3.port")
    for path in ("operators[1].code", "accounts[2].address", "accounts[3].number"):
        assert path in result.err
    assert seeded("show", "3000").code == 1


def test_edit_cannot_renumber(seeded: Cli, store_path: Path) -> None:
    before = store_path.read_bytes()
    _assert_rejected(seeded("edit", "1000", "--number", "1001"), store_path, before, "number")


LONG = "7" * 5000  # more digits than Python converts to an int (4,300)


def _with_long_port(number: str, sign: str) -> str:
    data = pop3_account(number)
    data["pop3"]["port"] = "PORT"
    return json.dumps(data).replace('"PORT"', sign + LONG)


@pytest.mark.parametrize("sign", ["", "-"])
def test_a_number_of_thousands_of_digits_is_a_bad_number(
    seeded: Cli, store_path: Path, tmp_path: Path, sign: str
) -> None:
    """Python's int-string limit raises inside json's parser; every JSON
    input names the field instead, with exit 2, and the store is unchanged."""
    before = store_path.read_bytes()
    reason = "a whole number of 5,000 digits, more than the 4,300 a number may have"
    account = _with_long_port("2000", sign)
    source = tmp_path / "account.json"
    source.write_text(account, encoding="utf-8")
    added = seeded("add", "--file", str(source))
    _assert_rejected(added, store_path, before, f"error: {source}: pop3.port: {reason}")
    added = seeded("add", "--file", "-", stdin=account)
    _assert_rejected(added, store_path, before, f"error: -: pop3.port: {reason}")
    patch = '{"smtp": {"port": SIGNLONG}}'.replace("SIGNLONG", sign + LONG)
    edited = seeded("edit", "1000", "--file", "-", stdin=patch)
    _assert_rejected(edited, store_path, before, f"smtp.port: {reason}")
    doc = (
        '{"format": "mailaccounts-export", "version": 1, "operators": [], "workgroups": [], '
        f'"accounts": [{json.dumps(pop3_account("2001"))}, {account}]}}'
    )
    document = tmp_path / "export.json"
    document.write_text(doc, encoding="utf-8")
    for result in (seeded("import", str(document)), seeded("import", "-", stdin=doc)):
        _assert_rejected(result, store_path, before, f"accounts[1].pop3.port: {reason}")
    header = doc.replace('"version": 1', f'"version": {sign}{LONG}')
    _assert_rejected(seeded("import", "-", stdin=header), store_path, before, f"version: {reason}")
