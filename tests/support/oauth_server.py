"""A mock OAuth 2.0 authorization server on 127.0.0.1 over HTTPS, for the
end-to-end tests of OAuth2 sign-in (Microsoft 365, Google, custom providers).

It speaks the parts of the protocols a desktop mail client uses:

- ``GET /authorize``: authorization code with PKCE (RFC 6749 §4.1, RFC 7636),
  loopback redirect URIs only (RFC 8252 §7.3). There is no login page: the
  request is approved at once as ``signed_in_user``.
- ``POST /token``: the ``authorization_code``, ``refresh_token`` (rotating) and
  device code (RFC 8628) grants.
- ``POST /device``: device authorization (RFC 8628 §3.1).
- ``POST /introspect``: token introspection (RFC 7662), which Dovecot's oauth2
  passdb calls.
- ``POST /revoke``: token revocation (RFC 7009).
- ``GET /.well-known/openid-configuration`` (and ``oauth-authorization-server``):
  the metadata, for clients that discover the endpoints of a custom provider.

Everything the server is sent is recorded (``requests``, secrets included: the
tests check the values), and the test drives what a person would do: a
"system browser" to install (``browser``, ``never_returning_browser``,
``denying_browser``) and ``approve_device``/``deny_device`` for the device flow.

Access and refresh tokens are random opaque strings; the ``id_token`` is a
well-formed JWT that is NOT signed (``"alg": "none"``, empty signature part):
decode its payload to show who signed in (``preferred_username``, ``email``,
``name``), never trust it for anything else.
"""

from __future__ import annotations

import base64
import collections
import contextlib
import hashlib
import http.client
import json
import re
import secrets
import shutil
import socket
import ssl
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Self

from tests.support.certs import Authority

DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
DEFAULT_SCOPE = "openid email profile offline_access"
TEST_DECISION_HEADER = "X-Test-Decision"
"""Sent by ``denying_browser`` to /authorize: the person clicks "No"."""

_VERIFIER = re.compile(r"[A-Za-z0-9\-._~]{43,128}")
_USER_CODE_LETTERS = "BCDFGHJKLMNPQRSTVWXZ"  # RFC 8628 §6.1: no vowels, no look-alikes


def _random_token(length: int) -> str:
    return secrets.token_urlsafe(length)[:length]


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def s256(verifier: str) -> str:
    """The PKCE S256 code challenge of *verifier* (RFC 7636 §4.2)."""
    return _b64url(hashlib.sha256(verifier.encode("ascii")).digest())


def decode_jwt_payload(token: str) -> dict[str, Any]:
    """The claims of a JWT, without checking any signature (test use only)."""
    payload = token.split(".")[1]
    padded = payload + "=" * (-len(payload) % 4)
    claims: dict[str, Any] = json.loads(base64.urlsafe_b64decode(padded))
    return claims


def is_loopback_redirect(uri: str) -> bool:
    """RFC 8252 §7.3: ``http://127.0.0.1[:port]/...`` or ``http://[::1][:port]/...``
    (any port; not ``localhost``, not https, no fragment)."""
    try:
        parts = urllib.parse.urlsplit(uri)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        return False
    return (
        parts.scheme == "http"
        and parts.hostname in ("127.0.0.1", "::1")
        and not parts.fragment
        and not parts.username
        and not parts.password
    )


# -- state -----------------------------------------------------------------------


@dataclass
class Grant:
    """What a user allowed a client: every token issued from one sign-in."""

    user: str
    client_id: str
    scope: str
    nonce: str | None = None
    revoked: bool = False


@dataclass
class _Code:
    grant: Grant
    redirect_uri: str
    challenge: str
    expires_at: float
    used: bool = False


@dataclass
class _AccessToken:
    grant: Grant
    issued_at: float
    expires_at: float


@dataclass
class _RefreshToken:
    grant: Grant
    uses: int = 0


@dataclass
class _DeviceAuthorization:
    device_code: str
    user_code: str
    client_id: str
    scope: str
    expires_at: float
    interval: float
    status: str = "pending"  # pending, approved, denied, redeemed
    user: str | None = None
    last_poll: float | None = None


