"""Self-tests of the OAuth2 test servers (tests/support/oauth_server.py and
oauth_mail.py): the mock authorization server's flows, Dovecot and aiosmtpd
logging users in with XOAUTH2/OAUTHBEARER bearer tokens."""

from __future__ import annotations

import base64
import json
import poplib
import secrets
import smtplib
import socket
import ssl
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest

from tests.support.certs import Authority
from tests.support.oauth_mail import (
    OAuthDovecot,
    OAuthSmtp,
    oauth_smtp_server,
    oauthbearer,
    xoauth2,
)
from tests.support.oauth_server import DEVICE_GRANT, OAuthServer, decode_jwt_payload, s256

CLIENT = "mailaccounts-test"


# -- a client's pieces -------------------------------------------------------------


def post(server: OAuthServer, url: str, **form: str) -> tuple[int, dict[str, Any]]:
    """POSTs the form, trusting the test CA; the status and the JSON answer."""
    request = urllib.request.Request(url, data=urllib.parse.urlencode(form).encode())
    try:
        with urllib.request.urlopen(request, context=server.ssl_context(), timeout=10) as answer:
            body = answer.read()
            return answer.status, json.loads(body) if body else {}
    except urllib.error.HTTPError as error:
        body = error.read()
        return error.code, json.loads(body) if body else {}


def pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    return verifier, s256(verifier)


class Loopback:
    """The client's loopback listener (RFC 8252 §7.3) on 127.0.0.1:0: takes one
    redirect and keeps its query."""

    def __init__(self) -> None:
        received: list[dict[str, str]] = []

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                query = urllib.parse.urlsplit(self.path).query
                received.append(dict(urllib.parse.parse_qsl(query)))
                body = b"Signed in. You may close this window."
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.received = received
        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.server.timeout = 10
        self.redirect_uri = f"http://127.0.0.1:{self.server.server_address[1]}/callback"

    def wait(self) -> dict[str, str]:
        self.server.handle_request()
        self.server.server_close()
        assert self.received, "no redirect reached the loopback listener"
        return self.received[0]


def authorize_url(server: OAuthServer, redirect_uri: str, challenge: str, **extra: str) -> str:
    query = {
        "response_type": "code",
        "client_id": CLIENT,
        "redirect_uri": redirect_uri,
        "scope": "openid email offline_access https://outlook.office.com/POP.AccessAsUser.All",
        "state": "state-123",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        **extra,
    }
    return server.authorization_url + "?" + urllib.parse.urlencode(query)


def sign_in(server: OAuthServer) -> tuple[dict[str, str], str, str]:
    """The authorization request through the test browser: (the redirect's
    query, the verifier, the redirect URI)."""
    verifier, challenge = pkce()
    loopback = Loopback()
    server.browser(authorize_url(server, loopback.redirect_uri, challenge))
    redirect = loopback.wait()
    server.browser_visits[-1].wait()
    return redirect, verifier, loopback.redirect_uri


def redeem(server: OAuthServer, code: str, verifier: str, redirect_uri: str) -> Any:
    return post(
        server,
        server.token_url,
        grant_type="authorization_code",
        code=code,
        redirect_uri=redirect_uri,
        client_id=CLIENT,
        code_verifier=verifier,
    )


def refresh(server: OAuthServer, token: str) -> tuple[int, dict[str, Any]]:
    return post(
        server, server.token_url, grant_type="refresh_token", refresh_token=token, client_id=CLIENT
    )


@pytest.fixture
def oauth(oauth_server: OAuthServer) -> OAuthServer:
    return oauth_server


# -- authorization code with PKCE ---------------------------------------------------


def test_authorization_code_with_pkce_round_trip(oauth: OAuthServer) -> None:
    redirect, verifier, redirect_uri = sign_in(oauth)
    assert redirect["state"] == "state-123"
    visit = oauth.browser_visits[-1]
    assert (visit.authorization_status, visit.redirect_status, visit.error) == (302, 200, None)
    assert b"Signed in" in visit.redirect_body

    status, tokens = redeem(oauth, redirect["code"], verifier, redirect_uri)
    assert status == 200, tokens
    assert tokens["token_type"] == "Bearer"
    assert tokens["expires_in"] == 3600
    assert tokens["refresh_token"]
    claims = decode_jwt_payload(tokens["id_token"])
    assert claims["preferred_username"] == "info"
    assert claims["email"] == "info@mailaccounts.test"
    assert claims["aud"] == CLIENT
    assert oauth.introspect(tokens["access_token"])["username"] == "info"
    assert oauth.token_requests_by_grant_type["authorization_code"] == 1
    path, form = oauth.requests[-1]
    assert path == "/token"
    assert form["code_verifier"] == verifier
    assert oauth.issued == [tokens]

    # a code works once
    again = redeem(oauth, redirect["code"], verifier, redirect_uri)
    assert again == (
        400,
        {"error": "invalid_grant", "error_description": "authorization code already used"},
    )


