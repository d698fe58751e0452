"""HTTP to the provider's endpoints, bounded: each request's whole answer
within a total deadline (not per read) and at most ``MAX_ANSWER`` bytes,
and a cancel that ends it at once. See docs/architecture.md, "OAuth2".

A transport around httpx2's own: httpcore's ``trace`` extension hands over
each new connection's socket, which a timer (the deadline) or the cancel
token shuts down — a read waiting for a server that drips a byte every few
seconds ends then, whatever the per-read timeout. Connections are not kept
alive, so every request opens (and guards) its own."""

from __future__ import annotations

import contextlib
import socket
import ssl
import threading
from collections.abc import Iterator
from typing import Any

import httpx2

from ..net.report import NetError
from ..net.transport import CancelToken

DEADLINE = 30.0
"""Seconds one request to the provider may take, its whole answer included."""
MAX_ANSWER = 1024 * 1024
"""Bytes a provider's answer may have: a token answer is a few KiB."""


def client_options(cancel: CancelToken | None, seconds: float = DEADLINE) -> dict[str, Any]:
    """What an ``httpx2.Client`` (or Authlib's OAuth2Client) is made with:
    the system's trust store and the bounded transport."""
    return {
        "transport": BoundedTransport(cancel or CancelToken(), seconds),
        "timeout": seconds,
        "headers": {"Accept-Encoding": "identity"},
        "follow_redirects": False,
    }


class _Guard:
    """One request's deadline and cancel: shuts down its connection's
    socket when either comes."""

    def __init__(self, host: str, cancel: CancelToken, seconds: float) -> None:
        self.host = host
        self.seconds = seconds
        self.expired = False
        self._cancel = cancel
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._ended = False
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def trace(self, event: str, info: dict[str, Any]) -> None:
        """httpcore's trace extension: a new connection's socket, a copy of
        which this guard owns (the original is wrapped for TLS next)."""
        if not event.endswith("connect_tcp.complete"):
            return
        stream = info.get("return_value")
        sock = stream.get_extra_info("socket") if stream is not None else None
        if not isinstance(sock, socket.socket):
            return
        own = sock.dup()
        with self._lock:
            ended = self._ended
            if not ended:
                self._sockets.append(own)
        if ended:
            own.close()
            return
        self._cancel.register(own)
        if self.expired:
            self._shut()

    def _expire(self) -> None:
        self.expired = True
        self._shut()

    def _shut(self) -> None:
        with self._lock:
            sockets = list(self._sockets)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def check(self) -> None:
        """Raise what ended the request, if the cancel or the deadline did."""
        self._cancel.check()
        if self.expired:
            raise NetError("oauth2_deadline", host=self.host, seconds=f"{self.seconds:g}")

    def end(self) -> None:
        self._timer.cancel()
        with self._lock:
            self._ended = True
            sockets, self._sockets = self._sockets, []
        for sock in sockets:
            self._cancel.forget(sock)
            sock.close()


class _Body(httpx2.SyncByteStream):
    """The answer's body, counted: more than ``MAX_ANSWER`` bytes is refused
    as it arrives (an answer without a length, or with a wrong one)."""

    def __init__(self, inner: httpx2.SyncByteStream, guard: _Guard) -> None:
        self._inner = inner
        self._guard = guard

    def __iter__(self) -> Iterator[bytes]:
        size = 0
        try:
            for chunk in self._inner:
                size += len(chunk)
                if size > MAX_ANSWER:
                    raise _too_large(self._guard.host)
                yield chunk
        except httpx2.HTTPError:
            self._guard.check()
            raise
        self._guard.check()  # a body cut short by the cancel or the deadline

    def close(self) -> None:
        try:
            self._inner.close()
        finally:
            self._guard.end()


class BoundedTransport(httpx2.BaseTransport):
    """httpx2's transport with a guard per request (see the module)."""

    def __init__(self, cancel: CancelToken, seconds: float) -> None:
        self._cancel = cancel
        self._seconds = seconds
        self._inner = httpx2.HTTPTransport(
            verify=ssl.create_default_context(),
            limits=httpx2.Limits(max_keepalive_connections=0),
        )

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        self._cancel.check()
        guard = _Guard(request.url.host, self._cancel, self._seconds)
        request.extensions = {**request.extensions, "trace": guard.trace}
        try:
            response = self._inner.handle_request(request)
        except httpx2.HTTPError:
            guard.end()
            guard.check()
            raise
        except BaseException:
            guard.end()
            raise
        try:
            _check_head(response, guard.host)
        except NetError:
            response.close()
            guard.end()
            raise
        assert isinstance(response.stream, httpx2.SyncByteStream)
        response.stream = _Body(response.stream, guard)
        return response

    def close(self) -> None:
        self._inner.close()


def _check_head(response: httpx2.Response, host: str) -> None:
    """Refuse what the headers already tell: too long, or compressed (a
    small compressed answer can unpack to any size)."""
    length = response.headers.get("Content-Length", "")
    if length.strip().isdigit() and int(length) > MAX_ANSWER:
        raise _too_large(host)
    encoding = response.headers.get("Content-Encoding", "identity").strip().lower()
    if encoding not in ("", "identity"):
        raise NetError("oauth2_failed", reason=f"{host} sent a compressed answer ({encoding[:20]})")


def _too_large(host: str) -> NetError:
    return NetError("oauth2_answer_too_large", host=host, max=MAX_ANSWER // 1024)
