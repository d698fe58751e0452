"""The OAuth2 flows: sign in (authorization code with PKCE through the
system browser and a loopback redirect, or the device code) and refresh.
Every wait is bounded and can be cancelled."""

from __future__ import annotations

import contextlib
import hmac
import html
import http.server
import re
import socket
import threading
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

from ..model.core import oauth2_endpoints
from ..model.messages import describe
from ..model.problems import Problem
from ..model.secret import Secret
from ..net.report import NetError
from ..net.transport import CancelToken
from .grant import Grant

TIMEOUT = 300.0
"""How long a sign-in waits for the browser (or the device code) by default."""
HTTP_TIMEOUT = 30.0
"""How long one request to the provider may take, its whole answer included
(``http.DEADLINE``)."""
REQUEST_DEADLINE = 5.0
"""How long the loopback listener waits for one request's line and headers:
a local process sending half a request holds only its own connection."""

_DONE_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>mailaccounts</title></head>
<body style="font-family: sans-serif; margin: 3em">
<h1>{title}</h1><p>{text}</p>
<p lang="de">{title_de} {text_de}</p>
</body></html>
"""


class SignInFailed(NetError):
    """``oauth2_failed`` with the provider's reason (never a token)."""

    def __init__(self, reason: str) -> None:
        super().__init__("oauth2_failed", reason=reason[:200])


def _client(
    settings: dict[str, Any],
    client_secret: Secret | None,
    cancel: CancelToken | None,
    seconds: float,
    redirect_uri: str | None = None,
) -> Any:
    """Authlib's client over the bounded transport. A client secret (Google
    gives desktop apps one) goes in the token request's form
    (``client_secret_post``); without one the client is public."""
    from authlib.integrations.httpx_client import OAuth2Client

    from .provider_http import client_options

    endpoints = oauth2_endpoints(settings)
    secret = client_secret.reveal() if client_secret is not None else ""
    return OAuth2Client(
        client_id=settings.get("client_id") or None,
        client_secret=secret or None,
        scope=" ".join(endpoints["scopes"]),
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
        token_endpoint_auth_method="client_secret_post" if secret else "none",
        **client_options(cancel, seconds),
    )


def sign_in(
    settings: dict[str, Any],
    open_browser: Callable[[str], object],
    username: str,
    *,
    timeout: float = TIMEOUT,
    cancel: CancelToken | None = None,
    client_secret: Secret | None = None,
    http_timeout: float = HTTP_TIMEOUT,
) -> Grant:
    """Authorization code with PKCE: *open_browser* gets the authorization
    URL; the provider redirects the browser to a listener on 127.0.0.1,
    which answers the browser with what came of it."""
    from authlib.common.security import generate_token

    cancel = cancel or CancelToken()
    endpoints = oauth2_endpoints(settings)
    with _Loopback(decision_wait=http_timeout + REQUEST_DEADLINE) as loopback:
        redirect_uri = loopback.redirect_uri
        with _client(settings, client_secret, cancel, http_timeout, redirect_uri) as client:
            verifier = generate_token(64)
            url, state = client.create_authorization_url(
                endpoints["authorization_url"], code_verifier=verifier, login_hint=username or None
            )
            loopback.expect(state)
            open_browser(url)
            reply = loopback.wait(timeout, cancel)
            try:
                grant = _redeem(client, endpoints["token_url"], reply, verifier, username)
            except NetError as exc:
                loopback.decide(exc)
                raise
        loopback.decide(None)
    return grant


def _redeem(client: Any, token_url: str, reply: str, verifier: str, username: str) -> Grant:
    """The redirect's code for tokens (the listener checked its state)."""
    query = parse_qs(urlsplit(reply).query)
    if "error" in query:
        raise SignInFailed(" ".join(query["error"] + query.get("error_description", [])))
    try:
        token = client.fetch_token(token_url, authorization_response=reply, code_verifier=verifier)
    except NetError:
        raise
    except Exception as exc:
        raise _failure(exc) from None
    return Grant.from_token_response(dict(token), username)