def test_wrong_verifier_is_refused(oauth: OAuthServer) -> None:
    redirect, _, redirect_uri = sign_in(oauth)
    status, answer = redeem(oauth, redirect["code"], pkce()[0], redirect_uri)
    assert (status, answer["error"]) == (400, "invalid_grant")
    assert "access_token" not in answer


def test_other_redirect_uri_at_the_token_endpoint_is_refused(oauth: OAuthServer) -> None:
    redirect, verifier, _ = sign_in(oauth)
    status, answer = redeem(oauth, redirect["code"], verifier, "http://127.0.0.1:1/other")
    assert (status, answer["error"]) == (400, "invalid_grant")


def test_wrong_client_id(oauth: OAuthServer) -> None:
    loopback = Loopback()
    url = authorize_url(oauth, loopback.redirect_uri, pkce()[1], client_id="someone-else")
    oauth.browser(url)
    redirect = loopback.wait()
    assert redirect["error"] == "unauthorized_client"
    assert redirect["state"] == "state-123"
    assert "code" not in redirect

    status, answer = post(
        oauth, oauth.token_url, grant_type="refresh_token", refresh_token="x", client_id="nobody"
    )
    assert (status, answer["error"]) == (401, "invalid_client")


@pytest.mark.parametrize(
    "redirect_uri",
    [
        "http://localhost:8080/callback",
        "https://127.0.0.1:8080/callback",
        "http://example.com/callback",
        "http://127.0.0.1.example.com/",
        "",
    ],
)
def test_only_loopback_redirect_uris(oauth: OAuthServer, redirect_uri: str) -> None:
    oauth.browser(authorize_url(oauth, redirect_uri, pkce()[1]))
    visit = oauth.browser_visits[-1].wait()
    assert (visit.authorization_status, visit.location, visit.redirect_status) == (400, None, None)


def test_ipv6_loopback_redirect_is_accepted(oauth: OAuthServer) -> None:
    url = authorize_url(oauth, "http://[::1]:4711/cb?x=1", pkce()[1])
    oauth.never_returning_browser(url)
    status, location = _get_no_redirect(oauth, url)
    assert status == 302
    assert location is not None and location.startswith("http://[::1]:4711/cb?x=1&code=")


@pytest.mark.parametrize("method", [None, "plain"])
def test_pkce_is_required(oauth: OAuthServer, method: str | None) -> None:
    loopback = Loopback()
    url = authorize_url(oauth, loopback.redirect_uri, "challenge")
    if method is None:
        url = url.replace("&code_challenge_method=S256", "")
    else:
        url = url.replace("code_challenge_method=S256", f"code_challenge_method={method}")
    oauth.browser(url)
    assert loopback.wait()["error"] == "invalid_request"


def test_denying_and_never_returning_browsers(oauth: OAuthServer) -> None:
    loopback = Loopback()
    url = authorize_url(oauth, loopback.redirect_uri, pkce()[1])
    oauth.denying_browser(url)
    redirect = loopback.wait()
    assert (redirect["error"], redirect["state"]) == ("access_denied", "state-123")

    oauth.never_returning_browser(url + "&login_hint=info")
    assert oauth.browser_visits[-1].kind == "never_returning"
    assert oauth.browser_visits[-1].url.endswith("login_hint=info")
    assert oauth.count("/authorize") == 1


# -- device flow ---------------------------------------------------------------------


