"""The account's rules (model/rules.py), each on its own, and that the model
and the front ends follow them rather than a copy."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

from mailaccounts.model.account import Account, FetchSettings
from mailaccounts.model.messages import TEMPLATES
from mailaccounts.model.rules import (
    PORT_MAX,
    PORT_MIN,
    SmtpLogin,
    SmtpServer,
    default_port,
    fetching_switched_on,
    follow_port,
    port_in_range,
    signs_in_with_oauth2,
    smtp_login_of,
    smtp_server_of,
)
from mailaccounts.model.validation import validate_account
from tests.support.accounts import pop3_account


@pytest.mark.parametrize(
    ("protocol", "security", "port"),
    [
        ("pop3", "ssl", 995),
        ("pop3", "starttls", 110),
        ("pop3", "none", 110),
        ("smtp", "ssl", 465),
        ("smtp", "starttls", 587),
        ("smtp", "none", 587),
        ("pop3", "tls13", 995),  # no mode: that of the default mode
        ("smtp", None, 465),
    ],
)
def test_the_standard_port_of_a_security_mode(protocol: Any, security: Any, port: int) -> None:
    assert default_port(protocol, security) == port


def test_a_missing_port_in_the_model_is_the_modes_standard_port() -> None:
    account = Account.model_validate(
        {
            "number": "0001",
            "address": "a@example.com",
            "pop3": {"security": "starttls"},
            "smtp": {"security": "none"},
        }
    )
    assert (account.pop3.port, account.smtp.port) == (110, 587)


def test_the_port_follows_the_mode_unless_set_by_hand() -> None:
    assert follow_port("smtp", "ssl", "starttls", 465) == 587
    assert follow_port("smtp", "starttls", "ssl", 587) == 465
    assert follow_port("smtp", "ssl", "starttls", 2525) == 2525
    assert follow_port("pop3", "starttls", "none", 110) == 110


def test_the_port_range() -> None:
    assert (PORT_MIN, PORT_MAX) == (1, 65535)
    assert [port_in_range(p) for p in (0, 1, 65535, 65536)] == [False, True, True, False]
    for port, valid in ((PORT_MIN, True), (PORT_MAX, True), (PORT_MAX + 1, False), (0, False)):
        pop3 = {"server": "pop.example.com", "username": "u", "port": port}
        account, problems = validate_account(pop3_account("1000", pop3=pop3))
        assert (account is not None) == valid, problems


def test_smtp_uses_the_pop3_host_unless_separate() -> None:
    data = pop3_account(
        "1000",
        pop3={"server": "mail.example.com", "security": "starttls"},
        smtp={"server": "ignored.example.com", "port": 2525, "server_name": "x.example.com"},
    )
    server = smtp_server_of(data)
    assert server == SmtpServer("mail.example.com", 587, "starttls", "", False)
    assert (server.tls_name, server.host_path, server.security_path) == (
        "mail.example.com",
        "pop3.server",
        "pop3.security",
    )


def test_separate_smtp_access_data_is_used_as_typed() -> None:
    data = pop3_account(
        "1000",
        pop3={"server": "mail.example.com"},
        smtp={
            "separate": True,
            "server": "192.0.2.25",
            "port": 2525,
            "security": "none",
            "server_name": "smtp.example.com",
        },
    )
    server = smtp_server_of(data)
    assert server == SmtpServer("192.0.2.25", 2525, "none", "smtp.example.com", True)
    assert (server.tls_name, server.host_path, server.security_path) == (
        "smtp.example.com",
        "smtp.server",
        "smtp.security",
    )


@pytest.mark.parametrize(
    "data",
    [{}, {"pop3": None, "smtp": "x"}, {"smtp": {"separate": True, "port": "25"}}],
)
def test_the_smtp_server_of_incomplete_data(data: dict[str, Any]) -> None:
    """The store lists what older releases wrote, the CLI lays flags over
    half-typed input: the rule answers without a KeyError."""
    server = smtp_server_of(data)
    assert server.host == "" and server.port in (465, 587)


def test_the_smtp_login_same_as_incoming() -> None:
    data = pop3_account(
        "1000",
        pop3={"username": "pop-user"},
        smtp={"auth": {"required": True, "same_as_incoming": True, "username": "smtp-user"}},
    )
    login = smtp_login_of(data)
    assert login == SmtpLogin(True, "login", "pop3", "pop-user")
    assert (login.secret, login.needs_own_login) == ("pop3", False)
    assert (login.username_field, login.password_field) == ("pop3.username", "pop3.password")


def test_an_own_smtp_login() -> None:
    data = pop3_account(
        "1000",
        pop3={"username": "pop-user"},
        smtp={"auth": {"required": True, "method": "cram-md5", "username": "smtp-user"}},
    )
    login = smtp_login_of(data)
    assert login == SmtpLogin(True, "cram-md5", "smtp.auth", "smtp-user")
    assert (login.secret, login.needs_own_login) == ("smtp", True)
    assert login.password_field == "smtp.auth.password"
    data["smtp"]["auth"]["required"] = False
    assert not smtp_login_of(data).needs_own_login


def test_an_oauth2_smtp_login_signs_in_with_the_token() -> None:
    for same in (True, False):
        auth = {"required": True, "method": "oauth2", "same_as_incoming": same}
        assert smtp_login_of({"smtp": {"auth": auth}}).secret == "oauth2"


def test_the_model_needs_an_smtp_user_name_exactly_when_the_rule_says() -> None:
    for same in (True, False):
        auth = {"required": True, "same_as_incoming": same, "username": ""}
        data = pop3_account("1000", smtp={"auth": auth})
        _, problems = validate_account(data)
        missing = any(p.path == "smtp.auth.username" for p in problems)
        assert missing == smtp_login_of(data).needs_own_login


@pytest.mark.parametrize(
    ("fetch", "on"),
    [(None, True), ({}, True), ({"enabled": True}, True), ({"enabled": False}, False)],
)
def test_scheduled_fetching_is_on_unless_switched_off(fetch: Any, on: bool) -> None:
    assert fetching_switched_on(fetch) is on


def test_the_models_default_is_the_rules() -> None:
    assert FetchSettings().enabled is fetching_switched_on({})


def test_the_rules_load_with_nothing_but_the_standard_library() -> None:
    """They are on the window's start path (the store's list columns)."""
    check = (
        "import sys, mailaccounts.model\n"
        "before = set(sys.modules)\n"
        "import mailaccounts.model.rules\n"
        "print(sorted(m for m in set(sys.modules) - before if m.startswith('mailaccounts.')"
        " or m.split('.')[0] in ('pydantic', 'PySide6', 'dataclasses', 'json')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "['mailaccounts.model.rules']"


@pytest.mark.parametrize(
    ("pop3_oauth2", "required", "method", "signs_in"),
    [
        (False, True, "login", False),
        (False, True, "cram-md5", False),
        (False, True, "oauth2", True),
        (False, False, "oauth2", False),  # SMTP does not authenticate at all
        (True, False, "login", True),
    ],
)
def test_an_account_signs_in_with_oauth2(
    pop3_oauth2: bool, required: bool, method: str, signs_in: bool
) -> None:
    data = {
        "pop3": {"oauth2": pop3_oauth2},
        "smtp": {"auth": {"required": required, "method": method}},
    }
    assert signs_in_with_oauth2(data) is signs_in
    login = smtp_login_of(data)
    assert login.with_oauth2 is (required and method == "oauth2")
    assert login.with_password is (required and method != "oauth2")


def test_the_model_asks_for_oauth2_settings_exactly_when_the_rule_says() -> None:
    for pop3_oauth2, required, method in ((True, False, "login"), (False, True, "oauth2")):
        pop3 = {"server": "pop.example.com", "username": "u", "oauth2": pop3_oauth2}
        smtp = {"auth": {"required": required, "method": method, "same_as_incoming": True}}
        data = pop3_account("1000", pop3=pop3, smtp=smtp)
        _, problems = validate_account(data)
        assert signs_in_with_oauth2(data)
        assert any(p.code == "oauth2_settings_required" for p in problems), problems
    data = pop3_account("1000", smtp={"auth": {"required": False, "method": "oauth2"}})
    _, problems = validate_account(data)
    assert not any(p.code == "oauth2_settings_required" for p in problems)


def test_the_port_message_names_the_rules_range() -> None:
    assert TEMPLATES["port_range"] == f"must be a port number from {PORT_MIN} to {PORT_MAX}"
