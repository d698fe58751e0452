"""Testing an SMTP server with smtplib: connect, TLS (implicit or STARTTLS),
EHLO, AUTH exactly as configured (never another mechanism), optionally a test
message to the account's own address, QUIT.

smtplib connects through a socket made here and reads its replies through
our LineChannel, so timeouts, the step's deadline, limits on replies,
cancellation and certificate checks (against ``smtp.server_name`` when set)
are ours; so is AUTH, which sends user name and password as UTF-8."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import smtplib
import socket
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTPUTF8, default
from email.utils import formatdate, make_msgid
from typing import Any

import idna

from ..model.providers import refusing_provider
from ..model.secret import Secret
from .pop3 import secure
from .report import NetError, server_text
from .sasl import Credential, TokenSource, xoauth2
from .steps import Recorder
from .transport import CancelToken, LineChannel, StepClock, connect, refuse_unsafe

MECHANISMS = {"login": "LOGIN", "cram-md5": "CRAM-MD5", "oauth2": "XOAUTH2"}


@dataclass(frozen=True)
class SmtpTarget:
    host: str
    port: int
    security: str
    server_name: str
    """The name the certificate must carry; the host when empty."""
    auth_method: str | None
    """None: no authentication."""
    username: str
    sender: str
    pinned_sha256: str | None
    username_field: str = "smtp.auth.username"
    """Where the user name and password come from, for problems that name them."""
    password_field: str = "smtp.auth.password"

    @property
    def tls_name(self) -> str:
        return self.server_name or self.host


class _Client(smtplib.SMTP):
    """smtplib on our socket; replies are read through a LineChannel, so they
    are bounded in size, and in time by the step's deadline."""

    def __init__(self, channel: LineChannel, tls_name: str) -> None:
        self.channel = channel
        # without a name smtplib asks the resolver for ours (getfqdn), outside
        # any deadline; an address literal is what mail clients send anyway
        super().__init__(timeout=channel.clock.seconds, local_hostname=_ehlo_name(channel.sock))
        self._host = tls_name

    def _get_socket(self, host: str, port: int, timeout: float) -> socket.socket:
        return self.channel.sock

    def putcmd(self, cmd: str, args: str = "") -> None:
        """smtplib refuses CR and LF too, but with the line in its message; NUL it lets through."""
        refuse_unsafe(f"{cmd} {args}", "command")
        super().putcmd(cmd, args)

    def send(self, s: Any) -> None:
        if self.sock is not None:
            where = {"host": self.channel.host, "port": self.channel.port}
            self.sock.settimeout(self.channel.clock.wait_limit(**where))
        super().send(s)

    def getreply(self) -> tuple[int, bytes]:
        """As smtplib's: the last line's code (-1 if it has none) and the
        lines' texts joined by LF."""
        lines = self.channel.read_reply(lambda line: _code(line) == -1 or line[3:4] != b"-")
        return _code(lines[-1]), b"\n".join(line[4:].strip(b" \t\r\n") for line in lines)

    def use_socket(self, sock: socket.socket) -> None:
        """After STARTTLS: forget what was said before, as smtplib.starttls does."""
        self.sock = sock
        self.channel.replace_socket(sock)
        self.helo_resp = None
        self.ehlo_resp = None
        self.esmtp_features = {}
        self.does_esmtp = False


def _client(
    sock: socket.socket, target: SmtpTarget, clock: StepClock, cancel: CancelToken
) -> _Client:
    return _Client(LineChannel(sock, target.host, target.port, clock, cancel), target.tls_name)


def _code(line: bytes) -> int:
    try:
        return int(line[:3])
    except ValueError:
        return -1


def _ehlo_name(sock: socket.socket) -> str:
    """Our address as an RFC 5321 address literal, e.g. ``[192.0.2.7]``."""
    try:
        address = str(sock.getsockname()[0])
    except OSError:
        return "[127.0.0.1]"
    return f"[IPv6:{address}]" if ":" in address else f"[{address}]"


def _call(
    target: SmtpTarget, clock: StepClock, cancel: CancelToken, call: Callable[[], Any]
) -> Any:
    try:
        return call()
    except smtplib.SMTPAuthenticationError as exc:
        raise NetError("auth_rejected", text=_text(exc.smtp_error, exc.smtp_code)) from None
    except smtplib.SMTPRecipientsRefused as exc:
        code, text = next(iter(exc.recipients.values()))
        raise NetError("send_rejected", text=_text(text, code)) from None
    except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as exc:
        raise NetError("send_rejected", text=_text(exc.smtp_error, exc.smtp_code)) from None
    except smtplib.SMTPResponseException as exc:
        raise NetError("protocol_error", text=_text(exc.smtp_error, exc.smtp_code)) from None
    except TimeoutError:
        cancel.check()
        raise clock.expired(host=target.host, port=target.port) from None
    except (smtplib.SMTPServerDisconnected, OSError) as exc:
        cancel.check()
        raise NetError(
            "connection_lost", host=target.host, port=target.port, reason=str(exc)[:200]
        ) from None