def test_device_flow(oauth: OAuthServer) -> None:
    oauth.device_interval = 0.4
    status, device = post(oauth, oauth.device_authorization_url, client_id=CLIENT, scope="openid")
    assert status == 200
    assert device["verification_uri"] == oauth.verification_url
    assert device["interval"] == 0.4
    assert oauth.pending_user_codes == [device["user_code"]]

    def poll() -> tuple[int, dict[str, Any]]:
        return post(
            oauth,
            oauth.token_url,
            grant_type=DEVICE_GRANT,
            device_code=device["device_code"],
            client_id=CLIENT,
        )

    assert poll()[1]["error"] == "authorization_pending"
    oauth.slow_down_increment = 0.1
    assert poll()[1]["error"] == "slow_down"  # at once, not after the interval
    time.sleep(0.55)
    assert poll()[1]["error"] == "authorization_pending"

    assert oauth.approve_device(device["user_code"].lower()) == device["user_code"]
    time.sleep(0.55)
    status, tokens = poll()
    assert status == 200, tokens
    assert decode_jwt_payload(tokens["id_token"])["preferred_username"] == "info"
    assert oauth.introspect(tokens["access_token"])["active"] is True
    time.sleep(0.55)
    assert poll()[1]["error"] == "invalid_grant"  # redeemed
    assert oauth.token_requests_by_grant_type[DEVICE_GRANT] == 5


def test_device_flow_denied_and_expired(oauth: OAuthServer) -> None:
    def start_and_poll() -> str:
        _, device = post(oauth, oauth.device_authorization_url, client_id=CLIENT)
        if oauth.device_code_lifetime > 0:
            oauth.deny_device()
        _, answer = post(
            oauth,
            oauth.token_url,
            grant_type=DEVICE_GRANT,
            device_code=device["device_code"],
            client_id=CLIENT,
        )
        return str(answer["error"])

    assert start_and_poll() == "access_denied"
    oauth.device_code_lifetime = 0
    assert start_and_poll() == "expired_token"


def test_approve_device_waits_for_the_client(oauth: OAuthServer) -> None:
    timer = threading.Timer(
        0.2, lambda: post(oauth, oauth.device_authorization_url, client_id=CLIENT)
    )
    timer.start()
    user_code = oauth.approve_device(timeout=5)
    timer.join()
    assert user_code not in oauth.pending_user_codes
    with pytest.raises(KeyError):
        oauth.approve_device(timeout=0)


# -- refresh, revocation, introspection ---------------------------------------------------


def test_refresh_tokens_rotate(oauth: OAuthServer) -> None:
    oauth.refresh_token_length = 3000
    oauth.access_token_lifetime = 1
    first = oauth.issue_tokens()
    assert len(first["refresh_token"]) == 3000
    assert first["expires_in"] == 1

    status, second = refresh(oauth, first["refresh_token"])
    assert status == 200, second
    assert second["refresh_token"] != first["refresh_token"]
    assert second["access_token"] != first["access_token"]
    assert len(second["refresh_token"]) == 3000

    # the old one stays good for one more use (a lost answer), then it is spent
    assert refresh(oauth, first["refresh_token"])[0] == 200
    status, spent = refresh(oauth, first["refresh_token"])
    assert (status, spent["error"]) == (400, "invalid_grant")
    assert refresh(oauth, second["refresh_token"])[0] == 200
    assert oauth.token_requests_by_grant_type["refresh_token"] == 4

    status, wider = post(
        oauth,
        oauth.token_url,
        grant_type="refresh_token",
        refresh_token=second["refresh_token"],
        client_id=CLIENT,
        scope="openid https://mail.google.com/",
    )
    assert (status, wider["error"]) == (400, "invalid_scope")


def test_access_tokens_expire(oauth: OAuthServer) -> None:
    oauth.access_token_lifetime = 0.3
    tokens = oauth.issue_tokens()
    assert oauth.introspect(tokens["access_token"])["active"] is True
    time.sleep(0.4)
    assert oauth.introspect(tokens["access_token"]) == {"active": False}

    oauth.access_token_lifetime = 3600
    fresh = oauth.issue_tokens()
    oauth.expire_access_tokens("info")
    assert oauth.introspect(fresh["access_token"]) == {"active": False}


def test_introspection_endpoint(oauth: OAuthServer) -> None:
    tokens = oauth.issue_tokens(scope="openid offline_access mail")
    status, answer = post(oauth, oauth.introspection_url, token=tokens["access_token"])
    assert status == 200
    assert answer["active"] is True
    assert answer["username"] == "info"
    assert answer["scope"] == "openid offline_access mail"
    assert answer["exp"] > time.time() + 3500
    for other in ("unknown", tokens["refresh_token"]):
        assert post(oauth, oauth.introspection_url, token=other) == (200, {"active": False})
    assert oauth.count("/introspect") == 3


