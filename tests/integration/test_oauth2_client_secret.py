"""The OAuth2 client secret (Google's "Desktop app" clients have one, and
its token endpoint demands it): written like a password — an account file,
``--password oauth2`` — kept in the keyring, sent to the token endpoint
only (the code's exchange, the refresh, the device code's polling), and
never shown, exported or written anywhere else."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mailaccounts.store.sqlite import SqliteStore
from tests.integration.test_oauth2 import Admin, add_oauth2_account, settings
from tests.support.cli import REPO
from tests.support.keyrings import read_secret
from tests.support.oauth_server import OAuthServer
from tests.support.types import present

SECRET = "GOCSPX-Desktop-Client-Secret-1"
NEW_SECRET = "GOCSPX-Desktop-Client-Secret-2"


@pytest.fixture
def google_like() -> Iterator[OAuthServer]:
    with OAuthServer(client_secret=SECRET) as server:
        yield server
        assert not server.errors, server.errors


def login(admin: Admin, server: OAuthServer, *extra: str) -> subprocess.CompletedProcess[str]:
    """``oauth2 login 1000`` as a process; the test's browser (or the
    person approving the device code) does the rest."""
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "mailaccounts", "--store", str(admin.store)),
            *("oauth2", "login", "1000", "--no-browser", "--timeout", "20", *extra),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert process.stdout is not None
    first = process.stdout.readline().strip()
    if "--device" in extra:
        server.approve_device(first.rsplit(" ", 1)[-1])
    else:
        server.browser(first)
    out, err = process.communicate(timeout=30)
    return subprocess.CompletedProcess(process.args, process.returncode, first + "\n" + out, err)


def test_the_client_secret_goes_to_the_token_endpoint_and_nowhere_else(
    tmp_path: Path, google_like: OAuthServer, trusted_ca: Path, secret_service: Any
) -> None:
    home = tmp_path / "home"
    admin = Admin(home / "accounts.sqlite3", secret_service)
    assert admin("operators", "add", "ADM").code == 0
    data = {
        "number": "1000",
        "address": "info@mustermann.de",
        "pop3": {"server": "localhost", "username": "info", "oauth2": True},
        "operators": ["ADM"],
        "oauth2": {**settings(google_like), "client_secret": SECRET},
    }
    account_file = tmp_path / "account.json"  # the admin's own file: not swept
    account_file.write_text(json.dumps(data))
    assert admin("add", "--file", str(account_file)).code == 0
    outputs: list[str] = []

    signed = login(admin, google_like)
    assert signed.returncode == 0, signed.stderr
    outputs += [signed.stdout, signed.stderr]
    status = admin("oauth2", "status", "1000")  # a refresh
    assert status.code == 0, status.err
    device = login(admin, google_like, "--device")
    assert device.returncode == 0, device.stderr
    outputs += [device.stdout, device.stderr]

    by_grant: dict[str, dict[str, str]] = {}
    for path, form in google_like.requests:
        if path == "/token":
            by_grant.setdefault(form["grant_type"], form)
            assert form["client_secret"] == SECRET
        else:
            assert SECRET not in json.dumps(form), path
    assert set(by_grant) == {
        "authorization_code",
        "refresh_token",
        "urn:ietf:params:oauth:grant-type:device_code",
    }
    assert all(SECRET not in json.dumps(h) for p, h in google_like.request_headers if p != "/token")

    for args in (("show", "1000"), ("show", "1000", "--json"), ("export",), ("list", "--json")):
        result = admin(*args)
        assert result.code == 0
        outputs += [result.out, result.err]
    assert "oauth2.client_secret: stored in the keyring" in admin("show", "1000").out
    assert all(SECRET not in text for text in outputs)
    for written in (p for p in home.rglob("*") if p.is_file()):
        assert SECRET.encode() not in written.read_bytes(), written
    store = SqliteStore(admin.store)
    refs = present(store.get("1000")).secret_refs
    assert read_secret(secret_service, store.store_id, refs["oauth2_client"]) == SECRET


def test_password_oauth2_sets_and_clears_the_client_secret(
    tmp_path: Path, google_like: OAuthServer, trusted_ca: Path, secret_service: Any
) -> None:
    admin = Admin(tmp_path / "accounts.sqlite3", secret_service)
    add_oauth2_account(admin, google_like)
    refused = login(admin, google_like)  # no secret yet: the provider refuses
    assert refused.returncode == 1 and "invalid_client" in refused.stderr

    google_like.client_secret = NEW_SECRET
    edited = admin("edit", "1000", "--password", "oauth2", stdin=f"{NEW_SECRET}\n")
    assert edited.code == 0, edited.err
    assert login(admin, google_like).returncode == 0
    assert admin("oauth2", "status", "1000").code == 0

    cleared = admin("edit", "1000", "--clear-password", "oauth2")
    assert cleared.code == 0, cleared.err
    assert "oauth2.client_secret: not set" in admin("show", "1000").out
    status = admin("oauth2", "status", "1000")
    assert status.code == 1 and "invalid_client" in status.err
    assert "oauth2" in present(SqliteStore(admin.store).get("1000")).secret_refs  # still signed in


def test_an_import_may_carry_the_client_secret(
    tmp_path: Path, google_like: OAuthServer, trusted_ca: Path, secret_service: Any
) -> None:
    admin = Admin(tmp_path / "accounts.sqlite3", secret_service)
    document: dict[str, Any] = {
        "format": "mailaccounts-export",
        "version": 1,
        "operators": [{"code": "ADM", "name": ""}],
        "workgroups": [],
        "accounts": [
            {
                "number": "1000",
                "address": "info@mustermann.de",
                "pop3": {"server": "localhost", "username": "info", "oauth2": True},
                "operators": ["ADM"],
                "oauth2": {**settings(google_like), "client_secret": SECRET},
            }
        ],
    }
    source = tmp_path / "import.json"
    source.write_text(json.dumps(document))
    imported = admin("import", str(source))
    assert imported.code == 0, imported.err
    assert login(admin, google_like).returncode == 0
    exported = admin("export").out
    assert SECRET not in exported and "client_secret" not in exported

    bad = dict(document)
    bad["accounts"] = [
        {**document["accounts"][0], "oauth2": {**settings(google_like), "client_secret": 7}}
    ]
    source.write_text(json.dumps(bad))
    wrong = admin("import", str(source), "--replace")
    assert wrong.code == 2
    assert "accounts[0].oauth2.client_secret: must be text" in wrong.err
