"""Connections of the lookup: names resolved through the lookup's resolver
(``MAILACCOUNTS_DNS`` included), every socket bounded in time and shut down
at once when the lookup is cancelled or its time is over."""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import threading
import time
from dataclasses import dataclass

from ..net.report import NetError
from ..net.tls import handshake
from ..net.transport import CancelToken, connect_failure, wire_name
from .resolver import Resolver


@dataclass
class Scope:
    """One phase of a lookup: its resolver, its end (monotonic seconds) and
    the token that shuts its sockets down."""

    resolver: Resolver
    ends: float
    stop: CancelToken

    def left(self, limit: float | None = None) -> float:
        """Seconds until the phase ends, or *limit* if that comes first."""
        left = self.ends - time.monotonic()
        return max(0.0, left if limit is None else min(left, limit))

    def budget(self, limit: float) -> float:
        """The seconds a request may take: its *limit*, but never much past
        the phase's end — where the lookup stops it (and says so) first."""
        return max(0.0, min(limit, self.ends + GRACE - time.monotonic()))


GRACE = 0.5
"""How long past the phase's end a request's own timeout would fire: the
lookup stops every request at its end, so a request's timeout reports only
a limit that really was shorter than the lookup's."""


def is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def open_socket(host: str, port: int, scope: Scope, ends: float) -> socket.socket:
    """A TCP connection to *host* (a name, IDN allowed, or an IP literal)
    before monotonic time *ends*. NetError: dns_not_found, timed_out,
    connection_refused, connection_failed, cancelled.

    The socket is not registered with the scope's stop token: the caller
    registers it once it is plain for good, or wrapped in TLS (``handshake``
    registers that). Shut down while ``wrap_socket`` takes it over, it would
    leave an unclosed SSLSocket behind (CPython's ``SSLSocket._create``
    raises after taking the file descriptor)."""
    name = wire_name(host)
    seconds = max(0.0, ends - time.monotonic())
    addresses = [name] if is_ip(name) else scope.resolver.addresses(name, seconds)
    last: NetError | None = None
    for address in addresses:
        scope.stop.check()
        left = ends - time.monotonic()
        if left <= 0:
            break
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.settimeout(left)
        try:
            sock.connect((address, port))
            return sock
        except OSError as exc:
            timed_out = NetError("timed_out", host=host, seconds=_seconds(seconds))
            last = connect_failure(exc, host, port, timed_out)
        sock.close()
    scope.stop.check()
    raise last or NetError("timed_out", host=host, seconds=_seconds(seconds))


def secure(
    sock: socket.socket, host: str, scope: Scope, ends: float, tls: bool, seconds: float
) -> socket.socket:
    """*sock* wrapped in TLS (the certificate verified for *host*) when *tls*,
    else as it is; either way registered with the scope's stop token, so the
    end of the phase wakes whatever waits on it."""
    scope.stop.check()
    if not tls:
        scope.stop.register(sock)
        return sock
    sock.settimeout(max(0.01, ends - time.monotonic()))
    return handshake(sock, host, None, seconds, scope.stop)


def _seconds(value: float) -> str:
    return f"{value:.3g}"


class Watchdog:
    """Shuts *sock* down at *ends*: a server that trickles a byte at a time
    never lets a single read time out, but cannot keep the lookup past its
    time either. ``fired`` tells whether it did."""

    def __init__(self, sock: socket.socket, ends: float) -> None:
        self.fired = False
        self._sock = sock
        self._timer = threading.Timer(max(0.0, ends - time.monotonic()), self._fire)
        self._timer.daemon = True

    def _fire(self) -> None:
        self.fired = True
        with contextlib.suppress(OSError):
            self._sock.shutdown(socket.SHUT_RDWR)

    def __enter__(self) -> Watchdog:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()