def test_revocation(oauth: OAuthServer) -> None:
    mine, also_mine = oauth.issue_tokens(), oauth.issue_tokens()
    oauth.users["bob"] = "Bob Builder"
    bobs = oauth.issue_tokens("bob")
    oauth.revoke_all("info")
    for tokens in (mine, also_mine):
        assert refresh(oauth, tokens["refresh_token"]) == (
            400,
            {"error": "invalid_grant", "error_description": "the grant was revoked"},
        )
        assert oauth.introspect(tokens["access_token"]) == {"active": False}
    assert oauth.introspect(bobs["access_token"])["username"] == "bob"

    # RFC 7009: revoking the refresh token ends the grant
    status, _ = post(oauth, oauth.revocation_url, token=bobs["refresh_token"], client_id=CLIENT)
    assert status == 200
    assert oauth.introspect(bobs["access_token"]) == {"active": False}
    assert refresh(oauth, bobs["refresh_token"])[1]["error"] == "invalid_grant"
    assert post(oauth, oauth.revocation_url, token="unknown", client_id=CLIENT)[0] == 200


def test_client_secret_metadata_and_injected_failures() -> None:
    with OAuthServer(client_secret="not-so-secret") as oauth:
        tokens = oauth.issue_tokens()
        status, answer = refresh(oauth, tokens["refresh_token"])
        assert (status, answer["error"]) == (401, "invalid_client")
        status, _ = post(
            oauth,
            oauth.token_url,
            grant_type="refresh_token",
            refresh_token=tokens["refresh_token"],
            client_id=CLIENT,
            client_secret="not-so-secret",
        )
        assert status == 200

        with urllib.request.urlopen(oauth.discovery_url, context=oauth.ssl_context()) as answer:
            metadata = json.load(answer)
        assert metadata["token_endpoint"] == oauth.token_url
        assert metadata["device_authorization_endpoint"] == oauth.device_authorization_url
        assert metadata["code_challenge_methods_supported"] == ["S256"]

        oauth.fail_next("/token", 503, {"error": "temporarily_unavailable"})
        status, answer = refresh(oauth, tokens["refresh_token"])
        assert (status, answer) == (503, {"error": "temporarily_unavailable"})


def test_the_certificate_is_for_127_0_0_1_and_localhost(oauth: OAuthServer) -> None:
    for host in ("127.0.0.1", "localhost"):
        with (
            socket.create_connection((host, oauth.port)) as raw,
            oauth.ssl_context().wrap_socket(raw, server_hostname=host) as tls,
        ):
            assert tls.version() is not None
    with (
        socket.create_connection(("127.0.0.1", oauth.port)) as raw,
        pytest.raises(ssl.SSLCertVerificationError),
        ssl.create_default_context(cadata=Authority("another CA").pem.decode()).wrap_socket(
            raw, server_hostname="127.0.0.1"
        ),
    ):
        pass
    deadline = time.monotonic() + 5  # the server notices in its own thread
    while not oauth.tls_errors and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(oauth.tls_errors) == 1
    assert "UNKNOWN_CA" in oauth.tls_errors[0]


def _get_no_redirect(oauth: OAuthServer, url: str) -> tuple[int, str | None]:
    import http.client

    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPSConnection("127.0.0.1", oauth.port, context=oauth.ssl_context())
    try:
        connection.request("GET", f"{parts.path}?{parts.query}")
        answer = connection.getresponse()
        answer.read()
        return answer.status, answer.getheader("Location")
    finally:
        connection.close()


# -- Dovecot with the oauth2 passdb -------------------------------------------------------


@pytest.fixture(scope="module")
def mail_oauth() -> Iterator[OAuthServer]:
    server = OAuthServer().start()
    yield server
    server.stop()
    assert not server.errors


@pytest.fixture(scope="module")
def oauth_dovecot(mail_oauth: OAuthServer) -> Iterator[OAuthDovecot]:
    certificate = Authority.shared().issue(["localhost", "127.0.0.1"])
    server = OAuthDovecot(mail_oauth, ["info"], certificate, passwords={"pwuser": "geheim"}).start()
    server.deliver("info", b"From: a@b.de\r\nSubject: Hallo\r\n\r\nText\r\n")
    yield server
    server.stop()


