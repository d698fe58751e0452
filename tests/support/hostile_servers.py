"""Scripted hostile servers on 127.0.0.1 for the network layer's defences.

A server greets, records every line it receives, and answers each line with
what its script says: a fixed reply, bytes no client expects, an endless
stream or a trickle. ``pop3()`` and ``smtp()`` build scripts that answer like
an agreeable server except for the verbs given."""

from __future__ import annotations

import os
import socketserver
import ssl
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from tests.support.certs import KeyPair
from tests.support.servers import BackgroundServer, _Server

Reply = bytes | Iterable[bytes]
Answer = bytes | Callable[[], Iterable[bytes]]
"""What a script answers to a verb: bytes, or a factory of a fresh stream."""
Script = Callable[[bytes], Reply | None]
"""Given a received line, what to send back; None closes the connection."""


class _ScriptedHandler(socketserver.StreamRequestHandler):
    server: _Server

    def handle(self) -> None:
        state = self.server.state
        try:
            greeting = state["greeting"]
            self._send(greeting() if callable(greeting) else greeting)
            while line := self.rfile.readline(1 << 20):
                state["received"].append(line)
                reply = state["script"](line)
                if reply is None:
                    return
                self._send(reply)
        except OSError:
            pass  # the client went away, as it should from an endless stream

    def _send(self, reply: Reply) -> None:
        stopped: threading.Event = self.server.state["stopped"]
        for chunk in [reply] if isinstance(reply, bytes) else reply:
            if stopped.is_set():
                raise ConnectionAbortedError
            self.wfile.write(chunk)


class ScriptedServer(BackgroundServer):
    def __init__(self, greeting: Answer, script: Script) -> None:
        super().__init__(
            _ScriptedHandler,
            greeting=greeting,
            script=script,
            received=[],
            stopped=threading.Event(),
        )

    @property
    def state(self) -> dict[str, Any]:
        return self.server.state

    def wire(self) -> bytes:
        """Everything the clients sent, after they had a moment to finish."""
        time.sleep(0.1)
        return b"".join(self.state["received"])

    def stop(self) -> None:
        self.state["stopped"].set()  # ends endless streams and trickles
        super().stop()


def _verb(line: bytes) -> str:
    return line.strip().split(b" ", 1)[0].upper().decode("ascii", "replace")


def _scripted(
    defaults: dict[str, Answer], fallback: bytes, answers: dict[str, Answer] | None
) -> Script:
    """Answers are looked up by the whole command line, then by its verb."""
    table = {**defaults, **{command.upper(): a for command, a in (answers or {}).items()}}

    def script(line: bytes) -> Reply | None:
        command = line.strip().upper().decode("ascii", "replace")
        answer = table.get(command, table.get(_verb(line), fallback))
        return answer() if callable(answer) else answer

    return script


def pop3(answers: dict[str, Answer] | None = None) -> Script:
    """+OK to everything (a short CAPA, a mailbox of 2 messages) except the
    commands given, e.g. ``pop3({"STAT": b"+OK lots\\r\\n"})``."""
    defaults: dict[str, Answer] = {
        "CAPA": b"+OK\r\nUSER\r\n.\r\n",
        "STAT": b"+OK 2 640\r\n",
        "QUIT": b"+OK bye\r\n",
    }
    return _scripted(defaults, b"+OK\r\n", answers)


def smtp(answers: dict[str, Answer] | None = None, otherwise: bytes = b"250 OK\r\n") -> Script:
    """*otherwise* (250) to everything (EHLO offers AUTH LOGIN CRAM-MD5, no
    STARTTLS) except the commands given, e.g. ``smtp({"AUTH CRAM-MD5": b"334 abc\\r\\n"})``."""
    defaults: dict[str, Answer] = {
        "EHLO": b"250-smtp.test\r\n250 AUTH LOGIN CRAM-MD5\r\n",
        "QUIT": b"221 bye\r\n",
    }
    return _scripted(defaults, otherwise, answers)


def endless(first: bytes, line: bytes, lines: int = 3_000_000) -> Callable[[], Iterator[bytes]]:
    """*first*, then *line* over and over (3 million times: practically
    endless), in chunks so that the server keeps up with any client."""

    def stream() -> Iterator[bytes]:
        yield first
        chunk = line * 1000
        for _ in range(lines // 1000):
            yield chunk

    return stream


def trickle(first: bytes, line: bytes, every: float = 0.5) -> Callable[[], Iterator[bytes]]:
    """*first*, then one *line* every *every* seconds until the server stops."""

    def stream() -> Iterator[bytes]:
        yield first
        while True:
            time.sleep(every)
            yield line

    return stream


class TlsJunkHandler(socketserver.BaseRequestHandler):
    """Implicit TLS, a POP3 greeting inside it, then bytes that are no TLS
    record at all, written past the TLS layer onto the socket."""

    server: _Server

    def handle(self) -> None:
        state = self.server.state
        try:
            with state["context"].wrap_socket(self.request, server_side=True) as tls:
                tls.sendall(b"+OK ready\r\n")
                os.write(tls.fileno(), b"this is not a TLS record\r\n" * 4)
                tls.recv(1024)
        except OSError:
            pass


def tls_junk_server(certificate: KeyPair) -> BackgroundServer:
    folder = Path(tempfile.mkdtemp(prefix="junk-cert-"))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate.write(folder, "junk"))
    return BackgroundServer(TlsJunkHandler, context=context).start()