def _text(raw: bytes | str, code: int) -> str:
    return server_text(f"{code} ".encode() + (raw.encode() if isinstance(raw, str) else raw))


def run(
    target: SmtpTarget,
    username: str,
    password: Credential,
    recorder: Recorder,
    clock: StepClock,
    cancel: CancelToken,
    send_test_message: bool,
) -> None:
    if isinstance(password, Secret):
        recorder.conceal(password.reveal())
    with recorder.step("connect") as detail:
        sock = connect(target.host, target.port, clock, cancel)
        detail["address"] = sock.getpeername()[0]
    client: _Client | None = None
    try:
        if target.security == "ssl":
            with recorder.step("tls") as detail:
                sock = secure(
                    sock,
                    target.tls_name,
                    target.pinned_sha256,
                    clock,
                    cancel,
                    lambda: connect(target.host, target.port, clock, cancel),
                )
                detail["certificate_name"] = target.tls_name
        client = _client(sock, target, clock, cancel)
        _conversation(
            client, target, username, password, recorder, clock, cancel, send_test_message
        )
    finally:
        if client is not None:
            client.close()
        sock.close()


def _reopen_after_starttls(
    target: SmtpTarget, clock: StepClock, cancel: CancelToken
) -> socket.socket:
    sock = connect(target.host, target.port, clock, cancel)
    client = _client(sock, target, clock, cancel)
    try:
        _call(target, clock, cancel, lambda: client.connect(target.host, target.port))
        _call(target, clock, cancel, client.ehlo)
        _call(target, clock, cancel, lambda: client.docmd("STARTTLS"))
    except Exception:
        sock.close()
        raise
    return sock  # it goes on to the TLS handshake


def _conversation(
    client: _Client,
    target: SmtpTarget,
    username: str,
    password: Credential,
    recorder: Recorder,
    clock: StepClock,
    cancel: CancelToken,
    send_test_message: bool,
) -> None:
    def call(fn: Callable[[], Any]) -> Any:
        return _call(target, clock, cancel, fn)

    with recorder.step("ehlo") as detail:
        code, banner = call(lambda: client.connect(target.host, target.port))
        if code != 220:
            raise NetError("protocol_error", text=_text(banner, code))
        call(client.ehlo)
        detail["extensions"] = sorted(client.esmtp_features)
    if target.security == "starttls":
        with recorder.step("starttls") as detail:
            if not client.has_extn("starttls"):
                raise NetError("starttls_not_offered", host=target.host)
            code, reply = call(lambda: client.docmd("STARTTLS"))
            if code != 220:
                raise NetError("starttls_refused", text=_text(reply, code))
            assert client.sock is not None
            client.use_socket(
                secure(
                    client.sock,
                    target.tls_name,
                    target.pinned_sha256,
                    clock,
                    cancel,
                    lambda: _reopen_after_starttls(target, clock, cancel),
                )
            )
            call(client.ehlo)
            detail["certificate_name"] = target.tls_name
    if target.auth_method is not None:
        with recorder.step("auth") as detail:
            mechanism = MECHANISMS[target.auth_method]
            offered = server_text(client.esmtp_features.get("auth", "")).upper().split()
            detail["offered"] = offered
            if mechanism not in offered:
                raise NetError(
                    "mechanism_not_offered", mechanism=mechanism, offered=" ".join(offered) or "—"
                )
            refuse_unsafe(username, target.username_field)
            if mechanism == "XOAUTH2":
                if password is None or isinstance(password, Secret):
                    raise NetError("oauth2_signin_required")
                tokens = password
                call(lambda: _authenticate_xoauth2(client, username, tokens, recorder))
            else:
                if not isinstance(password, Secret):
                    raise NetError("password_missing", field=target.password_field)
                secret = password
                refuse_unsafe(secret.reveal(), target.password_field)
                call(lambda: _authenticate(client, mechanism, username, secret.reveal()))
            detail["mechanism"] = mechanism
    if send_test_message:
        with recorder.step("send") as detail:
            refuse_unsafe(target.sender, "address")
            address, options = _envelope(client, target.sender)
            message = _test_message(address, utf8=bool(options))
            call(lambda: _send_message(client, address, options, message))
            detail["pipelined"] = client.has_extn("pipelining")
            detail["to"] = target.sender
    with recorder.step("quit"):
        call(client.quit)


def _authenticate(client: _Client, mechanism: str, username: str, password: str) -> None:
    """AUTH LOGIN or CRAM-MD5 with user name and password as UTF-8, as
    Dovecot, Exchange and others expect (smtplib's own AUTH sends ASCII only)."""
    if mechanism == "LOGIN":
        code, reply = client.docmd("AUTH", "LOGIN")
        for value in (username, password):  # for "Username:", then "Password:"
            if code != 334:
                break
            code, reply = client.docmd(_base64(value))
    else:
        code, reply = client.docmd("AUTH", "CRAM-MD5")
        if code == 334:
            digest = hmac.new(password.encode(), _challenge(reply), hashlib.md5).hexdigest()
            code, reply = client.docmd(_base64(f"{username} {digest}"))
    if code not in (235, 503):  # 503: authenticated already, as smtplib counts it
        raise _login_refused(reply, code)


