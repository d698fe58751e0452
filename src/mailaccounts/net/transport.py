"""Sockets with timeouts, cancellation and precise errors.

Cancel works from any thread: it shuts the registered sockets down, which
wakes a blocked recv at once; name resolution runs on its own thread so a
slow resolver cannot hold the cancel up either.
"""

from __future__ import annotations

import contextlib
import queue
import re
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

from .report import NetError, server_text

_UNSAFE = re.compile("[\r\n\0]")


def refuse_unsafe(value: str, field: str) -> None:
    """CR, LF or NUL in a value would end its command line early and smuggle
    in commands of its own (``PASS pw\\r\\nDELE 1``): such a value is never
    sent. The problem names the field, never the value (it may be a secret)."""
    if _UNSAFE.search(value):
        raise NetError("unsafe_value", field=field)


class CancelToken:
    def __init__(self) -> None:
        self._event = threading.Event()
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def cancel(self) -> None:
        self._event.set()
        with self._lock:
            for sock in self._sockets:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def register(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
        if self.cancelled:
            self.cancel()

    def check(self) -> None:
        if self.cancelled:
            raise NetError("cancelled")


def resolve(host: str, port: int, timeout: float, cancel: CancelToken) -> list[Any]:
    results: queue.Queue[Any] = queue.Queue()

    def lookup() -> None:
        try:
            results.put(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except OSError as exc:
            results.put(exc)

    threading.Thread(target=lookup, name="resolve", daemon=True).start()
    deadline = time.monotonic() + timeout
    while True:
        cancel.check()
        try:
            found = results.get(timeout=0.1)
            break
        except queue.Empty:
            if time.monotonic() > deadline:
                raise NetError("timed_out", host=host, port=port, seconds=timeout) from None
    if isinstance(found, OSError):
        raise NetError("dns_not_found", host=host)
    return list(found)


def connect(host: str, port: int, timeout: float, cancel: CancelToken) -> socket.socket:
    literal = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    addresses = resolve(literal, port, timeout, cancel)
    last: NetError | None = None
    for family, kind, proto, _, address in addresses:
        sock = socket.socket(family, kind, proto)
        cancel.register(sock)
        sock.settimeout(timeout)
        try:
            sock.connect(address)
            return sock
        except ConnectionRefusedError:
            last = NetError("connection_refused", host=host, port=port)
        except TimeoutError:
            last = NetError("timed_out", host=host, port=port, seconds=timeout)
        except OSError as exc:
            last = NetError("connection_failed", host=host, port=port, reason=exc.strerror or "")
        sock.close()
        cancel.check()
    raise last or NetError("dns_not_found", host=host)


def timed(
    call: Callable[[], Any], host: str, port: int, timeout: float, cancel: CancelToken
) -> Any:
    """Run a blocking socket call; map its failures to NetErrors."""
    try:
        return call()
    except TimeoutError:
        cancel.check()
        raise NetError("timed_out", host=host, port=port, seconds=timeout) from None
    except OSError as exc:  # ssl.SSLError too: junk where a TLS record belongs
        cancel.check()
        reason = server_text(exc.strerror or type(exc).__name__, 200)
        raise NetError("connection_lost", host=host, port=port, reason=reason) from None


class LineChannel:
    """A line-based protocol conversation (POP3) over a socket."""

    def __init__(
        self, sock: socket.socket, host: str, port: int, timeout: float, cancel: CancelToken
    ) -> None:
        self.sock = sock
        self.host, self.port, self.timeout, self.cancel = host, port, timeout, cancel
        self._buffer = b""

    def _wrap(self, call: Callable[[], Any]) -> Any:
        return timed(call, self.host, self.port, self.timeout, self.cancel)

    def readline(self) -> str:
        while b"\n" not in self._buffer:
            chunk = self._wrap(lambda: self.sock.recv(4096))
            if not chunk:
                self.cancel.check()
                raise NetError("connection_lost", host=self.host, port=self.port, reason="closed")
            self._buffer += chunk
            if len(self._buffer) > 65536:
                raise NetError("protocol_error", text="line too long")
        line, _, self._buffer = self._buffer.partition(b"\n")
        return line.rstrip(b"\r").decode("utf-8", "replace")

    def send(self, line: str, field: str = "command") -> None:
        """Send one command line; *field* names the value it carries, for
        the problem if that value holds a line break or NUL."""
        refuse_unsafe(line, field)
        data = line.encode("utf-8") + b"\r\n"
        self._wrap(lambda: self.sock.sendall(data))

    def replace_socket(self, sock: socket.socket) -> None:
        self.sock = sock
        self._buffer = b""
