"""The rule of providers that stop password login (``model/providers.py``):
which servers of an account it concerns, and what switching to OAuth2 sets."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

from mailaccounts.model.providers import (
    PROVIDER_KEYS,
    oauth2_switch,
    password_notices,
    provider_of,
    refusing_provider,
)
from tests.support.accounts import pop3_account


def account(pop3_server: str, smtp_server: str = "", **auth: Any) -> dict[str, Any]:
    data = pop3_account()
    data["pop3"]["server"] = pop3_server
    data["smtp"]["separate"] = bool(smtp_server)
    data["smtp"]["server"] = smtp_server
    data["smtp"]["auth"].update({"method": "login", **auth})
    return data


@pytest.mark.parametrize(
    ("host", "server", "key"),
    [
        ("outlook.office365.com", "pop3", "microsoft"),
        ("OUTLOOK.Office365.com.", "pop3", "microsoft"),
        (" smtp.office365.com ", "smtp", "microsoft"),
        ("Pop.Gmail.Com.", "pop3", "google"),
        ("smtp.gmail.com", "smtp", "google"),
        ("smtp.gmail.com", "pop3", None),  # not Google's POP3 server
        ("gmail.com", None, None),
        ("pop.gmail.com.evil.example", None, None),
    ],
)
def test_hosts_match_case_insensitively_with_a_trailing_dot(
    host: str, server: str | None, key: str | None
) -> None:
    provider = provider_of(host, server)
    assert (provider.key if provider else None) == key


def test_which_servers_log_in_with_a_password_at_a_provider() -> None:
    notices = password_notices(account("outlook.office365.com", "smtp.office365.com"))
    assert [(n.server, n.path, n.code) for n in notices] == [
        ("pop3", "pop3.server", "password_off_microsoft_pop3"),
        ("smtp", "smtp.server", "password_ending_microsoft_smtp"),
    ]
    assert notices[0].params == {
        "host": "outlook.office365.com",
        "provider": "Microsoft 365",
        "oauth2": "microsoft",
    }
    # without own SMTP settings the SMTP server is the POP3 host
    same = password_notices(account("pop.gmail.com"))
    assert [(n.server, n.path, n.host) for n in same] == [
        ("pop3", "pop3.server", "pop.gmail.com"),
        ("smtp", "pop3.server", "pop.gmail.com"),
    ]
    assert password_notices(account("pop.gmail.com", required=False))[1:] == []
    cram = password_notices(account("pop.mustermann.de", "smtp.gmail.com", method="cram-md5"))
    assert [n.server for n in cram] == ["smtp"]
    spa = account("outlook.office365.com")
    spa["pop3"]["spa"] = True  # NTLM is a password too
    assert [n.server for n in password_notices(spa)] == ["pop3", "smtp"]


def test_no_notice_with_oauth2_for_exchange_or_for_other_hosts() -> None:
    data = account("outlook.office365.com", "smtp.office365.com", method="oauth2")
    data["pop3"]["oauth2"] = True
    assert password_notices(data) == []
    exchange = account("outlook.office365.com")
    exchange["exchange"] = True
    assert password_notices(exchange) == []
    assert password_notices(account("pop.mustermann.de", "smtp.mustermann.de")) == []
    assert password_notices({"number": "1000", "pop3": None, "smtp": "junk"}) == []


def test_switching_to_oauth2_sets_the_providers_servers_only() -> None:
    data = account("pop.gmail.com", "smtp.mustermann.de")
    data["pop3"]["spa"] = True
    assert oauth2_switch(data, PROVIDER_KEYS["google"]) == {
        "oauth2.provider": "google",
        "pop3.oauth2": True,
        "pop3.spa": False,
    }
    both = account("outlook.office365.com", "smtp.office365.com")
    assert oauth2_switch(both, PROVIDER_KEYS["microsoft"]) == {
        "oauth2.provider": "microsoft",
        "pop3.oauth2": True,
        "pop3.spa": False,
        "smtp.auth.method": "oauth2",
    }


def test_only_unambiguous_refusals_name_the_provider() -> None:
    microsoft = refusing_provider(
        "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for "
        "the Tenant."
    )
    assert microsoft is not None and microsoft.key == "microsoft"
    google = refusing_provider("-ERR [AUTH] Application-specific password required: https://…")
    assert google is not None and google.key == "google"
    for ambiguous in (
        "-ERR Logon failure: unknown user name or bad password.",
        "535 5.7.139 Authentication unsuccessful, the user credentials were incorrect.",
        "535-5.7.8 Username and Password not accepted.",
        "-ERR [AUTH] Authentication failed.",
    ):
        assert refusing_provider(ambiguous) is None, ambiguous


def test_the_rule_loads_without_pydantic_or_qt() -> None:
    """The account list uses it right after its first paint."""
    check = (
        "import sys, mailaccounts.model.providers\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pydantic', 'PySide6')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
