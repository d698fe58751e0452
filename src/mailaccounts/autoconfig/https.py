"""Fetching a configuration file over HTTPS: the name resolved through the
lookup's resolver, the connection made to that address, the certificate
verified for the name. At most 1 MiB, at most 5 redirects, within the
request's time; nothing is sent but a GET without cookies or credentials.

Plain http is followed (an ISPDB given as an http URL, a redirect from
https to http), but the result says so: whatever came over it, anyone on
the way could have changed."""

from __future__ import annotations

import http.client
import socket
import time
from dataclasses import dataclass
from urllib.parse import SplitResult, urljoin, urlsplit

from ..net.report import NetError, server_text
from ..net.transport import wire_name
from .connect import Scope, Watchdog, open_socket, secure

MAX_BYTES = 1024 * 1024
"""Real configuration files are a few KiB; Thunderbird's largest is 20."""
MAX_REDIRECTS = 5
_REDIRECTS = (301, 302, 303, 307, 308)
USER_AGENT = "mailaccounts-autoconfig/1"


@dataclass(frozen=True)
class Fetched:
    body: bytes
    url: str
    """The URL the body came from, after redirects."""
    insecure_url: str | None
    """The first plain-http URL on the way, if any."""


def fetch(url: str, scope: Scope, seconds: float) -> Fetched:
    """GET *url*, following redirects, within *seconds* (and the scope).
    Raises NetError with the reason."""
    ends = time.monotonic() + scope.budget(seconds)
    insecure: str | None = None
    for _ in range(MAX_REDIRECTS + 1):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise NetError("autoconfig_bad_url", url=server_text(url, 200))
        if parts.scheme == "http" and insecure is None:
            insecure = url
        status, location, body = _get(parts, scope, ends, seconds)
        if status in _REDIRECTS and location:
            url = urljoin(url, location.strip())
            continue
        if status != 200:
            raise NetError("autoconfig_http_status", status=status)
        return Fetched(body, url, insecure)
    raise NetError("autoconfig_redirects", count=MAX_REDIRECTS)


def _get(
    parts: SplitResult, scope: Scope, ends: float, seconds: float
) -> tuple[int, str | None, bytes]:
    host = parts.hostname or ""
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise NetError("autoconfig_bad_url", url=server_text(parts.geturl(), 200)) from None
    limit = f"{seconds:g}"
    sock = open_socket(host, port, scope, ends)
    try:
        sock = secure(sock, host, scope, ends, parts.scheme == "https", seconds)
        with Watchdog(sock, ends) as dog:
            try:
                answer = _exchange(sock, host, port, parts, ends)
                scope.stop.check()  # a body cut short by the end of the lookup
                if dog.fired:  # or by the request's time
                    raise NetError("timed_out", host=host, seconds=limit)
                return answer
            except NetError as exc:
                if dog.fired and exc.problem.code != "cancelled":
                    raise NetError("timed_out", host=host, seconds=limit) from None
                raise
            except (OSError, http.client.HTTPException) as exc:
                scope.stop.check()
                if dog.fired or isinstance(exc, TimeoutError):
                    raise NetError("timed_out", host=host, seconds=limit) from None
                if isinstance(exc, OSError):
                    reason = server_text(exc.strerror or type(exc).__name__, 200)
                    raise NetError("connection_lost", host=host, reason=reason) from None
                raise NetError(
                    "protocol_error", text=server_text(f"HTTP: {type(exc).__name__} {exc}", 200)
                ) from None
    finally:
        sock.close()


def _exchange(
    sock: socket.socket, host: str, port: int, parts: SplitResult, ends: float
) -> tuple[int, str | None, bytes]:
    sock.settimeout(max(0.01, ends - time.monotonic()))
    connection = http.client.HTTPConnection(wire_name(host), port)
    connection.sock = sock  # connected to the address our resolver gave
    try:
        return _read_response(connection, parts)
    finally:
        connection.close()  # the response's file too, so the socket really closes


def _read_response(
    connection: http.client.HTTPConnection, parts: SplitResult
) -> tuple[int, str | None, bytes]:
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection.request(
        "GET",
        target,
        headers={
            "User-Agent": USER_AGENT,
            "Accept": "application/xml, text/xml;q=0.9, */*;q=0.1",
            "Connection": "close",
        },
    )
    with connection.getresponse() as response:
        if response.status in _REDIRECTS:
            return response.status, response.getheader("Location"), b""
        if response.status != 200:
            return response.status, None, b""
        length = response.getheader("Content-Length", "")
        if length.strip().isdigit() and int(length) > MAX_BYTES:
            raise NetError("autoconfig_too_large", limit=MAX_BYTES)
        chunks: list[bytes] = []
        total = 0
        while chunk := response.read(65536):
            chunks.append(chunk)
            total += len(chunk)
            if total > MAX_BYTES:
                raise NetError("autoconfig_too_large", limit=MAX_BYTES)
        if response.length:  # http.client returns a body shorter than announced
            raise NetError("connection_lost", host=parts.hostname, reason="the body ended early")
        return 200, None, b"".join(chunks)
