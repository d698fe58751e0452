"""The OAuth2 flows: sign in (authorization code with PKCE through the
system browser and a loopback redirect, or the device code) and refresh.
Every wait is bounded and can be cancelled."""

from __future__ import annotations

import html
import http.server
import re
import ssl
import threading
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

from ..model.core import oauth2_endpoints
from ..net.report import NetError
from ..net.transport import CancelToken
from .grant import Grant

TIMEOUT = 300.0
"""How long a sign-in waits for the browser (or the device code) by default."""
HTTP_TIMEOUT = 30.0

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


def _client(settings: dict[str, Any], redirect_uri: str | None = None) -> Any:
    from authlib.integrations.httpx_client import OAuth2Client

    endpoints = oauth2_endpoints(settings)
    return OAuth2Client(
        client_id=settings.get("client_id") or None,
        scope=" ".join(endpoints["scopes"]),
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
        token_endpoint_auth_method="none",  # a desktop program keeps no client secret
        verify=ssl.create_default_context(),
        timeout=HTTP_TIMEOUT,
    )


def sign_in(
    settings: dict[str, Any],
    open_browser: Callable[[str], object],
    username: str,
    *,
    timeout: float = TIMEOUT,
    cancel: CancelToken | None = None,
) -> Grant:
    """Authorization code with PKCE: *open_browser* gets the authorization
    URL; the provider redirects the browser to a listener on 127.0.0.1."""
    from authlib.common.security import generate_token

    cancel = cancel or CancelToken()
    endpoints = oauth2_endpoints(settings)
    with _Loopback() as loopback, _client(settings, loopback.redirect_uri) as client:
        verifier = generate_token(64)
        url, state = client.create_authorization_url(
            endpoints["authorization_url"], code_verifier=verifier, login_hint=username or None
        )
        open_browser(url)
        reply = loopback.wait(timeout, cancel)
        query = parse_qs(urlsplit(reply).query)
        if query.get("state", [""])[0] != state:
            raise SignInFailed("the answer does not belong to this sign-in (state)")
        if "error" in query:
            raise SignInFailed(" ".join(query["error"] + query.get("error_description", [])))
        try:
            token = client.fetch_token(
                endpoints["token_url"],
                authorization_response=reply,
                code_verifier=verifier,
            )
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
) -> Grant:
    """The device code: *show_code* gets the verification URL and the code
    the user enters there, on any device with a browser."""
    import httpx2

    cancel = cancel or CancelToken()
    endpoints = oauth2_endpoints(settings)
    if not endpoints["device_authorization_url"]:
        raise SignInFailed("this provider offers no device code")
    with httpx2.Client(verify=ssl.create_default_context(), timeout=HTTP_TIMEOUT) as http:
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
    except Exception as exc:
        raise _failure(exc) from None
    try:
        body = answer.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise SignInFailed(f"the provider answered HTTP {answer.status_code} without a JSON object")
    return int(answer.status_code), body


def refresh(settings: dict[str, Any], grant: Grant) -> Grant:
    """A new access token for *grant*; ``oauth2_signin_required`` when the
    provider no longer honours it (revoked, expired, password changed)."""
    endpoints = oauth2_endpoints(settings)
    with _client(settings) as client:
        try:
            token = client.refresh_token(
                endpoints["token_url"],
                refresh_token=grant.refresh_token,
            )
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


class _Loopback:
    """A one-shot listener on 127.0.0.1 for the provider's redirect, with a
    page that says the browser may be closed."""

    def __init__(self) -> None:
        received: list[str] = []
        arrived = threading.Event()

        class Handler(http.server.BaseHTTPRequestHandler):
            server: http.server.HTTPServer

            def do_GET(self) -> None:
                query = parse_qs(urlsplit(self.path).query)
                if "code" not in query and "error" not in query:
                    self.send_error(404)
                    return
                failed = "error" in query
                page = _DONE_PAGE.format(
                    title="Sign-in failed" if failed else "Signed in",
                    text=html.escape(query.get("error", [""])[0])
                    if failed
                    else "You can close this window and return to mailaccounts.",
                    title_de="Anmeldung fehlgeschlagen." if failed else "Angemeldet.",
                    text_de="" if failed else "Sie können dieses Fenster schließen.",
                ).encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(page)))
                self.end_headers()
                self.wfile.write(page)
                received.append(f"http://127.0.0.1:{self.server.server_port}{self.path}")
                arrived.set()

            def log_message(self, *args: Any) -> None:
                """Requests carry the authorization code: never logged."""

        self._server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        self._received = received
        self._arrived = arrived
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def redirect_uri(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}/"

    def __enter__(self) -> _Loopback:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def wait(self, timeout: float, cancel: CancelToken) -> str:
        deadline = time.monotonic() + timeout
        while not self._arrived.wait(0.1):
            cancel.check()
            if time.monotonic() > deadline:
                raise SignInFailed(f"the browser did not come back within {timeout:g} s")
        return self._received[0]
