"""Tiny hostile servers on 127.0.0.1 that say exactly what a test scripts:
a greeting, and a canned answer per command. They stand in for a server
that sends markup, terminal escapes or other text meant to mislead an admin.

    server = ScriptedServer(b"-ERR <h1>ALL STEPS PASSED</h1>\\r\\n").start()
    ...  # connect to 127.0.0.1:server.port
    server.stop()
"""

from __future__ import annotations

import datetime as dt
import socket
import ssl
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.support.certs import KeyPair, _pair
from tests.support.listener import LoopbackListener


class ScriptedServer:
    """Sends *greeting* to every connection, then answers each line it
    receives with ``replies[first word, upper case]`` (or *default*); QUIT is
    answered and ends the connection. With *certificate*, TLS starts at once
    (like POP3S). Every received line is kept in ``received``."""

    def __init__(
        self,
        greeting: bytes,
        replies: Mapping[bytes, bytes] | None = None,
        *,
        default: bytes = b"-ERR not scripted\r\n",
        certificate: KeyPair | None = None,
    ) -> None:
        self.greeting = greeting
        self.replies = dict(replies or {})
        self.default = default
        self.received: list[bytes] = []
        self._context: ssl.SSLContext | None = None
        if certificate is not None:
            self._context = _server_context(certificate)
        self._listener = LoopbackListener(self._serve, name="scripted-server")
        self.port: int = self._listener.port

    def start(self) -> ScriptedServer:
        self._listener.start()
        return self

    def stop(self) -> None:
        self._listener.stop()

    def __enter__(self) -> ScriptedServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _serve(self, raw: socket.socket) -> None:
        raw.settimeout(10)
        conn = raw
        try:
            if self._context is not None:
                conn = self._context.wrap_socket(
                    raw, server_side=True, do_handshake_on_connect=False
                )
                conn.do_handshake()  # fails when the client refuses the certificate
            conn.sendall(self.greeting)
            for line in _lines(conn):
                self.received.append(line)
                command = line.split(b" ", 1)[0].upper()
                conn.sendall(self.replies.get(command, self.default))
                if command == b"QUIT":
                    return
        except OSError:  # the client went away (ssl.SSLError is an OSError)
            pass
        finally:
            conn.close()
            raw.close()


def _lines(conn: socket.socket) -> Iterator[bytes]:
    buffer = b""
    while True:
        chunk = conn.recv(4096)
        if not chunk:
            return
        buffer += chunk
        while b"\n" in buffer:
            line, _, buffer = buffer.partition(b"\n")
            yield line.rstrip(b"\r")


def _server_context(certificate: KeyPair) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    with tempfile.TemporaryDirectory() as folder:
        cert, key = certificate.write(Path(folder), "server")
        context.load_cert_chain(cert, key)
    return context


def certificate_named(subject: str, issuer: str) -> KeyPair:
    """A self-made (untrusted) certificate for 127.0.0.1 and localhost whose
    subject and issuer common names are whatever a hostile server likes."""
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
        .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName("localhost")]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    return _pair(cert, key)
