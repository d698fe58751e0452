"""A scripted peer for the protocol code's unit tests: the other end of one
connection, in a thread, that sends a greeting and then one scripted reply
per line it receives, keeping every line it received. No mail server.

A reply given as ``Data(reply)`` takes the lines of an SMTP message up to
its "." (kept as one entry, ``MESSAGE``) and then sends *reply*."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import pytest

MESSAGE = "<message>"


@dataclass(frozen=True)
class Data:
    reply: bytes


class Peer:
    """The far end of one loopback TCP connection (a socketpair would do but
    for ``getpeername``, which the connect step reports)."""

    def __init__(self, greeting: bytes, replies: Sequence[bytes | Data]) -> None:
        self.greeting = greeting
        self.replies: list[bytes | Data] = list(replies)
        self.received: list[str] = []
        self.message: list[str] = []
        """The lines of the message an SMTP client sent after DATA."""
        self._listening = socket.create_server(("127.0.0.1", 0))
        self._listening.settimeout(5)
        self.port = int(self._listening.getsockname()[1])
        self._thread = threading.Thread(target=self._talk, name="peer", daemon=True)
        self._thread.start()

    def _talk(self) -> None:
        try:
            conn, _ = self._listening.accept()
        except OSError:
            return
        finally:
            self._listening.close()
        with conn:
            conn.settimeout(5)
            conn.sendall(self.greeting)
            lines = _lines(conn)
            try:
                for line in lines:
                    reply = self.replies.pop(0) if self.replies else None
                    if isinstance(reply, Data):
                        while line != ".":
                            self.message.append(line)
                            line = next(lines)
                        self.received.append(MESSAGE)
                        reply = reply.reply
                    else:
                        self.received.append(line)
                    if reply is not None:
                        conn.sendall(reply)
            except (OSError, StopIteration):
                return

    def join(self) -> list[str]:
        """Every line received, once the client has hung up."""
        self._thread.join(5)
        assert not self._thread.is_alive(), "the client never hung up"
        return self.received


def _lines(conn: socket.socket) -> Iterator[str]:
    buffer = b""
    while True:
        while b"\n" not in buffer:
            chunk = conn.recv(4096)
            if not chunk:
                return
            buffer += chunk
        line, buffer = buffer.split(b"\n", 1)
        yield line.rstrip(b"\r").decode()


@pytest.fixture
def peers() -> Iterator[list[Peer]]:
    started: list[Peer] = []
    yield started
    for peer in started:
        peer.join()