class Pop3AuthFailed(poplib.error_proto):
    def __init__(self, line: bytes, challenges: list[Any]) -> None:
        super().__init__(line)
        self.challenges = challenges


def pop3_auth(client: poplib.POP3, mechanism: str, response: str) -> bytes:
    """AUTH with an initial response. On a bad token Dovecot first sends a
    ``+ <base64 JSON>`` challenge (which poplib would take for +OK): answer it
    with an empty line (XOAUTH2) or ``\\x01`` (OAUTHBEARER), as a client must;
    raises Pop3AuthFailed with the final -ERR and the challenges' JSON."""

    def command(line: str) -> bytes:
        client.sock.sendall(line.encode("ascii") + b"\r\n")
        return client.file.readline().rstrip(b"\r\n")

    line = command(f"AUTH {mechanism} {response}")
    challenges: list[Any] = []
    if line.startswith(b"+ "):
        challenges.append(json.loads(base64.b64decode(line[2:])))
        line = command("" if mechanism == "XOAUTH2" else "AQ==")
        assert line.startswith(b"-ERR"), (challenges, line)
    if not line.startswith(b"+OK"):
        raise Pop3AuthFailed(line, challenges)
    return line


def test_dovecot_xoauth2_over_implicit_tls_and_starttls(
    mail_oauth: OAuthServer, oauth_dovecot: OAuthDovecot
) -> None:
    token = mail_oauth.issue_tokens()["access_token"]
    before = mail_oauth.count("/introspect")
    context = mail_oauth.ssl_context()
    with_tls = poplib.POP3_SSL("127.0.0.1", oauth_dovecot.tls_port, context=context)
    assert pop3_auth(with_tls, "XOAUTH2", xoauth2("info", token)) == b"+OK Logged in."
    assert with_tls.stat() == (1, 38)
    with_tls.quit()

    starttls = poplib.POP3("127.0.0.1", oauth_dovecot.port, timeout=10)
    assert "SASL" in starttls.capa()
    assert "XOAUTH2" in starttls.capa()["SASL"]
    starttls.stls(context=mail_oauth.ssl_context())
    assert pop3_auth(starttls, "OAUTHBEARER", oauthbearer("info", token)) == b"+OK Logged in."
    assert starttls.stat()[0] == 1
    starttls.quit()

    # Dovecot asked the introspection endpoint each time (force_introspection)
    assert mail_oauth.count("/introspect") == before + 2
    assert mail_oauth.requests[-1] == (
        "/introspect",
        {"token": token, "client_id": "", "client_secret": ""},
    )

    passwords = poplib.POP3("127.0.0.1", oauth_dovecot.port, timeout=10)
    passwords.user("pwuser")
    passwords.pass_("geheim")
    passwords.quit()


@pytest.mark.parametrize("spoil", ["expired", "revoked", "other user", "unknown"])
def test_dovecot_refuses_bad_tokens(
    mail_oauth: OAuthServer, oauth_dovecot: OAuthDovecot, spoil: str
) -> None:
    mail_oauth.users.setdefault("bob", "Bob")
    tokens = mail_oauth.issue_tokens("bob" if spoil == "revoked" else "info")
    token, user = tokens["access_token"], "info"
    if spoil == "expired":
        mail_oauth.expire_access_tokens("info")
    elif spoil == "revoked":
        mail_oauth.revoke_all("bob")
        user = "bob"
    elif spoil == "other user":
        user = "bob"
    else:
        token = "not-a-token"
    client = poplib.POP3("127.0.0.1", oauth_dovecot.port, timeout=10)
    started = time.monotonic()
    with pytest.raises(Pop3AuthFailed, match=r"-ERR \[AUTH\] Authentication failed") as failed:
        pop3_auth(client, "XOAUTH2", xoauth2(user, token))
    assert failed.value.challenges == [{"status": "401", "schemes": "bearer", "scope": "mail"}]
    assert time.monotonic() - started < 2  # no anvil penalty: a failure answers after 0.5 s
    client.close()