@dataclass
class BrowserVisit:
    """What one of the test browsers did with a URL the client opened.

    ``authorization_status``/``location``: the authorization server's answer;
    ``redirect_status``/``redirect_body``: the client's loopback listener's
    answer to the redirect; ``error``: what went wrong (``repr`` of the
    exception), if anything. The browsers run in a thread, like a real browser
    the client does not wait for; ``wait()`` until it is done."""

    url: str
    kind: str  # "browser", "denying" or "never_returning"
    authorization_status: int | None = None
    location: str | None = None
    redirect_status: int | None = None
    redirect_body: bytes = b""
    error: str | None = None
    done: threading.Event = field(default_factory=threading.Event, repr=False)

    def wait(self, timeout: float = 10.0) -> Self:
        if not self.done.wait(timeout):
            raise TimeoutError(f"the browser is still busy with {self.url}")
        return self


@dataclass
class _Response:
    status: int
    body: bytes = b""
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    writer: Callable[[BaseHTTPRequestHandler], None] | None = None
    """A hostile answer writes itself (``drip_next``, ``flood_next``)."""


class OAuthError(Exception):
    """An RFC 6749 §5.2 error answer."""

    def __init__(self, error: str, description: str = "", status: int = 400) -> None:
        super().__init__(error)
        self.error = error
        self.description = description
        self.status = status


def _json(status: int, data: Mapping[str, Any], **headers: str) -> _Response:
    return _Response(status, json.dumps(data).encode(), "application/json", dict(headers))


def _error(error: OAuthError) -> _Response:
    data = {"error": error.error}
    if error.description:
        data["error_description"] = error.description
    headers = {"Cache-Control": "no-store", "Pragma": "no-cache"}
    if error.status == 401:
        headers["WWW-Authenticate"] = 'Basic realm="mock"'
    return _json(error.status, data, **headers)


# -- HTTP ------------------------------------------------------------------------


class _HttpServer(ThreadingHTTPServer):
    daemon_threads = True
    oauth: OAuthServer
    context: ssl.SSLContext

    def __init__(self, oauth: OAuthServer, context: ssl.SSLContext) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.oauth = oauth
        self.context = context
        self.connections: set[socket.socket] = set()
        self.lock = threading.Lock()

    def finish_request(self, request: Any, client_address: Any) -> None:
        # The TLS handshake happens here, in the connection's own thread, so a
        # client that never completes it cannot stall the accept loop
        request.settimeout(10)
        try:
            tls = self.context.wrap_socket(request, server_side=True)
        except (OSError, ssl.SSLError) as error:
            self.oauth.tls_errors.append(f"TLS handshake from {client_address}: {error!r}")
            return
        with self.lock:
            self.connections.add(tls)
        try:
            super().finish_request(tls, client_address)
        finally:
            with self.lock:
                self.connections.discard(tls)
            with contextlib.suppress(OSError):
                tls.close()

    def handle_error(self, request: Any, client_address: Any) -> None:
        import traceback

        self.oauth.errors.append(traceback.format_exc())

    def close_connections(self) -> None:
        with self.lock:
            connections = list(self.connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


class _Handler(BaseHTTPRequestHandler):
    server: _HttpServer
    protocol_version = "HTTP/1.1"  # keep-alive, as real servers (Content-Length always set)
    timeout = 10  # idle keep-alive connections end after this
    server_version = "mock-oauth/1"

    def log_message(self, format: str, *args: Any) -> None:
        pass  # no noise on stderr; the server records the requests itself

    def do_GET(self) -> None:
        parts = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(parts.query, keep_blank_values=True))
        self._send(self.server.oauth.handle("GET", parts.path, query, dict(self.headers.items())))

    def do_POST(self) -> None:
        parts = urllib.parse.urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        content_type = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        form: dict[str, str] | None = None
        if content_type == "application/x-www-form-urlencoded":
            pairs = urllib.parse.parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
            form = dict(pairs)
            if len(form) != len(pairs):  # RFC 6749 §3.2: no parameter twice
                form["__repeated__"] = "yes"
        response = self.server.oauth.handle("POST", parts.path, form, dict(self.headers.items()))
        self._send(response)

    def _send(self, response: _Response) -> None:
        if response.writer is not None:
            self.close_connection = True
            with contextlib.suppress(OSError):
                response.writer(self)
            return
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(response.body)


# -- the server ------------------------------------------------------------------


