"""Real servers on 127.0.0.1 for the connection test: Dovecot (POP3), an
aiosmtpd SMTP server, a POP3 server doing NTLM with pyspnego's acceptor, a
server that accepts and then says nothing, and a recording TCP proxy."""

from __future__ import annotations

import base64
import collections
import contextlib
import hashlib
import hmac
import os
import shutil
import signal
import socket
import socketserver
import ssl
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from tests.support.certs import KeyPair

if TYPE_CHECKING:
    from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_listening(port: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port}")


# -- Dovecot -------------------------------------------------------------------

DOVECOT_CONF = """\
base_dir = {base}/run
state_dir = {base}/state
log_path = {base}/dovecot.log
info_log_path = {base}/dovecot.log
auth_verbose = yes
auth_debug = yes
protocols = pop3
listen = 127.0.0.1
ssl = {ssl}
{ssl_files}
disable_plaintext_auth = no
mail_location = maildir:{mail}/%u
first_valid_uid = 1
pop3_uidl_format = %08Xu%08Xv
{auth}
userdb {{
  driver = static
  args = uid=mail gid=mail home={mail}/%u
}}
service pop3-login {{
  inet_listener pop3 {{
    port = {port}
  }}
  inet_listener pop3s {{
    port = {tls_port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
service stats {{
  chroot =
}}
"""

PASSWORD_AUTH = """\
auth_mechanisms = plain login cram-md5
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {base}/users
}}"""
"""The login methods of ``Dovecot``: the users' passwords (``Dovecot.auth_config``)."""


