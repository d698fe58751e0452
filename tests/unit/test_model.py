from __future__ import annotations

from collections.abc import Iterable

import pytest

from mailaccounts.cli.render import located
from mailaccounts.model.account import Account
from mailaccounts.model.core import parse_codes
from mailaccounts.model.messages import TEMPLATES
from mailaccounts.model.problems import Problem, Severity
from mailaccounts.model.rules import follow_port
from mailaccounts.model.validation import validate_account
from tests.support.accounts import pop3_account


def codes(problems: Iterable[Problem]) -> set[tuple[str, str]]:
    return {(p.code, p.path) for p in problems}


def test_valid_account_has_defaults_that_follow_security() -> None:
    account, problems = validate_account(
        {
            "number": "0001",
            "address": "a@b.de",
            "pop3": {"server": "h", "username": "u", "security": "starttls"},
            "smtp": {"security": "starttls"},
            "operators": ["ADM"],
        }
    )
    assert account is not None and not problems
    assert account.pop3.port == 110
    assert account.smtp.port == 587
    assert Account.model_validate({"number": "9999", "address": "a@b.de"}).pop3.port == 995


def test_port_follows_security_until_set_by_hand() -> None:
    assert follow_port("pop3", "ssl", "starttls", 995) == 110
    assert follow_port("pop3", "starttls", "ssl", 110) == 995
    assert follow_port("pop3", "ssl", "starttls", 1995) == 1995


@pytest.mark.parametrize("number", ["123", "12345", "abcd", "0000", "", " 100", "１２３４"])
def test_bad_numbers(number: str) -> None:
    account, problems = validate_account(pop3_account(number))
    assert account is None
    assert "number" in {p.path for p in problems}


@pytest.mark.parametrize("address", ["info@müller.de", "ünï@bücher.example", "a.b+c@x.io"])
def test_international_addresses_pass(address: str) -> None:
    account, problems = validate_account(pop3_account(address=address))
    assert account is not None, problems
    assert account.address == address


@pytest.mark.parametrize("address", ["plain", "a@", "@b.de", "a b@c.de", "a@@b.de", "a@b..de"])
def test_malformed_addresses_fail(address: str) -> None:
    _, problems = validate_account(pop3_account(address=address))
    assert ("address_invalid", "address") in codes(problems)


def test_codes_are_normalised_and_collapse_case_insensitively() -> None:
    account, problems = validate_account(pop3_account(operators=[" ADM", "adm", "MUE "]))
    assert account is not None
    assert account.operators == ["ADM", "MUE"]
    assert parse_codes(" ADM ; mue;;") == ["ADM", "mue"]
    warning = next(p for p in problems if p.code == "several_operators")
    assert warning.severity is Severity.WARNING and warning.params == {"count": 2}


def test_operators_required_and_checked_against_directory() -> None:
    _, problems = validate_account(pop3_account(operators=[]))
    assert ("operator_required", "operators") in codes(problems)
    _, problems = validate_account(
        pop3_account(operators=["ADM", "NOPE"], workgroups=["X"]),
        operator_known=lambda c: c.casefold() == "adm",
        workgroup_known=lambda c: False,
    )
    assert {("operator_unknown", "operators"), ("workgroup_unknown", "workgroups")} <= codes(
        problems
    )


def test_smtp_fields_only_required_when_separate() -> None:
    data = pop3_account()
    data["smtp"] = {"separate": False, "server": ""}
    assert validate_account(data)[0] is not None
    data["smtp"] = {"separate": True, "server": ""}
    assert ("required", "smtp.server") in codes(validate_account(data)[1])


def test_auth_username_only_when_required_and_not_same_as_incoming() -> None:
    data = pop3_account()
    data["smtp"]["auth"] = {"required": True, "username": ""}
    assert ("required", "smtp.auth.username") in codes(validate_account(data)[1])
    data["smtp"]["auth"]["same_as_incoming"] = True
    assert validate_account(data)[0] is not None
    data["smtp"]["auth"] = {"required": False, "username": ""}
    assert validate_account(data)[0] is not None


def test_exchange_settings_only_when_exchange() -> None:
    data = pop3_account(exchange=True)
    data["pop3"] = {"server": ""}
    problems = validate_account(data)[1]
    assert ("required", "exchange_settings.server") in codes(problems)
    assert ("required", "pop3.server") not in codes(problems)
    data["exchange_settings"] = {
        "server": "https://ex.mustermann.de/EWS/Exchange.asmx",
        "username": "info",
        "sync": {"client_number": "12", "initial_sync": "crm_to_exchange"},
    }
    account, _ = validate_account(data)
    assert account is not None and account.exchange_settings is not None
    assert account.exchange_settings.sync.conflict_winner == "exchange"


def test_cleartext_password_is_a_warning_not_an_error() -> None:
    data = pop3_account()
    data["pop3"]["security"] = "none"
    data["smtp"]["security"] = "none"
    data["smtp"]["auth"]["method"] = "login"
    account, problems = validate_account(data)
    assert account is not None
    assert {("cleartext_password", "pop3.security"), ("cleartext_password", "smtp.security")} <= (
        codes(problems)
    )
    assert all(p.severity is Severity.WARNING for p in problems)


def test_wrong_types_and_unknown_fields_are_named() -> None:
    data = pop3_account()
    data["pop3"]["port"] = "995"
    data["pop3"]["spa"] = 1
    data["smtp"]["auth"]["method"] = "ntlm"
    data["colour"] = "blue"
    found = codes(validate_account(data)[1])
    assert {
        ("wrong_type", "pop3.port"),
        ("wrong_type", "pop3.spa"),
        ("invalid_choice", "smtp.auth.method"),
        ("unknown_field", "colour"),
    } <= found


def test_every_code_has_a_message_that_formats() -> None:
    _, problems = validate_account({"number": "1", "address": "x", "pop3": {"port": 0}})
    for problem in problems:
        assert problem.code in TEMPLATES
        text = located(problem)
        assert text.startswith(problem.path + ": ") and "{" not in text


def test_empty_account_matches_the_model_defaults() -> None:
    from mailaccounts.model.account import ExchangeSettings
    from mailaccounts.model.upgrade import empty_account, with_defaults

    expected = Account.model_validate({"number": "0001", "address": "a@b.de"}).to_json()
    assert {**empty_account(), "number": "0001", "address": "a@b.de"} == expected
    assert with_defaults({}, ExchangeSettings) == ExchangeSettings().model_dump(mode="json")
