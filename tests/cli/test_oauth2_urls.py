"""An OAuth2 URL that is not https is refused saying that https is needed
(codes and tokens travel there), at the field that has it."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support.cli import run_cli
from tests.support.keyrings import MemoryKeyring


def test_an_http_authorization_or_token_url_is_refused_for_want_of_https(
    tmp_path: Path,
) -> None:
    store, keyring = tmp_path / "accounts.sqlite3", MemoryKeyring()
    assert run_cli(store, "operators", "add", "ADM", keyring=keyring).code == 0
    account = {
        "number": "1000",
        "address": "a@b.de",
        "pop3": {"server": "mail.b.de", "username": "a", "oauth2": True},
        "operators": ["ADM"],
        "oauth2": {
            "provider": "custom",
            "client_id": "desktop",
            "authorization_url": "http://login.b.de/authorize",
            "token_url": "http://login.b.de/token",
            "device_authorization_url": "https://user:pw@login.b.de/device",
            "scopes": ["mail"],
        },
    }
    added = run_cli(store, "add", "--file", "-", stdin=json.dumps(account), keyring=keyring)
    assert added.code == 2
    for key in ("authorization_url", "token_url"):
        assert (
            f"oauth2.{key}: must be an https:// address: sign-in codes and tokens travel there"
            in added.err
        ), added.err
    assert (
        "oauth2.device_authorization_url: is not a valid https:// address: "
        "must not contain a user name or password" in added.err
    )
    assert "EWS" not in added.err and "user:pw" not in added.err
    assert "1000" not in run_cli(store, "list", keyring=keyring).out