def device_sign_in(
    settings: dict[str, Any],
    show_code: Callable[[str, str], object],
    username: str,
    *,
    timeout: float = TIMEOUT,
    cancel: CancelToken | None = None,
    client_secret: Secret | None = None,
    http_timeout: float = HTTP_TIMEOUT,
) -> Grant:
    """The device code: *show_code* gets the verification URL and the code
    the user enters there, on any device with a browser. A client secret
    goes to the token endpoint only, as in the other grants."""
    import httpx2

    from .provider_http import client_options

    cancel = cancel or CancelToken()
    endpoints = oauth2_endpoints(settings)
    if not endpoints["device_authorization_url"]:
        raise SignInFailed("this provider offers no device code")
    secret = {"client_secret": client_secret.reveal()} if client_secret is not None else {}
    with httpx2.Client(**client_options(cancel, http_timeout)) as http:
        form = {"client_id": settings.get("client_id"), "scope": " ".join(endpoints["scopes"])}
        status, device = _post_form(http, endpoints["device_authorization_url"], form)
        if status != 200 or "device_code" not in device:
            why = device.get("error_description") or device.get("error") or status
            raise SignInFailed(str(why))
        show_code(
            str(device.get("verification_uri_complete") or device.get("verification_uri", "")),
            str(device.get("user_code", "")),
        )
        interval = float(device.get("interval") or 5)
        deadline = time.monotonic() + min(timeout, float(device.get("expires_in") or timeout))
        while time.monotonic() < deadline:
            if cancel.wait(interval):
                raise NetError("cancelled")
            _, token = _post_form(
                http,
                endpoints["token_url"],
                {
                    "grant_type": "urn:ietf:params:oauth:grant-type:device_code",
                    "device_code": device["device_code"],
                    "client_id": settings.get("client_id"),
                    **secret,
                },
            )
            error = token.get("error")
            if error == "authorization_pending":
                continue
            if error == "slow_down":
                interval += 5
                continue
            if error:
                raise SignInFailed(f"{error} {token.get('error_description', '')}".strip())
            return Grant.from_token_response(token, username)
    raise SignInFailed("nobody entered the code in time")


