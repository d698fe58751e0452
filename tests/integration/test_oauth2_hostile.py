"""OAuth2 against a provider (or a local process) that misbehaves, on
127.0.0.1: answers too large or dripping a byte at a time, a cancel while
one runs, a 200 without an access token, redirects with the wrong state or
half a request line at the loopback listener — and the browser told what
the program decided."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import tracemalloc
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from mailaccounts.model.problems import Problem
from mailaccounts.net.report import NetError
from mailaccounts.net.transport import CancelToken
from mailaccounts.oauth2.flow import device_sign_in, refresh, sign_in
from mailaccounts.oauth2.grant import Grant
from mailaccounts.services.app_context import AppContext
from mailaccounts.services.fetch_runner import fetch_accounts
from tests.integration.test_oauth2 import Admin, add_oauth2_account, settings
from tests.support.certs import Authority
from tests.support.cli import REPO
from tests.support.keyrings import MemoryKeyring
from tests.support.oauth_mail import OAuthDovecot
from tests.support.oauth_server import OAuthServer

MIB = 1024 * 1024


def _now() -> datetime:
    return datetime.now(UTC)


def stored_grant(server: OAuthServer) -> Grant:
    """A grant whose access token is over: the next use refreshes it."""
    tokens = server.issue_tokens()
    return Grant(tokens["refresh_token"], "", 0.0, "info")


def ended_within(seconds: float, work: Callable[[], object]) -> tuple[float, BaseException | None]:
    """Runs *work* on a thread: how long it took and what it raised. Fails
    when it is still running after *seconds* (an unbounded wait)."""
    outcome: list[BaseException | None] = []

    def run() -> None:
        try:
            work()
        except BaseException as exc:
            outcome.append(exc)
        else:
            outcome.append(None)

    started = time.monotonic()
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still waiting after {seconds} s"
    return time.monotonic() - started, outcome[0]


def problem_of(error: BaseException | None) -> tuple[str, dict[str, Any]]:
    assert isinstance(error, NetError), repr(error)
    return error.problem.code, error.problem.params


# -- M6: a size limit ---------------------------------------------------------------


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_a_token_answer_over_1_mib_is_refused_without_reading_it(
    oauth_server: OAuthServer, trusted_ca: Path, chunked: bool
) -> None:
    refresh(settings(oauth_server), stored_grant(oauth_server))  # imports loaded, not counted
    oauth_server.flood_next("/token", 64 * MIB, chunked=chunked)
    grant = stored_grant(oauth_server)
    tracemalloc.start()
    try:
        with pytest.raises(NetError) as refused:
            refresh(settings(oauth_server), grant)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    code, params = refused.value.problem.code, refused.value.problem.params
    assert (code, params) == ("oauth2_answer_too_large", {"host": "127.0.0.1", "max": 1024})
    assert peak < 8 * MIB, f"peak {peak / MIB:.1f} MiB"
    assert oauth_server.hostile_ended.wait(10)
    assert oauth_server.hostile_sent[-1] < 16 * MIB  # the client hung up early


def test_the_device_endpoint_and_the_sign_in_have_the_same_limit(
    oauth_server: OAuthServer, trusted_ca: Path
) -> None:
    oauth_server.flood_next("/device", 64 * MIB, chunked=True)
    with pytest.raises(NetError) as device:
        device_sign_in(settings(oauth_server), lambda url, code: None, "info", timeout=10)
    assert device.value.problem.code == "oauth2_answer_too_large"

    oauth_server.flood_next("/token", 64 * MIB, chunked=True)
    with pytest.raises(NetError) as signed:
        sign_in(settings(oauth_server), oauth_server.browser, "info", timeout=10)
    assert signed.value.problem.code == "oauth2_answer_too_large"
    visit = oauth_server.browser_visits[-1].wait()
    assert b"Sign-in failed" in visit.redirect_body
    assert b"more than 1024 KiB" in visit.redirect_body


# -- M7: a total deadline, and a cancel that reaches the socket ------------------------


def test_a_dripping_token_endpoint_ends_at_the_deadline(
    oauth_server: OAuthServer, trusted_ca: Path
) -> None:
    """A byte every 0.5 s: no read ever times out, the answer never ends."""
    oauth_server.drip_next("/token", interval=0.5)
    grant = stored_grant(oauth_server)
    took, error = ended_within(10, lambda: refresh(settings(oauth_server), grant, http_timeout=2))
    assert problem_of(error) == ("oauth2_deadline", {"host": "127.0.0.1", "seconds": "2"})
    assert 1.5 < took < 4, took

    oauth_server.drip_next("/token", interval=0.5)
    took, error = ended_within(
        10,
        lambda: sign_in(
            settings(oauth_server), oauth_server.browser, "info", timeout=10, http_timeout=2
        ),
    )
    assert problem_of(error)[0] == "oauth2_deadline"
    assert took < 5, took
    visit = oauth_server.browser_visits[-1].wait()
    assert b"Sign-in failed" in visit.redirect_body and b"within 2 s" in visit.redirect_body


def _cancel_once_asked(server: OAuthServer, path: str, cancel: CancelToken) -> None:
    def watch() -> None:
        deadline = time.monotonic() + 10
        while server.count(path) == 0 and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(0.3)  # the answer has begun to drip
        cancel.cancel()

    threading.Thread(target=watch, daemon=True).start()


def test_cancel_ends_a_sign_in_waiting_for_the_token_endpoint_at_once(
    oauth_server: OAuthServer, trusted_ca: Path
) -> None:
    """The window's Cancel while the code is being redeemed: not only
    while the browser is awaited."""
    oauth_server.drip_next("/token", interval=1.0)
    cancel = CancelToken()
    _cancel_once_asked(oauth_server, "/token", cancel)
    took, error = ended_within(
        10,
        lambda: sign_in(
            settings(oauth_server), oauth_server.browser, "info", timeout=20, cancel=cancel
        ),
    )
    assert problem_of(error)[0] == "cancelled"
    assert took < 3, took
    assert oauth_server.hostile_ended.wait(5)  # the connection was closed, not left dripping


def test_cancel_ends_a_refresh_at_once(oauth_server: OAuthServer, trusted_ca: Path) -> None:
    oauth_server.drip_next("/token", interval=1.0)
    cancel = CancelToken()
    _cancel_once_asked(oauth_server, "/token", cancel)
    grant = stored_grant(oauth_server)
    took, error = ended_within(10, lambda: refresh(settings(oauth_server), grant, cancel=cancel))
    assert problem_of(error)[0] == "cancelled"
    assert took < 3, took


@pytest.fixture
def dovecot(oauth_server: OAuthServer) -> Iterator[OAuthDovecot]:
    server = OAuthDovecot(
        oauth_server, users=("info",), certificate=Authority.shared().issue(["localhost"])
    )
    server.start()
    yield server
    server.stop()


def oauth2_account(admin: Admin, server: OAuthServer, dovecot: OAuthDovecot) -> None:
    """Account 1000 logging in to Dovecot with XOAUTH2, fetched every 5
    minutes, with a grant whose access token is over."""
    assert admin("operators", "add", "ADM").code == 0
    account = {
        "number": "1000",
        "address": "info@mustermann.de",
        "pop3": {
            "server": "localhost",
            "port": dovecot.tls_port,
            "username": "info",
            "security": "ssl",
            "oauth2": True,
        },
        "operators": ["ADM"],
        "oauth2": settings(server),
        "fetch": {"interval_minutes": 5},
    }
    assert admin("add", "--file", "-", stdin=json.dumps(account)).code == 0
    ctx = AppContext(admin.store, admin.keyring)
    ctx.service.set_secret("1000", "oauth2", stored_grant(server).to_secret())
    ctx.close()


def test_cancelling_a_fetch_ends_its_running_refresh_at_once(
    tmp_path: Path, oauth_server: OAuthServer, dovecot: OAuthDovecot, trusted_ca: Path
) -> None:
    """What Esc in "Fetch now" does: the fetch's cancel reaches the token
    refresh of its POP3 login."""
    admin = Admin(tmp_path / "accounts.sqlite3", MemoryKeyring())
    oauth2_account(admin, oauth_server, dovecot)
    oauth_server.drip_next("/token", interval=1.0)
    ctx = AppContext(admin.store, admin.keyring, tmp_path / "mail")
    cancel = CancelToken()
    _cancel_once_asked(oauth_server, "/token", cancel)
    results: list[Any] = []

    def fetch() -> None:
        results.extend(
            fetch_accounts(["1000"], ctx.open_service, tmp_path / "mail", _now, cancel=cancel)
        )

    took, error = ended_within(10, fetch)
    ctx.close()
    assert error is None and took < 3, (took, error)
    assert results[0].problem == Problem("cancelled")


def test_serve_stops_within_5_s_of_sigterm_while_a_refresh_drips(
    tmp_path: Path,
    oauth_server: OAuthServer,
    dovecot: OAuthDovecot,
    trusted_ca: Path,
    secret_service: Any,
) -> None:
    admin = Admin(tmp_path / "accounts.sqlite3", secret_service)
    oauth2_account(admin, oauth_server, dovecot)
    oauth_server.drip_next("/token", interval=1.0)
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "mailaccounts", "--store", str(admin.store)),
            *("--mail-root", str(tmp_path / "mail"), "serve"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={
            **os.environ,
            "PYTHONPATH": str(REPO),
            "MAILACCOUNTS_NOW": "2026-12-01T10:00:00+00:00",
            "TZ": "UTC",
        },
    )
    try:
        deadline = time.monotonic() + 30
        while oauth_server.count("/token") == 0 and time.monotonic() < deadline:
            assert process.poll() is None, process.communicate()
            time.sleep(0.05)
        assert oauth_server.count("/token") == 1, "serve never refreshed the token"
        time.sleep(1.5)  # the refresh is under way, its answer dripping
        asked = time.monotonic()
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=30)
        took = time.monotonic() - asked
        assert took < 5, took
        assert process.returncode == 0, err
        assert "stopped" in out and "Traceback" not in err
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()


# -- L5: a 200 without an access token ---------------------------------------------


def test_a_token_answer_without_an_access_token_is_no_sign_in(
    tmp_path: Path, oauth_server: OAuthServer, trusted_ca: Path, secret_service: Any
) -> None:
    admin = Admin(tmp_path / "accounts.sqlite3", secret_service)
    add_oauth2_account(admin, oauth_server)
    oauth_server.fail_next("/token", 200, {"token_type": "Bearer", "refresh_token": "r-123"})
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "mailaccounts", "--store", str(admin.store)),
            *("oauth2", "login", "1000", "--no-browser", "--timeout", "20"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert process.stdout is not None
    url = process.stdout.readline().strip()
    oauth_server.browser(url)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 1, (out, err)
    assert "answered without an access token" in err and "Traceback" not in err
    visit = oauth_server.browser_visits[-1].wait()
    assert b"Sign-in failed" in visit.redirect_body
    assert b"Signed in" not in visit.redirect_body
    status = admin("oauth2", "status", "1000")
    assert (status.code, status.out.strip()) == (1, "account 1000: not signed in")

    # a refresh answered so keeps nothing either
    oauth_server.fail_next("/token", 200, {"token_type": "Bearer"})
    with pytest.raises(NetError) as refused:
        refresh(settings(oauth_server), stored_grant(oauth_server))
    assert refused.value.problem.code == "oauth2_no_access_token"


# -- L3, L4: the loopback listener ------------------------------------------------


def _redirect_port(url: str) -> int:
    redirect = parse_qs(urlsplit(url).query)["redirect_uri"][0]
    port = urlsplit(redirect).port
    assert port is not None
    return port


def _get(port: int, target: str) -> tuple[int, bytes]:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    status = int(answer.split(b" ", 2)[1])
    return status, answer


def test_the_browser_hears_that_the_program_refused_the_code(
    oauth_server: OAuthServer, trusted_ca: Path
) -> None:
    """The redirect carried a code, but the token endpoint refused it: the
    page says so, not "Signed in"."""
    oauth_server.fail_next("/token", 400, {"error": "invalid_grant", "error_description": "nope"})
    with pytest.raises(NetError) as failed:
        sign_in(settings(oauth_server), oauth_server.browser, "info", timeout=10)
    assert "invalid_grant" in failed.value.problem.params["reason"]
    page = oauth_server.browser_visits[-1].wait().redirect_body
    assert b"Sign-in failed" in page and b"invalid_grant nope" in page
    assert b"Signed in" not in page and b"Angemeldet." not in page

    sign_in(settings(oauth_server), oauth_server.browser, "info", timeout=10)
    page = oauth_server.browser_visits[-1].wait().redirect_body
    assert b"Signed in" in page and b"failed" not in page


def test_other_local_processes_cannot_end_or_block_a_sign_in(
    oauth_server: OAuthServer, trusted_ca: Path
) -> None:
    """Before the real redirect: one process holds half a request line, one
    sends a code with a wrong state, one without a state. Each is answered
    or cut off on its own; the sign-in goes on and completes."""
    seen: dict[str, Any] = {}

    def hostile_then_real_browser(url: str) -> None:
        port = _redirect_port(url)
        half = socket.create_connection(("127.0.0.1", port), timeout=10)
        half.sendall(b"GET /?code=stolen&sta")  # and nothing more
        seen["half"] = half
        seen["wrong"] = _get(port, "/?code=stolen&state=guessed")
        seen["none"] = _get(port, "/?code=stolen")
        oauth_server.browser(url)

    started = time.monotonic()
    grant = sign_in(settings(oauth_server), hostile_then_real_browser, "info", timeout=15)
    assert grant.user == "info" and grant.access_token
    assert time.monotonic() - started < 5
    for name in ("wrong", "none"):
        status, answer = seen[name]
        assert status == 400 and b"does not belong to the sign-in" in answer, name
    assert b"Signed in" in oauth_server.browser_visits[-1].wait().redirect_body
    # the half request was cut off by the listener's per-request deadline
    half: socket.socket = seen["half"]
    half.settimeout(10)
    try:
        assert half.recv(100) == b""
    except ConnectionResetError:
        pass
    finally:
        half.close()
    # the code of the real redirect was redeemed once, the stolen one never
    redeemed = [form for path, form in oauth_server.requests if path == "/token"]
    assert len(redeemed) == 1 and redeemed[0]["code"] != "stolen"
