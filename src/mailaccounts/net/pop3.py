"""POP3: connect, TLS (implicit or STLS), capabilities, login (USER/PASS,
or SPA = AUTH NTLM); then STAT for the connection test, or the mailbox
commands of fetching (``fetch/retrieval.py``).

Written on the socket rather than with poplib: every step must be reported on
its own, and no credential may leave before TLS is proven where it is required.
"""

from __future__ import annotations

import base64
import contextlib
import re
import socket
from collections.abc import Callable
from dataclasses import dataclass

from ..model.providers import refusing_provider
from ..model.secret import Secret
from .report import NetError, server_text
from .sasl import Credential, TokenSource, xoauth2
from .steps import Recorder
from .tls import handshake, peer_certificate
from .transport import CancelToken, LineChannel, StepClock, connect, refuse_unsafe


@dataclass(frozen=True)
class Pop3Target:
    host: str
    port: int
    security: str
    username: str
    spa: bool
    pinned_sha256: str | None
    oauth2: bool = False


# "+OK nn mm" (RFC 1939); only ASCII digits: "²".isdigit() but int("²") fails
_STAT = re.compile(r"\+OK ([0-9]{1,18}) ([0-9]{1,18})(?: |$)")
_IN_USE = re.compile(r"-ERR \[IN-USE\]", re.IGNORECASE)  # RFC 2449's response code


def _expect_ok(line: str, failure: str = "protocol_error") -> str:
    if not line.startswith("+OK"):
        raise NetError(failure, text=server_text(line))
    return line


def _capabilities(channel: LineChannel) -> list[str]:
    channel.send("CAPA")
    if not channel.readline().startswith("+OK"):
        return []  # CAPA is optional (RFC 2449)
    return [server_text(line, 200) for line in channel.read_multiline()]  # shown as detail


def _offered_sasl(caps: list[str]) -> list[str] | None:
    for cap in caps:
        words = cap.split()
        if words and words[0].upper() == "SASL":
            return [w.upper() for w in words[1:]]
    return None


def secure(
    sock: socket.socket,
    host: str,
    pinned: str | None,
    clock: StepClock,
    cancel: CancelToken,
    reopen: Callable[[], socket.socket],
) -> socket.socket:
    """TLS on *sock*; on an untrusted certificate, fetch it on a second
    connection (no credentials) so the admin can see what it is."""
    try:
        sock.settimeout(clock.wait_limit(host=host))
        return handshake(sock, host, pinned, clock.seconds, cancel)
    except NetError as exc:
        if exc.problem.code in ("cert_untrusted", "cert_wrong_name", "cert_expired"):
            try:
                certificate = peer_certificate(reopen(), host)
            except NetError:
                certificate = None
            raise NetError(exc.problem.code, certificate, **exc.problem.params) from None
        raise


def run(
    target: Pop3Target,
    password: Credential,
    recorder: Recorder,
    clock: StepClock,
    cancel: CancelToken,
) -> None:
    """The connection test: log in, open the mailbox, log off."""
    channel = login(target, password, recorder, clock, cancel)
    try:
        with recorder.step("mailbox") as detail:
            channel.send("STAT")
            line = _expect_ok(channel.readline())
            stat = _STAT.match(line)
            if stat is None:
                raise NetError("protocol_error", text=server_text(line))
            detail["messages"], detail["octets"] = int(stat[1]), int(stat[2])
        quit_politely(channel, clock)
    finally:
        channel.sock.close()


def login(
    target: Pop3Target,
    password: Credential,
    recorder: Recorder,
    clock: StepClock,
    cancel: CancelToken,
) -> LineChannel:
    """Connect, secure and log in, each a step of *recorder*; the logged-in
    conversation (with ``capabilities`` set), or NetError."""
    host, port = target.host, target.port
    if isinstance(password, Secret):
        recorder.conceal(password.reveal())
    with recorder.step("connect") as detail:
        sock = connect(host, port, clock, cancel)
        detail["address"] = sock.getpeername()[0]
    channel = LineChannel(sock, host, port, clock, cancel)
    try:
        _conversation(target, password, recorder, channel, clock, cancel)
    except BaseException:
        channel.sock.close()
        raise
    return channel


def quit_session(channel: LineChannel) -> None:
    """QUIT, which commits the session's deletions (RFC 1939's UPDATE state).
    A -ERR answer says the server kept the messages (``delete_not_committed``);
    a connection that fails here raises its own NetError."""
    channel.send("QUIT")
    line = channel.readline()
    if not line.startswith("+OK"):
        raise NetError("delete_not_committed", text=server_text(line))


def quit_politely(channel: LineChannel, clock: StepClock) -> None:
    """QUIT where nothing was deleted, its answer whatever it is, with the
    time of a step of its own."""
    clock.restart()
    with contextlib.suppress(NetError):
        quit_session(channel)


def _starttls_reopen(target: Pop3Target, clock: StepClock, cancel: CancelToken) -> socket.socket:
    sock = connect(target.host, target.port, clock, cancel)
    again = LineChannel(sock, target.host, target.port, clock, cancel)
    try:
        _expect_ok(again.readline())
        again.send("STLS")
        _expect_ok(again.readline())
    except Exception:
        sock.close()
        raise
    return sock


