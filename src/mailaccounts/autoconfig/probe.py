"""Asking a server what it is, without credentials: connect (TLS first for
implicit TLS, the certificate verified), read the greeting, ask for the
capabilities (POP3 ``CAPA``, SMTP ``EHLO``) and say goodbye. Nothing else is
sent — no user name, no password, no STARTTLS."""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass

from ..net.report import NetError, server_text
from ..net.transport import LineChannel, StepClock
from .connect import Scope, Watchdog, open_socket, secure


@dataclass(frozen=True)
class Answer:
    greeting: str
    capabilities: tuple[str, ...]

    def offers(self, keyword: str) -> bool:
        return any(c.split()[:1] == [keyword] for c in self.capabilities if c.split())

    def smtp_auth(self) -> tuple[str, ...]:
        """The SASL mechanisms an EHLO reply names (AUTH LOGIN PLAIN ...)."""
        for line in self.capabilities:
            words = line.upper().replace("=", " ").split()
            if words[:1] == ["AUTH"]:
                return tuple(words[1:])
        return ()


def probe(
    protocol: str, host: str, port: int, security: str, scope: Scope, seconds: float
) -> Answer:
    """Ask the POP3 or SMTP server at *host*:*port*. NetError when it cannot be
    reached, is no such server, or does not offer STARTTLS when *security*
    says it must."""
    ends = time.monotonic() + scope.budget(seconds)
    sock = open_socket(host, port, scope, ends)
    try:
        sock = secure(sock, host, scope, ends, security == "ssl", seconds)
        clock = StepClock(max(0.01, ends - time.monotonic()))
        with Watchdog(sock, ends) as dog:
            try:
                channel = LineChannel(sock, host, port, clock, scope.stop)
                answer = _pop3(channel) if protocol == "pop3" else _smtp(channel)
            except NetError as exc:
                if dog.fired and exc.problem.code not in ("cancelled", "timed_out"):
                    raise NetError("timed_out", host=host, seconds=f"{seconds:g}") from None
                raise
    finally:
        sock.close()
    if security == "starttls" and not answer.offers("STLS" if protocol == "pop3" else "STARTTLS"):
        raise NetError("starttls_not_offered", host=host)
    return answer


def _pop3(channel: LineChannel) -> Answer:
    greeting = channel.readline()
    if not greeting.startswith("+OK"):
        raise NetError("protocol_error", text=server_text(greeting, 200))
    channel.send("CAPA")
    capabilities: list[str] = []
    if channel.readline().startswith("+OK"):
        capabilities = [server_text(line, 200).upper() for line in channel.read_multiline()]
    with contextlib.suppress(NetError):
        channel.send("QUIT")
        channel.readline()
    return Answer(server_text(greeting, 120), tuple(capabilities))


def _reply(channel: LineChannel) -> list[bytes]:
    return channel.read_reply(lambda line: line[3:4] != b"-")


def _smtp(channel: LineChannel) -> Answer:
    greeting = _reply(channel)
    if not greeting[-1].startswith(b"220"):
        raise NetError("protocol_error", text=server_text(greeting[-1], 200))
    try:
        address = str(channel.sock.getsockname()[0])
    except OSError:
        address = "127.0.0.1"
    channel.send(f"EHLO [IPv6:{address}]" if ":" in address else f"EHLO [{address}]")
    reply = _reply(channel)
    if not reply[-1].startswith(b"250"):
        raise NetError("protocol_error", text=server_text(reply[-1], 200))
    capabilities = [server_text(line[4:], 200).upper() for line in reply[1:]]
    with contextlib.suppress(NetError):
        channel.send("QUIT")
        _reply(channel)
    return Answer(server_text(greeting[0][4:], 120), tuple(capabilities))