def test_dovecot_anvil_penalty_when_asked_for(mail_oauth: OAuthServer) -> None:
    """The real thing: after a failed login the next one from 127.0.0.1 waits
    about 4 s (2 failures: 8 s, then 15 s), good token or not."""
    server = OAuthDovecot(mail_oauth, ["info"], None, auth_penalty=True).start()
    try:
        token = mail_oauth.issue_tokens()["access_token"]
        client = poplib.POP3("127.0.0.1", server.port, timeout=30)
        with pytest.raises(poplib.error_proto):
            pop3_auth(client, "XOAUTH2", xoauth2("info", "bad"))
        client.close()
        started = time.monotonic()
        client = poplib.POP3("127.0.0.1", server.port, timeout=30)
        pop3_auth(client, "XOAUTH2", xoauth2("info", token))
        waited = time.monotonic() - started
        client.quit()
        assert 3.5 < waited < 10, waited
    finally:
        server.stop()


# -- aiosmtpd with XOAUTH2 --------------------------------------------------------------------


@pytest.fixture
def oauth_smtp(mail_oauth: OAuthServer) -> Iterator[OAuthSmtp]:
    certificate = Authority.shared().issue(["localhost", "127.0.0.1"])
    server = oauth_smtp_server(mail_oauth, certificate=certificate, passwords={"pwuser": "geheim"})
    yield server
    server.stop()


def smtp_client(server: OAuthSmtp, oauth: OAuthServer) -> smtplib.SMTP:
    client = smtplib.SMTP("127.0.0.1", server.port, timeout=10)
    client.starttls(context=oauth.ssl_context())
    client.ehlo()
    return client


def test_smtp_xoauth2(mail_oauth: OAuthServer, oauth_smtp: OAuthSmtp) -> None:
    mail_oauth.access_token_length = 2500  # as long as Microsoft's
    try:
        token = mail_oauth.issue_tokens()["access_token"]
    finally:
        mail_oauth.access_token_length = 43
    client = smtp_client(oauth_smtp, mail_oauth)
    assert client.esmtp_features["auth"].split() == ["CRAM-MD5", "LOGIN", "OAUTHBEARER", "XOAUTH2"]
    response = f"user=info\x01auth=Bearer {token}\x01\x01"
    assert client.auth("XOAUTH2", lambda challenge=None: response)[0] == 235
    client.sendmail("info@mailaccounts.test", ["kunde@example.com"], b"Subject: Hi\r\n\r\nText\r\n")
    client.quit()
    assert oauth_smtp.handler.oauth_logins == ["info"]
    assert len(oauth_smtp.handler.messages) == 1

    client = smtp_client(oauth_smtp, mail_oauth)
    bearer = f"n,a=info,\x01auth=Bearer {token}\x01\x01"
    assert client.auth("OAUTHBEARER", lambda challenge=None: bearer)[0] == 235
    client.quit()


@pytest.mark.parametrize("spoil", ["expired", "other user"])
def test_smtp_xoauth2_bad_token(mail_oauth: OAuthServer, oauth_smtp: OAuthSmtp, spoil: str) -> None:
    token = mail_oauth.issue_tokens()["access_token"]
    user = "info"
    if spoil == "expired":
        mail_oauth.expire_access_tokens()
    else:
        user = "bob"
    challenges: list[bytes] = []

    def answer(challenge: bytes | None = None) -> str:
        if challenge is None:
            return f"user={user}\x01auth=Bearer {token}\x01\x01"
        challenges.append(challenge)
        return ""  # XOAUTH2: an empty line to get the final answer

    client = smtp_client(oauth_smtp, mail_oauth)
    with pytest.raises(smtplib.SMTPAuthenticationError) as raised:
        client.auth("XOAUTH2", answer)
    assert raised.value.smtp_code == 535
    assert raised.value.smtp_error == b"5.7.8 Username and Password not accepted"
    assert json.loads(challenges[0])["status"] == "401"
    client.quit()
    assert oauth_smtp.handler.oauth_logins == []
    assert oauth_smtp.handler.oauth_attempts[-1] == ("XOAUTH2", user, token)


def test_smtp_xoauth2_failure_like_microsoft(mail_oauth: OAuthServer) -> None:
    server = oauth_smtp_server(mail_oauth, mode="none", failure="microsoft")
    try:
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as raw:
            lines = raw.makefile("rb")
            assert lines.readline().startswith(b"220")
            raw.sendall(b"EHLO client\r\n")
            while not lines.readline().startswith(b"250 "):
                pass
            raw.sendall(b"AUTH XOAUTH2 " + xoauth2("info", "bad").encode() + b"\r\n")
            assert lines.readline() == b"535 5.7.3 Authentication unsuccessful\r\n"
    finally:
        server.stop()
