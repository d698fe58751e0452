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
from collections.abc import Callable, Iterator
from typing import Any

from ..model.core import ascii_host
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

    def forget(self, sock: socket.socket) -> None:
        """*sock* is done with: a long-lived token (``serve``'s) does not keep it."""
        with self._lock, contextlib.suppress(ValueError):
            self._sockets.remove(sock)

    def check(self) -> None:
        if self.cancelled:
            raise NetError("cancelled")

    def wait(self, seconds: float) -> bool:
        """Sleep up to *seconds*; True as soon as it is cancelled."""
        return self._event.wait(seconds)


class StepClock:
    """The time limits of a test: no wait longer than *seconds* (a silent
    server), and no step longer than *seconds* either (a server trickling a
    line a second never lets a single wait time out). Restarted by the
    Recorder as each step begins."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.restart()

    def restart(self, deadline: float | None = None) -> None:
        """A new step of at most *deadline* seconds (default: the timeout;
        a long transfer gets more), still never silent longer than the timeout."""
        self._ends = time.monotonic() + (deadline or self.seconds)
        self._heard = False  # the server sent something in this step

    def heard(self) -> None:
        self._heard = True

    def left(self) -> float:
        return self._ends - time.monotonic()

    def wait_limit(self, **where: Any) -> float:
        """The socket timeout for the next wait: the idle timeout, but no
        later than the step's end. *where* (host, port) goes into the problem."""
        left = self.left()
        if left <= 0:
            raise self.expired(**where)
        return min(self.seconds, left)

    def expired(self, **where: Any) -> NetError:
        """The problem for a wait that timed out. Within a step the deadline
        comes first (it began earlier), so: a server that said nothing in the
        step is silent (timed_out), one that did is too slow (step_deadline)."""
        code = "step_deadline" if self._heard else "timed_out"
        return NetError(code, **where, seconds=self.seconds)


