"""OAuth2 end to end, offline on 127.0.0.1: sign-in through the browser
(PKCE checked by the server) or a device code, the connection test and
fetching with XOAUTH2 against Dovecot's oauth2 passdb and an SMTP server,
refreshing, revoked grants, a browser that never comes back — and no token
in any file or output."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mailaccounts.net.report import NetError
from mailaccounts.oauth2.flow import device_sign_in, refresh, sign_in
from mailaccounts.oauth2.grant import Grant
from mailaccounts.services.app_context import AppContext
from mailaccounts.services.fetch_runner import fetch_accounts
from tests.support.certs import Authority
from tests.support.cli import REPO, run_cli
from tests.support.keyrings import MemoryKeyring, WindowsSizedKeyring
from tests.support.oauth_mail import OAuthDovecot, OAuthSmtp, oauth_smtp_server
from tests.support.oauth_server import OAuthServer

SCOPES = ["openid", "email", "offline_access"]


def settings(server: OAuthServer, client_id: str = "mailaccounts-test") -> dict[str, Any]:
    return {
        "provider": "custom",
        "tenant": "organizations",
        "client_id": client_id,
        "authorization_url": server.base_url + "/authorize",
        "token_url": server.base_url + "/token",
        "device_authorization_url": server.base_url + "/device",
        "scopes": SCOPES,
    }


def add_oauth2_account(admin: Admin, server: OAuthServer) -> None:
    """Operator ADM and account 1000, signing in to POP3 with OAuth2 at *server*."""
    assert admin("operators", "add", "ADM").code == 0
    data = {
        "number": "1000",
        "address": "a@b.de",
        "pop3": {"server": "localhost", "username": "info", "oauth2": True},
        "operators": ["ADM"],
        "oauth2": settings(server),
    }
    assert admin("add", "--file", "-", stdin=json.dumps(data)).code == 0


@pytest.fixture
def dovecot(oauth_server: OAuthServer) -> Iterator[OAuthDovecot]:
    server = OAuthDovecot(
        oauth_server, users=("info",), certificate=Authority.shared().issue(["localhost"])
    )
    server.start()
    yield server
    server.stop()


@pytest.fixture
def smtp(oauth_server: OAuthServer) -> Iterator[OAuthSmtp]:
    started = oauth_smtp_server(
        oauth_server, mode="starttls", certificate=Authority.shared().issue(["localhost"])
    )
    yield started
    started.stop()


def account(server: OAuthServer, dovecot: OAuthDovecot, smtp: OAuthSmtp) -> dict[str, Any]:
    return {
        "number": "1000",
        "address": "info@mustermann.de",
        "pop3": {
            "server": "localhost",
            "port": dovecot.tls_port,
            "username": "info",
            "security": "ssl",
            "oauth2": True,
        },
        "smtp": {
            "separate": True,
            "server": "localhost",
            "port": smtp.port,
            "security": "starttls",
            "auth": {"required": True, "method": "oauth2", "same_as_incoming": True},
        },
        "operators": ["ADM"],
        "oauth2": settings(server),
    }


class Admin:
    def __init__(self, store: Path, keyring: Any) -> None:
        self.store, self.keyring = store, keyring

    def __call__(self, *args: str, stdin: str = "") -> Any:
        return run_cli(self.store, *args, stdin=stdin, keyring=self.keyring)

    def sign_in(self, server: OAuthServer, number: str = "1000") -> Grant:
        """What the dialog and ``oauth2 login`` do, with the test's browser."""
        ctx = AppContext(self.store, self.keyring)
        stored = ctx.service.load(number)
        grant = sign_in(stored.data["oauth2"], server.browser, "info", timeout=10)
        ctx.service.set_secret(number, "oauth2", grant.to_secret())
        ctx.close()
        return grant


@pytest.fixture
def admin(tmp_path: Path) -> Admin:
    admin = Admin(tmp_path / "accounts.sqlite3", MemoryKeyring())
    assert admin("operators", "add", "ADM").code == 0
    return admin