def _login_refused(reply: bytes, code: int) -> NetError:
    """``provider_password_refused`` when the reply says the provider takes
    no passwords any more (``model/providers.py``), else ``auth_rejected``."""
    text = _text(reply, code)
    provider = refusing_provider(text)
    if provider is None:
        return NetError("auth_rejected", text=text)
    return NetError(
        "provider_password_refused", provider=provider.name, oauth2=provider.key, text=text
    )


def _send_message(client: _Client, address: str, options: list[str], message: bytes) -> None:
    """The test message from *address* to itself. Where the server offers
    PIPELINING (RFC 2920), MAIL FROM, RCPT TO and DATA go out in one write
    (DATA ends a group) and their replies are read after it: one round trip
    instead of three."""
    if not client.has_extn("pipelining"):
        client.sendmail(address, [address], message, mail_options=options)
        return
    if client.has_extn("size"):
        options = [*options, f"SIZE={len(message)}"]
    commands = [
        "MAIL FROM:" + smtplib.quoteaddr(address) + "".join(f" {o}" for o in options),
        "RCPT TO:" + smtplib.quoteaddr(address),
        "DATA",
    ]
    for command in commands:
        refuse_unsafe(command, "command")
    encoding = "utf-8" if "SMTPUTF8" in options else "ascii"
    client.send("".join(f"{command}\r\n" for command in commands).encode(encoding))
    (sender, sender_reply), (recipient, recipient_reply), (data, data_reply) = (
        client.getreply() for _ in commands
    )
    if data == 354 and (sender != 250 or recipient not in (250, 251)):
        client.send(".\r\n")  # DATA was taken without a recipient: end it empty
        client.getreply()
    if sender != 250:
        raise smtplib.SMTPSenderRefused(sender, sender_reply, address)
    if recipient not in (250, 251):
        raise smtplib.SMTPRecipientsRefused({address: (recipient, recipient_reply)})
    if data != 354:
        raise smtplib.SMTPDataError(data, data_reply)
    client.send(_dot_stuffed(message) + b".\r\n")
    code, reply = client.getreply()
    if code != 250:
        raise smtplib.SMTPDataError(code, reply)


def _dot_stuffed(message: bytes) -> bytes:
    """The message as DATA carries it: CRLF line ends, a leading "." doubled
    (RFC 5321 4.5.2), ending with CRLF."""
    lines = re.sub(rb"\r\n|\r|\n", b"\r\n", message)
    stuffed = re.sub(rb"(?m)^\.", b"..", lines)
    return stuffed if stuffed.endswith(b"\r\n") else stuffed + b"\r\n"


def _authenticate_xoauth2(
    client: _Client, username: str, tokens: TokenSource, recorder: Recorder
) -> None:
    """AUTH XOAUTH2; a refused token is refreshed once and tried again. The
    server's error comes as a 334 challenge, answered with an empty line."""
    for fresh in (False, True):
        token = tokens.token(fresh)
        initial = xoauth2(username, token)
        recorder.conceal(token.reveal())
        recorder.conceal(initial)
        code, reply = client.docmd("AUTH", f"XOAUTH2 {initial}")
        if code == 334:
            code, reply = client.docmd("")
        if code in (235, 503):
            return
        if fresh:
            raise NetError("auth_rejected", text=_text(reply, code))


def _base64(value: str) -> str:
    return base64.b64encode(value.encode()).decode("ascii")


def _challenge(reply: bytes) -> bytes:
    try:
        return base64.b64decode(reply, validate=True)
    except ValueError:  # binascii.Error
        raise NetError("protocol_error", text="CRAM-MD5: the challenge is not base64") from None


def _envelope(client: _Client, address: str) -> tuple[str, list[str]]:
    """The address for MAIL FROM and RCPT TO, and the MAIL options it needs.
    A domain with umlauts travels in its ASCII form (xn--…); a local part with
    them needs a server that offers SMTPUTF8 (RFC 6531)."""
    if address.isascii():
        return address, []
    local, _, domain = address.rpartition("@")
    if local.isascii():
        return f"{local}@{idna.encode(domain, uts46=True).decode('ascii')}", []
    if client.has_extn("smtputf8"):
        return address, ["SMTPUTF8"]
    raise NetError("smtputf8_not_offered")


def _test_message(address: str, utf8: bool) -> bytes:
    message = EmailMessage(policy=SMTPUTF8 if utf8 else default)
    message["From"] = address
    message["To"] = address
    message["Subject"] = "mailaccounts: Testnachricht / test message"
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain="mailaccounts.invalid")
    message.set_content(
        "Diese Nachricht wurde beim Testen der Kontoeinstellungen gesendet.\n"
        "This message was sent while testing the account settings.\n"
    )
    return bytes(message)