def _conversation(
    target: Pop3Target,
    password: Credential,
    recorder: Recorder,
    channel: LineChannel,
    clock: StepClock,
    cancel: CancelToken,
) -> None:
    host, port = target.host, target.port

    def secure_channel(reopen: Callable[[], socket.socket]) -> None:
        channel.replace_socket(
            secure(channel.sock, host, target.pinned_sha256, clock, cancel, reopen)
        )

    if target.security == "ssl":
        with recorder.step("tls") as detail:
            secure_channel(lambda: connect(host, port, clock, cancel))
            detail["pinned"] = bool(target.pinned_sha256)
    with recorder.step("capabilities") as detail:
        _expect_ok(channel.readline())
        caps = _capabilities(channel)
        detail["capabilities"] = caps
    if target.security == "starttls":
        with recorder.step("starttls") as detail:
            if not any(c.upper() == "STLS" for c in caps):
                raise NetError("starttls_not_offered", host=host)
            channel.send("STLS")
            _expect_ok(channel.readline(), "starttls_refused")
            secure_channel(lambda: _starttls_reopen(target, clock, cancel))
            caps = _capabilities(channel)
            detail["pinned"] = bool(target.pinned_sha256)
    with recorder.step("login") as detail:
        if target.oauth2:
            if password is None or isinstance(password, Secret):
                raise NetError("oauth2_signin_required")
            refuse_unsafe(target.username, "pop3.username")
            _login_xoauth2(channel, target.username, password, caps, recorder)
            detail["method"] = "XOAUTH2"
            channel.capabilities = caps
            return
        if not isinstance(password, Secret):
            raise NetError("password_missing", field="pop3.password")
        refuse_unsafe(target.username, "pop3.username")
        refuse_unsafe(password.reveal(), "pop3.password")
        if target.spa:
            _login_ntlm(channel, target.username, password, caps)
            detail["method"] = "NTLM"
        else:
            channel.send(f"USER {target.username}", "pop3.username")
            _login_answer(channel.readline())
            channel.send(f"PASS {password.reveal()}", "pop3.password")
            _login_answer(channel.readline())
            detail["method"] = "USER/PASS"
    channel.capabilities = caps


def _login_answer(line: str) -> None:
    """The answer to the last login command: +OK; a mailbox another session
    holds (RFC 2449's [IN-USE]: it passes, so it is no rejected login); a
    refusal that says the provider takes no passwords any more
    (``provider_password_refused``, see ``model/providers.py``); else a
    rejected login."""
    if line.startswith("+OK"):
        return
    if _IN_USE.match(line):
        raise NetError("mailbox_in_use", text=server_text(line))
    provider = refusing_provider(line)
    if provider is not None:
        raise NetError(
            "provider_password_refused",
            provider=provider.name,
            oauth2=provider.key,
            text=server_text(line),
        )
    raise NetError("auth_rejected", text=server_text(line))


def _login_xoauth2(
    channel: LineChannel,
    username: str,
    tokens: TokenSource,
    caps: list[str],
    recorder: Recorder,
) -> None:
    """AUTH XOAUTH2 with the access token; a token the server refuses is
    refreshed once and tried again (it may have been revoked or expired)."""
    offered = _offered_sasl(caps)
    if offered is not None and "XOAUTH2" not in offered:
        raise NetError("mechanism_not_offered", mechanism="XOAUTH2", offered=" ".join(offered))
    for fresh in (False, True):
        token = tokens.token(fresh)
        initial = xoauth2(username, token)
        recorder.conceal(token.reveal())
        recorder.conceal(initial)
        channel.send(f"AUTH XOAUTH2 {initial}", "oauth2 token")
        reply = channel.readline()
        if reply.startswith("+ ") or reply == "+":  # the error, as a challenge: answer it empty
            channel.send("")
            reply = channel.readline()
        if reply.startswith("+OK"):
            return
        if fresh or _IN_USE.match(reply):
            _login_answer(reply)


def _login_ntlm(channel: LineChannel, username: str, password: Secret, caps: list[str]) -> None:
    offered = _offered_sasl(caps)
    if offered is not None and "NTLM" not in offered:
        raise NetError("mechanism_not_offered", mechanism="NTLM", offered=" ".join(offered))
    import spnego

    client = spnego.client(username, password.reveal(), protocol="ntlm")
    channel.send("AUTH NTLM")
    reply = channel.readline()
    if not reply.startswith("+"):
        raise NetError("mechanism_not_offered", mechanism="NTLM", offered=server_text(reply, 200))
    token = client.step()
    while True:
        channel.send(base64.b64encode(token or b"").decode("ascii"))
        reply = channel.readline()
        if not reply.startswith("+ "):
            _login_answer(reply)
            return
        try:
            token = client.step(base64.b64decode(reply[2:]))
        except Exception as exc:  # a malformed challenge from the server
            raise NetError("protocol_error", text=f"NTLM: {type(exc).__name__}") from None