def _post_form(http: Any, url: str, form: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """POST *form*; the status and the JSON object answered. Anything else
    (no connection, not JSON) is ``oauth2_failed``, as every step of a flow."""
    try:
        answer = http.post(url, data=form)
    except NetError:
        raise
    except Exception as exc:
        raise _failure(exc) from None
    try:
        body = answer.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise SignInFailed(f"the provider answered HTTP {answer.status_code} without a JSON object")
    return int(answer.status_code), body


def refresh(
    settings: dict[str, Any],
    grant: Grant,
    *,
    cancel: CancelToken | None = None,
    client_secret: Secret | None = None,
    http_timeout: float = HTTP_TIMEOUT,
) -> Grant:
    """A new access token for *grant*; ``oauth2_signin_required`` when the
    provider no longer honours it (revoked, expired, password changed).
    Within *http_timeout* seconds; *cancel* ends it at once."""
    endpoints = oauth2_endpoints(settings)
    with _client(settings, client_secret, cancel, http_timeout) as client:
        try:
            token = client.refresh_token(
                endpoints["token_url"],
                refresh_token=grant.refresh_token,
            )
        except NetError:
            raise
        except Exception as exc:
            failure = _failure(exc)
            if "invalid_grant" in str(failure.problem.params.get("reason", "")):
                raise NetError("oauth2_signin_required") from None
            raise failure from None
    return Grant.from_token_response(dict(token), grant.user, grant)


def _failure(exc: Exception) -> NetError:
    """The provider's error code and description, or what went wrong on the
    way (``ConnectError: [Errno 111] Connection refused``, a certificate
    that does not verify); never the request (it may hold a code or a
    token), so addresses lose their query."""
    error = getattr(exc, "error", None)
    if error:
        description = getattr(exc, "description", "") or ""
        return SignInFailed(f"{error} {description}".strip())
    detail = _QUERY.sub("?…", " ".join(str(exc).split()))
    return SignInFailed(f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__)


_QUERY = re.compile(r"\?[^\s'\"]*")


class _Server(http.server.ThreadingHTTPServer):
    """A thread per connection (one that sends half a request holds only
    its own), none waited for at close."""

    block_on_close = False


_PAGES = {
    "signed_in": (
        "Signed in",
        "You can close this window and return to mailaccounts.",
        "Angemeldet.",
        "Sie können dieses Fenster schließen.",
    ),
    "failed": (
        "Sign-in failed",
        "",
        "Anmeldung fehlgeschlagen.",
        "Der Grund steht auch in mailaccounts.",
    ),
    "foreign": (
        "Not this sign-in",
        "This answer does not belong to the sign-in mailaccounts is waiting for; it was ignored.",
        "Nicht diese Anmeldung.",
        "Diese Antwort gehört nicht zu der Anmeldung, auf die mailaccounts wartet; sie wurde"
        " nicht verwendet.",
    ),
}


def _page(kind: str, reason: str = "") -> bytes:
    title, text, title_de, text_de = _PAGES[kind]
    return _DONE_PAGE.format(
        title=title,
        text=html.escape(reason or text),
        title_de=title_de,
        text_de=text_de,
    ).encode()


class _Loopback:
    """The listener on 127.0.0.1 for the provider's redirect. Only a request
    with this sign-in's ``state`` counts (any other is answered and ignored,
    and the listener goes on waiting); its browser is answered once the
    program has decided — signed in, or failed and why."""

    def __init__(self, decision_wait: float = HTTP_TIMEOUT + REQUEST_DEADLINE) -> None:
        self._state: str | None = None
        self._received: list[str] = []
        self._arrived = threading.Event()
        self._decided = threading.Event()
        self._answered = threading.Event()
        self._outcome: NetError | None = None
        self._lock = threading.Lock()
        loopback = self

        class Handler(http.server.BaseHTTPRequestHandler):
            server: http.server.HTTPServer
            timeout = REQUEST_DEADLINE  # each read; the timer below bounds them all

            def setup(self) -> None:
                super().setup()
                self._cut = threading.Timer(REQUEST_DEADLINE, self._hang_up)
                self._cut.daemon = True
                self._cut.start()

            def _hang_up(self) -> None:
                with contextlib.suppress(OSError):
                    self.connection.shutdown(socket.SHUT_RDWR)

            def finish(self) -> None:
                self._cut.cancel()
                super().finish()

            def do_GET(self) -> None:
                self._cut.cancel()  # the request is in; the answer may take a while
                query = parse_qs(urlsplit(self.path).query)
                if "code" not in query and "error" not in query:
                    self.send_error(404)
                    return
                url = f"http://127.0.0.1:{self.server.server_port}{self.path}"
                if not loopback._take(query.get("state", [""])[0], url):
                    self._answer(400, _page("foreign"))
                    return
                try:
                    loopback._decided.wait(decision_wait)
                    self._answer(200, loopback._verdict())
                finally:
                    loopback._answered.set()

            def _answer(self, status: int, page: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(page)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(page)

            def log_message(self, *args: Any) -> None:
                """Requests carry the authorization code: never logged."""

        self._server = _Server(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def redirect_uri(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}/"

    def expect(self, state: str) -> None:
        """The ``state`` of the authorization request just made."""
        self._state = state

    def _take(self, state: str, url: str) -> bool:
        """Whether a redirect is the awaited one: this sign-in's state, and
        the first such."""
        with self._lock:
            expected = self._state
            if expected is None or self._arrived.is_set():
                return False
            if not hmac.compare_digest(state.encode(), expected.encode()):
                return False
            self._received.append(url)
            self._arrived.set()
            return True

    def _verdict(self) -> bytes:
        """The page for the awaited redirect's browser."""
        if not self._decided.is_set():
            return _page(
                "failed",
                describe(Problem("oauth2_failed", params={"reason": "no decision in time"})),
            )
        if self._outcome is None:
            return _page("signed_in")
        return _page("failed", describe(self._outcome.problem))

    def decide(self, outcome: NetError | None) -> None:
        """What the browser is told: None, signed in; else why not."""
        if not self._decided.is_set():
            self._outcome = outcome
            self._decided.set()

    def __enter__(self) -> _Loopback:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.decide(NetError("cancelled"))  # unless decided: the sign-in stopped
        if self._arrived.is_set():
            self._answered.wait(1.0)  # the page is on its way before the process may end
        self._server.shutdown()
        self._server.server_close()

    def wait(self, timeout: float, cancel: CancelToken) -> str:
        deadline = time.monotonic() + timeout
        while not self._arrived.wait(0.1):
            cancel.check()
            if time.monotonic() > deadline:
                raise SignInFailed(f"the browser did not come back within {timeout:g} s")
        return self._received[0]