def system_lookup(host: str, port: int | None) -> queue.Queue[Any]:
    """Start the system resolver (``getaddrinfo``: /etc/hosts included) on a
    thread of its own, so a slow resolver cannot hold its caller past a
    limit; the queue receives the list of addresses, or the OSError."""
    results: queue.Queue[Any] = queue.Queue()

    def lookup() -> None:
        try:
            results.put(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except OSError as exc:
            results.put(exc)

    threading.Thread(target=lookup, name="resolve", daemon=True).start()
    return results


def resolve(host: str, port: int, clock: StepClock, cancel: CancelToken) -> list[Any]:
    results = system_lookup(host, port)
    while True:
        cancel.check()
        try:
            found = results.get(timeout=0.1)
            break
        except queue.Empty:
            if clock.left() <= 0:
                raise NetError("timed_out", host=host, port=port, seconds=clock.seconds) from None
    if isinstance(found, OSError):
        raise NetError("dns_not_found", host=host)
    return list(found)


def wire_name(host: str) -> str:
    """The name as it goes to DNS and TLS: IPv6 literals without brackets,
    international names in the ASCII form the model validated (IDNA 2008;
    Python's own codec would apply IDNA 2003, which maps "ß" to "ss" and
    so reaches another host)."""
    if host.startswith("[") and host.endswith("]"):
        return host[1:-1]
    return ascii_host(host) or host


def connect(host: str, port: int, clock: StepClock, cancel: CancelToken) -> socket.socket:
    addresses = resolve(wire_name(host), port, clock, cancel)
    last: NetError | None = None
    for family, kind, proto, _, address in addresses:
        limit = clock.wait_limit(host=host, port=port)
        sock = socket.socket(family, kind, proto)
        cancel.register(sock)
        sock.settimeout(limit)
        try:
            sock.connect(address)
            return sock
        except OSError as exc:
            timed_out = NetError("timed_out", host=host, port=port, seconds=clock.seconds)
            last = connect_failure(exc, host, port, timed_out)
        sock.close()
        cancel.check()
    raise last or NetError("dns_not_found", host=host)


def connect_failure(exc: OSError, host: str, port: int, timed_out: NetError) -> NetError:
    """What a failed ``connect()`` to one of *host*'s addresses tells the
    admin; *timed_out* words a timeout the caller's way."""
    if isinstance(exc, ConnectionRefusedError):
        return NetError("connection_refused", host=host, port=port)
    if isinstance(exc, TimeoutError):
        return timed_out
    return NetError("connection_failed", host=host, port=port, reason=exc.strerror or "")


def timed(
    call: Callable[[], Any], host: str, port: int, clock: StepClock, cancel: CancelToken
) -> Any:
    """Run a blocking socket call; map its failures to NetErrors."""
    try:
        return call()
    except TimeoutError:
        cancel.check()
        raise clock.expired(host=host, port=port) from None
    except OSError as exc:  # ssl.SSLError too: junk where a TLS record belongs
        cancel.check()
        reason = server_text(exc.strerror or type(exc).__name__, 200)
        raise NetError("connection_lost", host=host, port=port, reason=reason) from None


# What a server may send at most. Real replies are far smaller: RFC 1939,
# 2449 and 5321 allow 512 octets a line, and a CAPA or EHLO lists some 10 to
# 30 lines. 8 KiB a line is smtplib's own limit and leaves room for a long
# NTLM challenge; 1,000 lines or 64 KiB a reply is some 30 times the largest
# real one, yet an endless reply costs us no more than that (it cost 280 MB).
MAX_LINE_BYTES = 8192
MAX_REPLY_LINES = 1000
MAX_REPLY_BYTES = 65536


def _emit(write: Callable[[bytes], object], block: bytes) -> int:
    if block:
        write(block)
    return len(block)


def _too_long() -> NetError:
    return NetError(
        "reply_too_long", lines=MAX_REPLY_LINES, bytes=MAX_REPLY_BYTES, line_bytes=MAX_LINE_BYTES
    )


class LineChannel:
    """A line-based protocol conversation over a socket: POP3, and the
    replies of SMTP. Every wait is bounded by the clock, every reply by the
    limits above."""

    def __init__(
        self, sock: socket.socket, host: str, port: int, clock: StepClock, cancel: CancelToken
    ) -> None:
        self.sock = sock
        self.host, self.port, self.clock, self.cancel = host, port, clock, cancel
        self._buffer = b""
        self.capabilities: list[str] = []
        """What the server said it can (POP3 CAPA), once logged in."""

    def _wrap(self, call: Callable[[], Any]) -> Any:
        self.sock.settimeout(self.clock.wait_limit(host=self.host, port=self.port))
        return timed(call, self.host, self.port, self.clock, self.cancel)

    def _receive(self, size: int = 4096) -> None:
        chunk = self._wrap(lambda: self.sock.recv(size))
        if not chunk:
            self.cancel.check()
            raise NetError("connection_lost", host=self.host, port=self.port, reason="closed")
        self.clock.heard()
        self._buffer += chunk

    def readline_ended(self) -> tuple[bytes, bool]:
        """The next line without its line end, and whether that end was
        CR LF (RFC 1939's line end; a bare LF ends a line for lenience only)."""
        while (end := self._buffer.find(b"\n")) < 0:
            if len(self._buffer) > MAX_LINE_BYTES:
                raise _too_long()
            self._receive()
        if end > MAX_LINE_BYTES:
            raise _too_long()
        line, self._buffer = self._buffer[:end], self._buffer[end + 1 :]
        if line.endswith(b"\r"):
            return line[:-1], True
        return line, False

    def readline_bytes(self) -> bytes:
        """The next line, without its CR LF."""
        return self.readline_ended()[0].rstrip(b"\r")

    def multiline(self) -> Iterator[bytes]:
        """The lines of a POP3 multi-line reply, dot-stuffing undone, one at
        a time (a bare LF splits a line too). Only CR LF "." CR LF ends it,
        and a "." is unstuffed only after CR LF: a server that dot-stuffs
        CR LF lines only sends a text's LF "." LF as it is."""
        begins = True  # the line begins one of RFC 1939's (after CR LF)
        while True:
            line, crlf = self.readline_ended()
            if begins and crlf and line == b".":
                return
            yield line.removeprefix(b".") if begins else line
            begins = crlf

    def readline(self) -> str:
        return self.readline_bytes().decode("utf-8", "replace")

    def read_reply(self, last: Callable[[bytes], bool]) -> list[bytes]:
        """The lines of a multi-line reply, up to the one *last* accepts."""
        lines: list[bytes] = []
        size = 0
        while not lines or not last(lines[-1]):
            lines.append(self.readline_bytes())
            size += len(lines[-1]) + 2
            if len(lines) > MAX_REPLY_LINES or size > MAX_REPLY_BYTES:
                raise _too_long()
        return lines

    def read_multiline(self) -> list[str]:
        """A POP3 multi-line reply: its lines up to the ".", unstuffed, at most
        the limits of a reply."""
        lines: list[str] = []
        size = 0
        for line in self.multiline():
            lines.append(line.decode("utf-8", "replace"))
            size += len(line) + 2
            if len(lines) > MAX_REPLY_LINES or size > MAX_REPLY_BYTES:
                raise _too_long()
        return lines

    def send(self, line: str, field: str = "command") -> None:
        """Send one command line; *field* names the value it carries, for
        the problem if that value holds a line break or NUL."""
        refuse_unsafe(line, field)
        data = line.encode("utf-8") + b"\r\n"
        self._wrap(lambda: self.sock.sendall(data))

    def read_body(self, write: Callable[[bytes], object], limit: int) -> int:
        """A POP3 multi-line body (RETR) up to its CR LF "." CR LF, handed to
        *write* in pieces of at most a socket read: line ends as LF,
        dot-stuffing undone. A line is what ends in CR LF (RFC 1939): a bare
        LF "." LF in the text is text, and a "." is unstuffed only where such
        a line begins. Memory stays the same whatever the size; more than
        *limit* bytes is ``message_too_large``. Returns the bytes written."""
        data, self._buffer = self._buffer, b""
        total = 0
        at_start = True  # data begins a line
        while True:
            # a CR LF before a line start makes the first line like every other
            start = 2 if at_start else 0
            view = b"\r\n" + data if at_start else data
            end = view.find(b"\r\n.\r\n")
            last = end if end >= 0 else view.rfind(b"\r\n")
            cut = last + 2 if last >= 0 else 0  # after the last whole line
            if cut > start:  # whole lines: converted all at once
                block = view[:cut].replace(b"\r\n..", b"\r\n.").replace(b"\r\n", b"\n")
                total += _emit(write, block[1 if at_start else 0 :])
                data, at_start = view[cut:], True
            elif len(view) > MAX_LINE_BYTES:  # a long line: pass it on, keep a possible CR
                block = view[:-1].replace(b"\r\n..", b"\r\n.", 1)  # only its start
                total += _emit(write, block[start:] if at_start else block)
                data, at_start = view[-1:], False
            if total > limit:
                raise NetError("message_too_large", limit=limit)
            if end >= 0:
                self._buffer = data[3:]  # after the "." CR LF
                return total
            self._receive(65536)
            data, self._buffer = data + self._buffer, b""

    def replace_socket(self, sock: socket.socket) -> None:
        self.sock = sock
        self._buffer = b""