@dataclass
class Dovecot:
    users: dict[str, str]
    certificate: KeyPair | None
    port: int = 0
    tls_port: int = 0
    base: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="dovecot-")))
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> Dovecot:
        if shutil.which("dovecot") is None and not Path("/usr/sbin/dovecot").exists():
            raise RuntimeError("Dovecot is not installed: run the suite through scripts/test")
        # Dovecot's mail user must traverse every parent directory: tmp_path is 0700
        self.base.chmod(0o755)
        mail = self.base / "mail"
        mail.mkdir()
        for sub in ("run", "state"):
            (self.base / sub).mkdir()
        self.port, self.tls_port = free_port(), free_port()
        ssl_files = ""
        if self.certificate is not None:
            cert, key = self.certificate.write(self.base, "server")
            ssl_files = f"ssl_cert = <{cert}\nssl_key = <{key}"
        (self.base / "users").write_text(
            "".join(f"{user}:{{PLAIN}}{password}\n" for user, password in self.users.items()),
            encoding="utf-8",  # Dovecot compares the UTF-8 bytes the client sends
        )
        conf = self.base / "dovecot.conf"
        conf.write_text(
            DOVECOT_CONF.format(
                base=self.base,
                mail=mail,
                port=self.port,
                tls_port=self.tls_port,
                ssl="yes" if self.certificate else "no",
                ssl_files=ssl_files,
                auth=self.auth_config().format(base=self.base),
            )
        )
        for user in self.users:
            self.maildir(user)
        shutil.chown(mail, "mail", "mail")
        self.process = subprocess.Popen(
            ["/usr/sbin/dovecot", "-F", "-c", str(conf)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            process_group=0,  # its own group, for stop()
        )
        try:
            wait_listening(self.port)
        except RuntimeError:
            self.stop()
            raise RuntimeError(f"Dovecot did not start: {self.log()}") from None
        return self

    def auth_config(self) -> str:
        """The ``auth_mechanisms`` and ``passdb`` lines of dovecot.conf (``{base}``
        is the server's folder); subclasses log users in differently."""
        return PASSWORD_AUTH

    def maildir(self, user: str) -> Path:
        import mailbox

        path = self.base / "mail" / user
        box = mailbox.Maildir(path, create=True)
        box.close()
        subprocess.run(["chown", "-R", "mail:mail", str(path)], check=True)
        return path

    def deliver(self, user: str, *messages: bytes) -> None:
        import mailbox

        box = mailbox.Maildir(self.base / "mail" / user)
        for message in messages:
            box.add(message)
        subprocess.run(["chown", "-R", "mail:mail", str(self.base / "mail" / user)], check=True)

    def messages(self, user: str) -> list[bytes]:
        """What the user's mailbox holds now, in no particular order."""
        folder = self.base / "mail" / user
        return [p.read_bytes() for sub in ("new", "cur") for p in sorted((folder / sub).iterdir())]

    def log(self) -> str:
        path = self.base / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        """Kills the server and every process it started at once: with SIGTERM
        the master waits a second for its log process after any login, and
        nothing of a test's server (its folder is removed) is worth keeping."""
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
            self.process = None
        shutil.rmtree(self.base, ignore_errors=True)


# -- small threaded servers ------------------------------------------------------


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    state: dict[str, Any]
    """What the handlers share with the test: set by BackgroundServer."""


class BackgroundServer:
    def __init__(self, handler: type[socketserver.BaseRequestHandler], **state: Any) -> None:
        self.server = _Server(("127.0.0.1", 0), handler)
        self.server.state = state
        self.port = int(self.server.server_address[1])
        # stop() waits up to one poll for the serving thread: 0.05 s, not 0.5
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    def start(self) -> Self:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class SilentHandler(socketserver.BaseRequestHandler):
    """Accepts, then never says a word (until the client gives up)."""

    def handle(self) -> None:
        self.request.settimeout(60)
        try:
            while self.request.recv(1024):
                pass
        except OSError:
            pass


class NtlmPop3Handler(socketserver.StreamRequestHandler):
    """POP3 with AUTH NTLM, checked by pyspnego's acceptor (NTLM_USER_FILE)."""

    server: _Server

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        import spnego

        state = self.server.state
        self.reply("+OK NTLM test server ready")
        while line := self.rfile.readline():
            command = line.decode().strip()
            state["received"].append(command)
            verb = command.split(" ", 1)[0].upper()
            if verb == "CAPA":
                for cap in ("+OK", "USER", "SASL NTLM", "."):
                    self.reply(cap)
            elif command.upper() == "AUTH NTLM":
                acceptor = spnego.server(protocol="ntlm")
                self.reply("+ ")
                try:
                    while not acceptor.complete:
                        token = base64.b64decode(self.rfile.readline().strip())
                        out = acceptor.step(token)
                        if out:
                            self.reply("+ " + base64.b64encode(out).decode())
                except Exception:
                    self.reply("-ERR [AUTH] NTLM authentication failed")
                    continue
                state["authenticated"].append(acceptor.client_principal)
                self.reply("+OK logged in")
            elif verb == "STAT":
                self.reply("+OK 2 640")
            elif verb == "QUIT":
                self.reply("+OK bye")
                return
            else:
                self.reply("-ERR unknown command")


def ntlm_pop3_server(user_file: Path) -> BackgroundServer:
    os.environ["NTLM_USER_FILE"] = str(user_file)
    return BackgroundServer(NtlmPop3Handler, received=[], authenticated=[]).start()


class ProxyHandler(socketserver.BaseRequestHandler):
    """Forwards to the target and records what the client sent."""

    server: _Server

    def handle(self) -> None:
        state = self.server.state
        upstream = socket.create_connection(("127.0.0.1", state["target"]))
        client = self.request

        def pump(source: socket.socket, sink: socket.socket, record: bool) -> None:
            try:
                while data := source.recv(4096):
                    if record:
                        state["received"].extend([data])
                    sink.sendall(data)
            except OSError:
                pass
            finally:
                for sock in (source, sink):
                    with contextlib.suppress(OSError):
                        sock.shutdown(socket.SHUT_RDWR)

        back = threading.Thread(target=pump, args=(upstream, client, False), daemon=True)
        back.start()
        pump(client, upstream, True)
        back.join(5)
        upstream.close()


def recording_proxy(target_port: int) -> BackgroundServer:
    return BackgroundServer(ProxyHandler, target=target_port, received=[]).start()


# -- SMTP (aiosmtpd) ------------------------------------------------------------


class SmtpHandler:
    """Accepts mail into ``messages``; AUTH LOGIN through the authenticator,
    CRAM-MD5 as a handler mechanism."""

    def __init__(self, users: dict[str, str]) -> None:
        self.users = users
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(envelope)
        return "250 OK"

    async def auth_CRAM__MD5(self, server: Any, args: list[str]) -> Any:
        from aiosmtpd.smtp import AuthResult

        challenge = f"<{os.getpid()}.{time.time()}@mailaccounts.test>".encode()
        answer = await server.challenge_auth(challenge)
        if not isinstance(answer, bytes):
            return AuthResult(success=False)
        user, _, digest = answer.decode().rpartition(" ")
        password = self.users.get(user)
        if password is None:
            return AuthResult(success=False, handled=False)
        expected = hmac.new(password.encode(), challenge, hashlib.md5).hexdigest()
        return AuthResult(success=hmac.compare_digest(expected, digest), handled=False)


def smtp_server(
    users: dict[str, str],
    *,
    mode: str = "starttls",
    certificate: KeyPair | None = None,
    exclude: list[str] | None = None,
    smtputf8: bool = False,
    handler: SmtpHandler | None = None,
    auth_line_limit: int | None = None,
) -> tuple[Controller, SmtpHandler, int]:
    """mode: "starttls", "ssl" (implicit TLS) or "none"; *smtputf8* offers
    SMTPUTF8. Returns the started controller, the handler (its ``messages``)
    and the port. User names and passwords are checked as UTF-8.

    *handler*: one with more ``auth_*`` mechanisms (default ``SmtpHandler``);
    *auth_line_limit*: how long AUTH lines and SASL responses may be (default
    aiosmtpd's 512 octets; RFC 4954 §4 says 12,288)."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, LoginPassword

    def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
        if isinstance(data, LoginPassword):
            ok = users.get(data.login.decode()) == data.password.decode()
            return AuthResult(success=ok, handled=False)  # handled=False: send the 535
        return AuthResult(success=False, handled=False)

    context = None
    if certificate is not None:
        folder = Path(tempfile.mkdtemp(prefix="smtp-cert-"))
        cert, key = certificate.write(folder, "smtp")
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert, key)
    handler = handler or SmtpHandler(users)
    port = free_port()
    options: dict[str, Any] = {
        "authenticator": authenticator,
        "auth_require_tls": False,
        "auth_exclude_mechanism": ["PLAIN", *(exclude or [])],
        "enable_SMTPUTF8": smtputf8,
    }
    if mode == "starttls":
        options["tls_context"] = context
        options["require_starttls"] = False
    controller_class = Controller if auth_line_limit is None else _long_auth(auth_line_limit)
    controller = controller_class(
        handler,
        hostname="127.0.0.1",
        port=port,
        ssl_context=context if mode == "ssl" else None,
        server_hostname="localhost",
        ready_timeout=10,
        **options,
    )
    controller.start()
    return controller, handler, port


def _long_auth(limit: int) -> type[Controller]:
    """A Controller whose SMTP takes AUTH lines (and SASL responses) of up to
    *limit* octets; DATA lines stay limited to 1,000 (RFC 5321)."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import SMTP

    class LongAuthSMTP(SMTP):
        line_length_limit = limit + 2  # the stream reader's limit, set in __init__

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.line_length_limit = SMTP.line_length_limit  # DATA lines
            limits: dict[str, int] = collections.defaultdict(lambda: SMTP.command_size_limit)
            limits["AUTH"] = limit
            self.command_size_limits = limits

    class LongAuthController(Controller):
        def factory(self) -> SMTP:
            return LongAuthSMTP(self.handler, **self.SMTP_kwargs)

    return LongAuthController


class BrokenTlsPop3Handler(socketserver.StreamRequestHandler):
    """Offers STLS, agrees to it, then answers the TLS handshake with junk."""

    server: _Server

    def handle(self) -> None:
        state = self.server.state
        self.wfile.write(b"+OK ready\r\n")
        while line := self.rfile.readline():
            state["received"].append(line)
            command = line.strip().upper()
            if command == b"CAPA":
                self.wfile.write(b"+OK\r\nUSER\r\nSTLS\r\n.\r\n")
            elif command == b"STLS":
                self.wfile.write(b"+OK Begin TLS negotiation\r\n")
                self.rfile.read(5)  # the ClientHello begins
                self.wfile.write(b"this is not TLS\r\n" * 4)
                return
            else:
                self.wfile.write(b"-ERR\r\n")


class BrokenTlsSmtpHandler(socketserver.StreamRequestHandler):
    """Offers STARTTLS (and AUTH), agrees to it, then breaks the handshake;
    with ``hide_starttls`` it does not offer STARTTLS at all."""

    server: _Server

    def handle(self) -> None:
        state = self.server.state
        self.wfile.write(b"220 smtp.test ESMTP\r\n")
        while line := self.rfile.readline():
            state["received"].append(line)
            command = line.strip().upper()
            if command.startswith(b"EHLO"):
                tls = b"" if state["hide_starttls"] else b"250-STARTTLS\r\n"
                self.wfile.write(b"250-smtp.test\r\n" + tls + b"250 AUTH LOGIN CRAM-MD5\r\n")
            elif command == b"STARTTLS":
                self.wfile.write(b"220 Ready to start TLS\r\n")
                self.rfile.read(5)
                self.wfile.write(b"\x15\x03\x03\x00\x02\x02\x28")  # a TLS alert: handshake failure
                return
            elif command == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"502 no\r\n")