def test_sign_in_then_test_and_fetch_with_xoauth2(
    admin: Admin,
    oauth_server: OAuthServer,
    dovecot: OAuthDovecot,
    smtp: OAuthSmtp,
    trusted_ca: Path,
    tmp_path: Path,
) -> None:
    assert (
        admin("add", "--file", "-", stdin=json.dumps(account(oauth_server, dovecot, smtp))).code
        == 0
    )
    not_yet = json.loads(admin("test", "1000", "--json").out)
    codes = {s.get("problem", {}).get("code") for s in not_yet["steps"]}
    assert "oauth2_signin_required" in codes
    grant = admin.sign_in(oauth_server)
    assert grant.user == "info"
    authorize = next(q for path, q in oauth_server.requests if path == "/authorize")
    assert authorize["code_challenge_method"] == "S256" and authorize["code_challenge"]
    exchange = next(q for path, q in oauth_server.requests if path == "/token")
    assert exchange["code_verifier"]  # the server checked it against the challenge

    tested = admin("test", "1000", "--json")
    assert tested.code == 0, tested.out
    steps = json.loads(tested.out)["steps"]
    assert {s["detail"].get("method") for s in steps if s["step"] == "login"} == {"XOAUTH2"}
    assert smtp.handler.oauth_logins == ["info"]

    dovecot.deliver("info", b"Subject: hallo\r\n\r\nOAuth2\r\n")
    ctx = AppContext(admin.store, admin.keyring, tmp_path / "mail")
    results = fetch_accounts(["1000"], ctx.open_service, tmp_path / "mail", _now)
    assert results[0].ok and results[0].fetched == 1, results[0].problem
    assert len(list((tmp_path / "mail" / "operators" / "ADM" / "new").iterdir())) == 1
    ctx.close()


def test_an_expired_token_is_refreshed_and_a_revoked_grant_says_sign_in_again(
    admin: Admin,
    oauth_server: OAuthServer,
    dovecot: OAuthDovecot,
    smtp: OAuthSmtp,
    trusted_ca: Path,
    tmp_path: Path,
) -> None:
    oauth_server.access_token_lifetime = 1
    assert (
        admin("add", "--file", "-", stdin=json.dumps(account(oauth_server, dovecot, smtp))).code
        == 0
    )
    admin.sign_in(oauth_server)
    time.sleep(1.5)  # the access token is over: refreshed before use
    refreshes = oauth_server.token_requests_by_grant_type["refresh_token"]
    assert admin("test", "1000").code == 0
    assert oauth_server.token_requests_by_grant_type["refresh_token"] > refreshes

    oauth_server.access_token_lifetime = 3600
    assert admin("test", "1000").code == 0
    oauth_server.revoke_all("info")
    tested = json.loads(admin("test", "1000", "--json").out)
    problems = [s["problem"]["code"] for s in tested["steps"] if "problem" in s]
    assert problems == ["oauth2_signin_required", "oauth2_signin_required"]
    ctx = AppContext(admin.store, admin.keyring, tmp_path / "mail")
    [result] = fetch_accounts(["1000"], ctx.open_service, tmp_path / "mail", _now)
    assert result.problem is not None and result.problem.code == "oauth2_signin_required"
    ctx.close()
    assert admin("oauth2", "status", "1000").code == 1


def test_a_wrong_client_id_and_a_browser_that_never_returns(
    oauth_server: OAuthServer, trusted_ca: Path
) -> None:
    with pytest.raises(NetError) as wrong:
        sign_in(settings(oauth_server, "someone-else"), oauth_server.browser, "info", timeout=10)
    assert wrong.value.problem.code == "oauth2_failed"
    assert "unauthorized_client" in wrong.value.problem.params["reason"]
    started = time.monotonic()
    with pytest.raises(NetError) as waited:
        sign_in(settings(oauth_server), oauth_server.never_returning_browser, "info", timeout=1)
    assert "did not come back within 1 s" in waited.value.problem.params["reason"]
    assert time.monotonic() - started < 3


def test_the_device_code(oauth_server: OAuthServer, trusted_ca: Path) -> None:
    shown: list[tuple[str, str]] = []

    def show(url: str, code: str) -> None:
        shown.append((url, code))
        oauth_server.approve_device(code)

    grant = device_sign_in(settings(oauth_server), show, "info", timeout=20)
    assert grant.user == "info" and grant.refresh_token and shown[0][1]