class OAuthServer:
    """The mock authorization server. ``start()`` it, ``stop()`` it (or use it
    as a context manager). Settings are attributes the tests may change at any
    time (``access_token_lifetime = 1`` to force a refresh, ...).

    *users* maps each user name (the ``username`` of introspection, the
    ``preferred_username`` of the id_token, what Dovecot and the SMTP server
    compare with the SASL ``user=``) to a display name (the id_token's
    ``name``). ``email`` in the id_token is the user name if it has an ``@``,
    else ``<user>@<email_domain>``.
    """

    def __init__(
        self,
        client_id: str = "mailaccounts-test",
        users: Mapping[str, str] | None = None,
        *,
        client_secret: str | None = None,
        authority: Authority | None = None,
    ) -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        """When set, /token and /revoke demand it (form ``client_secret`` or
        HTTP Basic), like Google's "desktop app" clients. /device asks for
        the client_id only, as Google's device endpoint does."""
        self.users: dict[str, str] = dict(users if users is not None else {"info": "info"})
        self.authority = authority or Authority.shared()

        # settings
        self.signed_in_user = next(iter(self.users), "info")
        """Who /authorize approves as (the person at the browser): by default
        the first of *users*."""
        self.access_token_lifetime: float = 3600
        self.access_token_length = 43
        """Real Microsoft access tokens are JWTs of 1,500-2,500 characters."""
        self.refresh_token_length = 64
        """Microsoft's refresh tokens can exceed 2,560 characters."""
        self.refresh_token_uses: int | None = 2
        """How often one refresh token may be redeemed (each use also returns a
        new one); None: until revoked (Microsoft keeps old ones valid)."""
        self.require_offline_access = False
        """True: a refresh token only when the scope has ``offline_access``
        (Microsoft identity platform); False: always (Google's offline access)."""
        self.issue_id_token: bool | None = None
        """None: an id_token when the scope has ``openid`` (as the real ones);
        True: always; False: never."""
        self.code_lifetime: float = 600
        self.device_code_lifetime: float = 900
        self.device_interval: float = 1
        self.slow_down_increment: float = 5
        """RFC 8628 §3.5: a client polling faster than ``interval`` gets
        ``slow_down`` and its interval grows by this."""
        self.email_domain = "mailaccounts.test"
        self.delays: dict[str, float] = {}
        """Path → seconds to wait before answering (a slow or hanging server)."""

        # records
        self.requests: list[tuple[str, dict[str, str]]] = []
        """(path, query or form) of every request, in order, secrets included."""
        self.request_headers: list[tuple[str, dict[str, str]]] = []
        self.token_requests_by_grant_type: collections.Counter[str] = collections.Counter()
        self.issued: list[dict[str, Any]] = []
        """Every successful token response (the JSON as sent), in order."""
        self.browser_visits: list[BrowserVisit] = []
        self.errors: list[str] = []
        """Exceptions in the server's handlers (a bug here, or a broken request)."""
        self.tls_errors: list[str] = []
        """Failed TLS handshakes (a client that does not trust the test CA)."""
        self.hostile_sent: list[int] = []
        """Bytes each hostile answer got out before the client hung up (or
        it was done), in order; appended when it ends."""
        self.hostile_ended = threading.Event()
        """Set whenever a hostile answer ends: the client hung up on it."""

        # state
        self._lock = threading.RLock()
        self._codes: dict[str, _Code] = {}
        self._access: dict[str, _AccessToken] = {}
        self._refresh: dict[str, _RefreshToken] = {}
        self._devices: dict[str, _DeviceAuthorization] = {}  # by device code
        self._failures: dict[str, list[_Response]] = {}
        self._http: _HttpServer | None = None
        self._stopping = threading.Event()
        """Set by ``stop()``: hostile answers end."""
        self._thread: threading.Thread | None = None
        self.port = 0

    # -- lifecycle

    def start(self) -> Self:
        pair = self.authority.issue(["127.0.0.1", "localhost"])
        folder = Path(tempfile.mkdtemp(prefix="oauth-server-"))
        try:
            cert, key = pair.write(folder, "oauth")
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(cert, key)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        self._http = _HttpServer(self, context)
        self.port = int(self._http.server_address[1])
        self._thread = threading.Thread(
            target=self._http.serve_forever, args=(0.05,), name="oauth-server", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._http is not None:
            self._http.shutdown()
            self._http.server_close()
            self._http.close_connections()
            self._http = None
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- addresses

    @property
    def base_url(self) -> str:
        """``https://127.0.0.1:PORT``; the issuer. The certificate is also
        valid for ``localhost``."""
        return f"https://127.0.0.1:{self.port}"

    @property
    def authorization_url(self) -> str:
        return self.base_url + "/authorize"

    @property
    def token_url(self) -> str:
        return self.base_url + "/token"

    @property
    def device_authorization_url(self) -> str:
        return self.base_url + "/device"

    @property
    def introspection_url(self) -> str:
        return self.base_url + "/introspect"

    @property
    def revocation_url(self) -> str:
        return self.base_url + "/revoke"

    @property
    def verification_url(self) -> str:
        """Where the device flow sends the person (a page; nothing to do there:
        tests call ``approve_device``)."""
        return self.base_url + "/devicelogin"

    @property
    def discovery_url(self) -> str:
        return self.base_url + "/.well-known/openid-configuration"

    @property
    def ca_pem(self) -> bytes:
        """The test CA that signed the server's certificate."""
        return self.authority.pem

    def ssl_context(self) -> ssl.SSLContext:
        """A client context that trusts the test CA (and nothing else)."""
        return ssl.create_default_context(cadata=self.ca_pem.decode("ascii"))

    # -- what a test does

    def count(self, path: str) -> int:
        """How many requests went to *path* (``"/token"``, ...)."""
        with self._lock:
            return sum(1 for recorded, _ in self.requests if recorded == path)

    def fail_next(
        self, path: str, status: int = 503, body: bytes | Mapping[str, Any] = b"", times: int = 1
    ) -> None:
        """The next *times* requests to *path* get this answer instead (a JSON
        body when a mapping is given, e.g. ``{"error": "temporarily_unavailable"}``)."""
        response = (
            _json(status, body)
            if isinstance(body, Mapping)
            else _Response(status, body, "text/plain; charset=utf-8")
        )
        with self._lock:
            self._failures.setdefault(path, []).extend([response] * times)

    def drip_next(self, path: str, interval: float = 5.0, limit: float = 120.0) -> None:
        """The next request to *path* is answered one byte every *interval*
        seconds, from the status line on (a valid token answer, were it
        ever finished), until the client hangs up or *limit* seconds pass:
        no single read ever waits long, the whole answer takes forever."""
        answer = (
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 60\r\n\r\n"
            + b'{"access_token": "x", "token_type": "Bearer", "expires_in": 1}'
        )

        def write(handler: BaseHTTPRequestHandler) -> None:
            sent = 0
            ends = time.monotonic() + limit
            try:
                for byte in answer:
                    if time.monotonic() > ends or self._stopping.wait(interval):
                        break
                    handler.wfile.write(bytes([byte]))
                    handler.wfile.flush()
                    sent += 1
            finally:
                self._hostile_done(sent)

        self._inject(path, _Response(200, writer=write))

    def flood_next(self, path: str, size: int, *, chunked: bool = False) -> None:
        """The next request to *path* gets a 200 JSON answer of *size* bytes
        (a token answer with an access token that long), with its
        Content-Length, or *chunked* without one; written as fast as the
        client reads, until it hangs up."""
        block = b"a" * 65536
        head = b'{"token_type": "Bearer", "access_token": "'
        tail = b'"}'

        def pieces() -> Iterator[bytes]:
            yield head
            left = size - len(head) - len(tail)
            while left > 0:
                step = min(left, len(block))
                left -= step
                yield block[:step]
            yield tail

        def write(handler: BaseHTTPRequestHandler) -> None:
            sent = 0
            try:
                handler.send_response(200)
                handler.send_header("Content-Type", "application/json")
                if chunked:
                    handler.send_header("Transfer-Encoding", "chunked")
                else:
                    handler.send_header("Content-Length", str(size))
                handler.end_headers()
                for piece in pieces():
                    if self._stopping.is_set():
                        return
                    if chunked:
                        piece = b"%x\r\n%s\r\n" % (len(piece), piece)
                    handler.wfile.write(piece)
                    sent += len(piece)
                if chunked:
                    handler.wfile.write(b"0\r\n\r\n")
            finally:
                self._hostile_done(sent)

        self._inject(path, _Response(200, writer=write))

    def _inject(self, path: str, response: _Response) -> None:
        with self._lock:
            self._failures.setdefault(path, []).append(response)

    def _hostile_done(self, sent: int) -> None:
        with self._lock:
            self.hostile_sent.append(sent)
        self.hostile_ended.set()

    def issue_tokens(
        self, user: str | None = None, scope: str = DEFAULT_SCOPE, client_id: str | None = None
    ) -> dict[str, Any]:
        """Tokens for *user* (default ``signed_in_user``) without any flow, as
        /token would answer them (also recorded in ``issued``)."""
        user = user or self.signed_in_user
        if user not in self.users:
            raise KeyError(f"unknown user {user!r}")
        grant = Grant(user, client_id or self.client_id, scope)
        with self._lock:
            return self._tokens(grant)

    def introspect(self, token: str) -> dict[str, Any]:
        """What /introspect answers for *token* (RFC 7662), without HTTP: active
        only for an access token that is neither expired nor revoked."""
        with self._lock:
            access = self._access.get(token)
            now = time.time()
            if access is None or access.grant.revoked or now >= access.expires_at:
                return {"active": False}
            grant = access.grant
            return {
                "active": True,
                "username": grant.user,
                "sub": self._subject(grant.user),
                "scope": grant.scope,
                "client_id": grant.client_id,
                "token_type": "Bearer",
                "iat": int(access.issued_at),
                "exp": int(access.expires_at),
                "iss": self.base_url,
            }

    def revoke_all(self, user: str) -> None:
        """Revoke every grant of *user* (the admin signs them out everywhere):
        their refresh tokens get ``invalid_grant``, their access tokens turn
        inactive."""
        with self._lock:
            for grant in self._grants():
                if grant.user == user:
                    grant.revoked = True

    def expire_access_tokens(self, user: str | None = None) -> None:
        """Make the access tokens (of *user*, or everyone's) expired now,
        without waiting for their lifetime."""
        with self._lock:
            now = time.time()
            for token in self._access.values():
                if user is None or token.grant.user == user:
                    token.expires_at = min(token.expires_at, now - 1)

    def approve_device(
        self, user_code: str | None = None, user: str | None = None, timeout: float = 10.0
    ) -> str:
        """The person enters *user_code* (default: the newest pending one,
        waiting up to *timeout* for the client to ask for one) and signs in as
        *user* (default ``signed_in_user``). Returns the user code."""
        return self._decide_device(user_code, "approved", user or self.signed_in_user, timeout)

    def deny_device(self, user_code: str | None = None, timeout: float = 10.0) -> str:
        """The person declines the device sign-in: the client gets ``access_denied``."""
        return self._decide_device(user_code, "denied", None, timeout)

    @property
    def pending_user_codes(self) -> list[str]:
        with self._lock:
            now = time.time()
            return [
                d.user_code
                for d in self._devices.values()
                if d.status == "pending" and now < d.expires_at
            ]

    # -- the "system browsers" a test installs

    def browser(self, url: str) -> None:
        """Like a browser whose person is signed in and clicks "Accept": GETs
        *url* (trusting the test CA), does not follow the redirect itself but
        GETs the ``Location`` (the client's loopback listener), in a thread.
        Returns at once, like ``webbrowser.open``; see ``browser_visits``."""
        self._open(url, "browser")

    def denying_browser(self, url: str) -> None:
        """Like ``browser``, but the person clicks "No": the redirect carries
        ``error=access_denied``."""
        self._open(url, "denying")

    def never_returning_browser(self, url: str) -> None:
        """Records the URL and does nothing (the person closed the tab)."""
        visit = BrowserVisit(url, "never_returning")
        visit.done.set()
        with self._lock:
            self.browser_visits.append(visit)

    def _open(self, url: str, kind: str) -> None:
        visit = BrowserVisit(url, kind)
        with self._lock:
            self.browser_visits.append(visit)
        headers = {TEST_DECISION_HEADER: "deny"} if kind == "denying" else {}
        threading.Thread(
            target=self._visit, args=(visit, headers), name="oauth-browser", daemon=True
        ).start()

    def _visit(self, visit: BrowserVisit, headers: dict[str, str]) -> None:
        try:
            visit.authorization_status, visit.location, _ = self._get(visit.url, headers)
            if visit.authorization_status in (301, 302, 303, 307, 308) and visit.location:
                visit.redirect_status, _, visit.redirect_body = self._get(visit.location, {})
        except Exception as error:
            visit.error = repr(error)
        finally:
            visit.done.set()

    def _get(self, url: str, headers: dict[str, str]) -> tuple[int, str | None, bytes]:
        parts = urllib.parse.urlsplit(url)
        host = parts.hostname or ""
        connection: http.client.HTTPConnection
        if parts.scheme == "https":
            connection = http.client.HTTPSConnection(
                host, parts.port or 443, context=self.ssl_context(), timeout=10
            )
        else:
            connection = http.client.HTTPConnection(host, parts.port or 80, timeout=10)
        try:
            target = parts.path or "/"
            if parts.query:
                target += "?" + parts.query
            connection.request("GET", target, headers=headers)
            response = connection.getresponse()
            return response.status, response.getheader("Location"), response.read()
        finally:
            connection.close()

    # -- request handling (called in the HTTP server's threads)

    def handle(
        self, method: str, path: str, params: dict[str, str] | None, headers: dict[str, str]
    ) -> _Response:
        with self._lock:
            self.requests.append((path, dict(params or {})))
            self.request_headers.append((path, headers))
            failures = self._failures.get(path)
            injected = failures.pop(0) if failures else None
        delay = self.delays.get(path, 0)
        if delay:
            time.sleep(delay)
        if injected is not None:
            return injected
        routes: dict[tuple[str, str], Callable[[dict[str, str], dict[str, str]], _Response]] = {
            ("GET", "/authorize"): self._authorize,
            ("POST", "/token"): self._token,
            ("POST", "/device"): self._device,
            ("POST", "/introspect"): self._introspect,
            ("POST", "/revoke"): self._revoke,
            ("GET", "/devicelogin"): self._device_page,
            ("GET", "/.well-known/openid-configuration"): self._metadata,
            ("GET", "/.well-known/oauth-authorization-server"): self._metadata,
        }
        route = routes.get((method, path))
        if route is None:
            allowed = [m for m, p in routes if p == path]
            if allowed:
                return _Response(405, b"method not allowed", "text/plain", {"Allow": allowed[0]})
            return _Response(404, b"not found", "text/plain")
        if params is None:  # a POST that is not form-encoded
            expected = "expected application/x-www-form-urlencoded"
            return _error(OAuthError("invalid_request", expected))
        if "__repeated__" in params:
            return _error(OAuthError("invalid_request", "a parameter was sent more than once"))
        try:
            with self._lock:
                return route(params, headers)
        except OAuthError as error:
            return _error(error)

    def _authorize(self, query: dict[str, str], headers: dict[str, str]) -> _Response:
        redirect_uri = query.get("redirect_uri", "")
        if not is_loopback_redirect(redirect_uri):
            # RFC 6749 §4.1.2.1: never redirect to an URI we cannot vouch for
            return _Response(
                400,
                b"redirect_uri must be a loopback URI: http://127.0.0.1:PORT/... or http://[::1]:PORT/...",
                "text/plain; charset=utf-8",
            )

        def redirect(**values: str) -> _Response:
            if "state" in query:
                values["state"] = query["state"]
            joiner = "&" if urllib.parse.urlsplit(redirect_uri).query else "?"
            location = redirect_uri + joiner + urllib.parse.urlencode(values)
            return _Response(302, b"", "text/plain", {"Location": location})

        if query.get("client_id") != self.client_id:
            return redirect(error="unauthorized_client", error_description="unknown client_id")
        if query.get("response_type") != "code":
            return redirect(error="unsupported_response_type", error_description="only code")
        if query.get("code_challenge_method") != "S256" or not query.get("code_challenge"):
            return redirect(error="invalid_request", error_description="PKCE with S256 required")
        lowered = {name.lower(): value for name, value in headers.items()}
        if lowered.get(TEST_DECISION_HEADER.lower()) == "deny":
            return redirect(error="access_denied", error_description="the user declined")
        user = self.signed_in_user
        if user not in self.users:
            return redirect(error="access_denied", error_description=f"unknown user {user}")
        grant = Grant(user, self.client_id, query.get("scope", ""), query.get("nonce"))
        code = _random_token(43)
        self._codes[code] = _Code(
            grant, redirect_uri, query["code_challenge"], time.time() + self.code_lifetime
        )
        return redirect(code=code)

    def _client(
        self, form: dict[str, str], headers: dict[str, str], *, secret_needed: bool = True
    ) -> str:
        """The client_id of a /token, /device or /revoke request (form or Basic)."""
        client_id, secret = form.get("client_id"), form.get("client_secret")
        authorization = {n.lower(): v for n, v in headers.items()}.get("authorization", "")
        if authorization.lower().startswith("basic "):
            try:
                decoded = base64.b64decode(authorization[6:]).decode()
            except ValueError:
                raise OAuthError("invalid_client", "bad Basic credentials", 401) from None
            basic_id, _, basic_secret = decoded.partition(":")
            client_id = urllib.parse.unquote_plus(basic_id)
            secret = urllib.parse.unquote_plus(basic_secret)
        if not client_id:
            raise OAuthError("invalid_request", "client_id missing")
        if client_id != self.client_id:
            raise OAuthError("invalid_client", "unknown client_id", 401)
        if secret_needed and self.client_secret is not None and secret != self.client_secret:
            raise OAuthError("invalid_client", "client_secret wrong or missing", 401)
        return client_id

    def _token(self, form: dict[str, str], headers: dict[str, str]) -> _Response:
        grant_type = form.get("grant_type", "")
        self.token_requests_by_grant_type[grant_type] += 1
        client_id = self._client(form, headers)
        if grant_type == "authorization_code":
            grant = self._redeem_code(form, client_id)
        elif grant_type == "refresh_token":
            grant = self._redeem_refresh(form, client_id)
        elif grant_type == DEVICE_GRANT:
            grant = self._redeem_device(form, client_id)
        elif not grant_type:
            raise OAuthError("invalid_request", "grant_type missing")
        else:
            raise OAuthError("unsupported_grant_type", grant_type)
        no_store = {"Cache-Control": "no-store", "Pragma": "no-cache"}
        return _json(200, self._tokens(grant), **no_store)

    def _redeem_code(self, form: dict[str, str], client_id: str) -> Grant:
        for name in ("code", "redirect_uri", "code_verifier"):
            if not form.get(name):
                raise OAuthError("invalid_request", f"{name} missing")
        code = self._codes.get(form["code"])
        if code is None:
            raise OAuthError("invalid_grant", "unknown authorization code")
        if code.used:
            raise OAuthError("invalid_grant", "authorization code already used")
        code.used = True  # one attempt per code, right or wrong (RFC 6749 §4.1.2)
        if time.time() >= code.expires_at:
            raise OAuthError("invalid_grant", "authorization code expired")
        if code.grant.client_id != client_id:
            raise OAuthError("invalid_grant", "code issued to another client")
        if code.redirect_uri != form["redirect_uri"]:
            raise OAuthError("invalid_grant", "redirect_uri differs from the authorization request")
        verifier = form["code_verifier"]
        if not _VERIFIER.fullmatch(verifier) or s256(verifier) != code.challenge:
            raise OAuthError("invalid_grant", "PKCE verification failed")
        return code.grant

    def _redeem_refresh(self, form: dict[str, str], client_id: str) -> Grant:
        value = form.get("refresh_token")
        if not value:
            raise OAuthError("invalid_request", "refresh_token missing")
        token = self._refresh.get(value)
        if token is None:
            raise OAuthError("invalid_grant", "unknown refresh token")
        if token.grant.revoked:
            raise OAuthError("invalid_grant", "the grant was revoked")
        if token.grant.client_id != client_id:
            raise OAuthError("invalid_grant", "refresh token of another client")
        if self.refresh_token_uses is not None and token.uses >= self.refresh_token_uses:
            raise OAuthError("invalid_grant", "refresh token used up")
        requested = form.get("scope")
        if requested and not set(requested.split()) <= set(token.grant.scope.split()):
            raise OAuthError("invalid_scope", "more scope than granted")
        token.uses += 1
        return token.grant

    def _redeem_device(self, form: dict[str, str], client_id: str) -> Grant:
        value = form.get("device_code")
        if not value:
            raise OAuthError("invalid_request", "device_code missing")
        device = self._devices.get(value)
        if device is None or device.client_id != client_id or device.status == "redeemed":
            raise OAuthError("invalid_grant", "unknown or used device code")
        now = time.time()
        if now >= device.expires_at:
            raise OAuthError("expired_token", "the device code expired")
        if device.status == "denied":
            raise OAuthError("access_denied", "the user declined")
        slack = min(0.25, device.interval / 4)  # the client's timer may fire a little early
        too_soon = device.last_poll is not None and now - device.last_poll < device.interval - slack
        device.last_poll = now
        if too_soon:
            device.interval += self.slow_down_increment
            raise OAuthError("slow_down", f"poll at most every {device.interval:g} s")
        if device.status == "pending" or device.user is None:
            raise OAuthError("authorization_pending", "the user has not signed in yet")
        device.status = "redeemed"
        return Grant(device.user, device.client_id, device.scope)

    def _tokens(self, grant: Grant) -> dict[str, Any]:
        now = time.time()
        access = _random_token(self.access_token_length)
        self._access[access] = _AccessToken(grant, now, now + self.access_token_lifetime)
        answer: dict[str, Any] = {
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": int(self.access_token_lifetime),
            "scope": grant.scope,
        }
        scopes = grant.scope.split()
        if not self.require_offline_access or "offline_access" in scopes:
            refresh = _random_token(self.refresh_token_length)
            self._refresh[refresh] = _RefreshToken(grant)
            answer["refresh_token"] = refresh
        if self.issue_id_token or (self.issue_id_token is None and "openid" in scopes):
            answer["id_token"] = self.id_token(grant.user, grant.client_id, grant.nonce)
        self.issued.append(answer)
        return answer

    def id_token(self, user: str, client_id: str | None = None, nonce: str | None = None) -> str:
        """An UNSIGNED JWT (``alg: none``) with who signed in."""
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.base_url,
            "sub": self._subject(user),
            "aud": client_id or self.client_id,
            "iat": now,
            "nbf": now,
            "exp": now + 3600,
            "preferred_username": user,
            "email": user if "@" in user else f"{user}@{self.email_domain}",
            "name": self.users.get(user, user),
        }
        if nonce:
            claims["nonce"] = nonce
        header = {"alg": "none", "typ": "JWT"}
        return ".".join(_b64url(json.dumps(part).encode()) for part in (header, claims)) + "."

    def _subject(self, user: str) -> str:
        return hashlib.sha256(user.encode()).hexdigest()[:32]

    def _device(self, form: dict[str, str], headers: dict[str, str]) -> _Response:
        client_id = self._client(form, headers, secret_needed=False)
        device_code = _random_token(43)
        while True:
            letters = "".join(secrets.choice(_USER_CODE_LETTERS) for _ in range(8))
            user_code = f"{letters[:4]}-{letters[4:]}"
            if all(d.user_code != user_code for d in self._devices.values()):
                break
        self._devices[device_code] = _DeviceAuthorization(
            device_code,
            user_code,
            client_id,
            form.get("scope", ""),
            time.time() + self.device_code_lifetime,
            self.device_interval,
        )
        uri = self.verification_url
        return _json(
            200,
            {
                "device_code": device_code,
                "user_code": user_code,
                "verification_uri": uri,
                "verification_uri_complete": f"{uri}?user_code={user_code}",
                "expires_in": int(self.device_code_lifetime),
                "interval": self.device_interval,
                "message": f"To sign in, open {uri} and enter the code {user_code}.",
            },
            **{"Cache-Control": "no-store"},
        )

    def _decide_device(
        self, user_code: str | None, status: str, user: str | None, timeout: float
    ) -> str:
        if user is not None and user not in self.users:
            raise KeyError(f"unknown user {user!r}")
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                pending = [
                    d
                    for d in self._devices.values()
                    if d.status == "pending"
                    and (user_code is None or _normal(d.user_code) == _normal(user_code))
                ]
                if pending:
                    device = pending[-1]
                    device.status, device.user = status, user
                    return device.user_code
            if time.monotonic() >= deadline:
                raise KeyError(f"no pending device authorization {user_code or ''}".strip())
            time.sleep(0.02)

    def _device_page(self, query: dict[str, str], headers: dict[str, str]) -> _Response:
        page = "<!doctype html><title>Device sign-in</title><p>Enter the code.</p>"
        return _Response(200, page.encode(), "text/html; charset=utf-8")

    def _introspect(self, form: dict[str, str], headers: dict[str, str]) -> _Response:
        if "token" not in form:
            raise OAuthError("invalid_request", "token missing")
        return _json(200, self.introspect(form["token"]))

    def _revoke(self, form: dict[str, str], headers: dict[str, str]) -> _Response:
        client_id = self._client(form, headers)
        value = form.get("token")
        if not value:
            raise OAuthError("invalid_request", "token missing")
        refresh = self._refresh.get(value)
        access = self._access.get(value)
        if refresh is not None and refresh.grant.client_id == client_id:
            refresh.grant.revoked = True  # RFC 7009 §2.1: the whole grant
        elif access is not None and access.grant.client_id == client_id:
            access.expires_at = min(access.expires_at, time.time() - 1)
        # RFC 7009 §2.2: 200 also for unknown tokens
        return _Response(200, b"", "text/plain")

    def _metadata(self, query: dict[str, str], headers: dict[str, str]) -> _Response:
        return _json(
            200,
            {
                "issuer": self.base_url,
                "authorization_endpoint": self.authorization_url,
                "token_endpoint": self.token_url,
                "device_authorization_endpoint": self.device_authorization_url,
                "introspection_endpoint": self.introspection_url,
                "revocation_endpoint": self.revocation_url,
                "response_types_supported": ["code"],
                "grant_types_supported": ["authorization_code", "refresh_token", DEVICE_GRANT],
                "code_challenge_methods_supported": ["S256"],
                "token_endpoint_auth_methods_supported": (
                    ["none"]
                    if self.client_secret is None
                    else ["client_secret_post", "client_secret_basic"]
                ),
                "scopes_supported": ["openid", "email", "profile", "offline_access"],
                "id_token_signing_alg_values_supported": ["none"],
            },
        )

    def _grants(self) -> list[Grant]:
        holders: list[_AccessToken | _RefreshToken | _Code] = [
            *self._access.values(),
            *self._refresh.values(),
            *self._codes.values(),
        ]
        return list({id(holder.grant): holder.grant for holder in holders}.values())


def _normal(user_code: str) -> str:
    return user_code.replace("-", "").replace(" ", "").upper()