def test_a_provider_failing_while_the_device_code_waits_is_a_clear_problem(
    oauth_server: OAuthServer, trusted_ca: Path
) -> None:
    """A broken answer while the code is being polled is ``oauth2_failed``
    with the reason, like any other step, not an exception of the HTTP layer."""
    oauth_server.fail_next("/token", 502, b"<html>Bad Gateway</html>")
    with pytest.raises(NetError) as failed:
        device_sign_in(settings(oauth_server), lambda url, code: None, "info", timeout=20)
    assert failed.value.problem.code == "oauth2_failed"
    reason = failed.value.problem.params["reason"]
    assert reason == "the provider answered HTTP 502 without a JSON object"


def test_a_provider_out_of_reach_or_untrusted_says_why(oauth_server: OAuthServer) -> None:
    """Not the provider's answer, but what kept it from answering: named
    with its cause, not by an exception class alone."""
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    unreachable = {
        **settings(oauth_server),
        "device_authorization_url": f"https://127.0.0.1:{port}/device",
    }
    with pytest.raises(NetError) as refused:
        device_sign_in(unreachable, lambda url, code: None, "info", timeout=5)
    reason = refused.value.problem.params["reason"]
    assert reason.startswith("ConnectError: ") and "refused" in reason, reason
    # no trusted_ca here: the test authority's certificate does not verify
    with pytest.raises(NetError) as untrusted:
        device_sign_in(settings(oauth_server), lambda url, code: None, "info", timeout=5)
    assert "CERTIFICATE_VERIFY_FAILED" in untrusted.value.problem.params["reason"]


def test_a_failing_token_endpoint_is_named_without_its_query(
    oauth_server: OAuthServer, trusted_ca: Path
) -> None:
    """The HTTP layer names the address that failed; its query (which might
    carry a tenant's parameter or worse) is left out of the problem."""
    grant = device_sign_in(
        settings(oauth_server),
        lambda url, code: oauth_server.approve_device(code),
        "info",
        timeout=20,
    )
    oauth_server.fail_next("/token", 502, b"<html>Bad Gateway</html>")
    with_query = {**settings(oauth_server)}
    with_query["token_url"] += "?tenant=x&secret=y"
    with pytest.raises(NetError) as failed:
        refresh(with_query, grant)
    reason = failed.value.problem.params["reason"]
    assert "502 Bad Gateway" in reason and "/token?…" in reason, reason
    assert "secret" not in reason and "tenant=x" not in reason


def test_a_long_grant_fits_windows_keyring_items(
    tmp_path: Path, oauth_server: OAuthServer, trusted_ca: Path
) -> None:
    oauth_server.refresh_token_length = 3000
    oauth_server.access_token_length = 2500  # like Microsoft's
    admin = Admin(tmp_path / "accounts.sqlite3", WindowsSizedKeyring())
    add_oauth2_account(admin, oauth_server)
    grant = admin.sign_in(oauth_server)
    assert len(grant.refresh_token) >= 3000
    assert admin("oauth2", "status", "1000").code == 0  # read back whole, refreshed, stored
    assert admin("delete", "1000", "--yes").code == 0
    assert admin.keyring.entries == {}


def test_oauth2_login_on_the_command_line_and_no_token_anywhere(
    tmp_path: Path, oauth_server: OAuthServer, trusted_ca: Path, secret_service: Any
) -> None:
    store = tmp_path / "store" / "accounts.sqlite3"
    admin = Admin(store, secret_service)
    add_oauth2_account(admin, oauth_server)
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "mailaccounts", "--store", str(store)),
            *("oauth2", "login", "1000", "--no-browser", "--timeout", "30"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert process.stdout is not None
    url = process.stdout.readline().strip()  # the URL, on a line of its own
    assert url.startswith(oauth_server.base_url + "/authorize?")
    oauth_server.browser(url)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert "signed in as info" in err
    outputs = [url, out, err]
    for args in (("show", "1000"), ("show", "1000", "--json"), ("export",), ("list", "--json")):
        outputs.append(admin(*args).out)
    outputs.append(admin("oauth2", "status", "1000").out)
    tokens = [
        value
        for issued in oauth_server.issued
        for key, value in issued.items()
        if key in ("access_token", "refresh_token")
    ]
    assert tokens
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    for token in tokens:
        assert all(token not in text for text in outputs)
        for path in files:
            assert token.encode() not in path.read_bytes(), path


def _now() -> Any:
    from datetime import UTC, datetime

    return datetime.now(UTC)
