"""A small internet on 127.0.0.1 for the automatic configuration's tests:
a DNS server (dnslib) that answers from its zone — A, SRV, MX, NXDOMAIN for
every other name — or never answers at all, and a web server for HTTPS
(with the test CA) and plain HTTP that routes by host name and path.

The domains' own files have URLs without a port, so the HTTPS server
listens on 127.0.0.1:443 (the tests run as root, as Dovecot's do); the DNS
server sends every name the tests use to 127.0.0.1 (``MAILACCOUNTS_DNS``).
Every server stops by itself: bounded loops, timeouts on every socket.
"""

from __future__ import annotations

import contextlib
import errno
import http.server
import socket
import ssl
import tempfile
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dnslib import AAAA, MX, QTYPE, RCODE, RR, SRV, A, DNSRecord
from filelock import FileLock

from tests.support.certs import KeyPair

# -- DNS -------------------------------------------------------------------------


class DnsServer:
    """UDP DNS on 127.0.0.1. Names are compared without case and final dot;
    a name with no record of the asked type answers NOERROR with nothing,
    a name not in the zone NXDOMAIN. ``silent`` servers read and never
    answer. ``queries`` records (name, type) of every question."""

    def __init__(self, *, silent: bool = False) -> None:
        self.silent = silent
        self.zone: dict[str, list[tuple[str, Any]]] = {}
        self.queries: list[tuple[str, str]] = []
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.settimeout(0.1)
        self.port: int = self._sock.getsockname()[1]
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="test-dns", daemon=True)

    @property
    def address(self) -> str:
        """What ``MAILACCOUNTS_DNS`` takes."""
        return f"127.0.0.1:{self.port}"

    def add(self, name: str, kind: str, rdata: Any) -> None:
        self.zone.setdefault(_key(name), []).append((kind, rdata))

    def a(self, *names: str, address: str = "127.0.0.1") -> None:
        for name in names:
            self.add(name, "A", A(address))

    def aaaa(self, name: str, address: str = "::1") -> None:
        self.add(name, "AAAA", AAAA(address))

    def srv(self, name: str, target: str, port: int, priority: int = 0, weight: int = 0) -> None:
        self.add(name, "SRV", SRV(priority, weight, port, target.rstrip(".") + "."))

    def mx(self, name: str, host: str, preference: int = 10) -> None:
        self.add(name, "MX", MX(host.rstrip(".") + ".", preference))

    def exists(self, name: str) -> None:
        """The name exists (NOERROR), with no records."""
        self.zone.setdefault(_key(name), [])

    def start(self) -> DnsServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join(5)
        self._sock.close()

    def _serve(self) -> None:
        while not self._stopped.is_set():
            try:
                data, client = self._sock.recvfrom(4096)
            except TimeoutError:
                continue
            except OSError:
                return
            try:
                request = DNSRecord.parse(data)
            except Exception:
                continue
            name, kind = _key(str(request.q.qname)), QTYPE[request.q.qtype]
            self.queries.append((name, kind))
            if self.silent:
                continue
            reply = request.reply()
            if name not in self.zone:
                reply.header.rcode = RCODE.NXDOMAIN
            for record_kind, rdata in self.zone.get(name, []):
                if record_kind == kind:
                    reply.add_answer(RR(request.q.qname, getattr(QTYPE, kind), rdata=rdata, ttl=60))
            with contextlib.suppress(OSError):
                self._sock.sendto(reply.pack(), client)


def _key(name: str) -> str:
    return name.rstrip(".").lower()


# -- HTTP(S) -------------------------------------------------------------------------


@dataclass
class Request:
    host: str
    path: str
    query: str
    headers: dict[str, str]
    tls: bool


Route = Callable[[http.server.BaseHTTPRequestHandler], None]


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _WebServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0].lower()
        path, _, query = self.path.partition("?")
        web = self.server.web
        web.requests.append(Request(host, path, query, dict(self.headers.items()), web.tls))
        route = web.routes.get((host, path))
        if route is None:
            send(self, 404, b"not here")
            return
        route(self)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _WebServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    web: WebServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that went away (the lookup stopped waiting) is no news

    def finish_request(self, request: Any, client_address: Any) -> None:
        request.settimeout(10)
        if self.web.context is None:
            super().finish_request(request, client_address)
            return
        try:
            wrapped = self.web.context.wrap_socket(request, server_side=True)
        except OSError:  # the client refused the certificate, or went away
            return
        try:
            super().finish_request(wrapped, client_address)
        finally:
            wrapped.close()


def send(
    handler: http.server.BaseHTTPRequestHandler,
    status: int,
    body: bytes,
    headers: dict[str, str] | None = None,
) -> None:
    handler.send_response(status)
    for name, value in {"Content-Length": str(len(body)), **(headers or {})}.items():
        handler.send_header(name, value)
    handler.send_header("Connection", "close")
    handler.end_headers()
    handler.wfile.write(body)


class WebServer:
    """HTTPS (with *certificate*) or HTTP on 127.0.0.1:*port* (0: any free
    one). ``routes`` maps (host, path) to what answers; ``requests`` records
    every request."""

    def __init__(self, certificate: KeyPair | None, port: int = 0) -> None:
        self.tls = certificate is not None
        self.context: ssl.SSLContext | None = None
        if certificate is not None:
            self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            with tempfile.TemporaryDirectory() as folder:
                cert, key = certificate.write(Path(folder), "web")
                self.context.load_cert_chain(cert, key)
        self.routes: dict[tuple[str, str], Route] = {}
        self.requests: list[Request] = []
        self.stopping = threading.Event()
        self._server = _bind(port)
        self._server.web = self
        self.port: int = self._server.server_address[1]
        # stop() waits up to one poll for the serving thread: 0.05 s, not 0.5
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )

    def start(self) -> WebServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()

    def url(self, host: str, path: str) -> str:
        scheme = "https" if self.tls else "http"
        port = "" if (self.tls and self.port == 443) else f":{self.port}"
        return f"{scheme}://{host}{port}{path}"

    def file(self, host: str, path: str, body: bytes | str, status: int = 200) -> None:
        data = body.encode() if isinstance(body, str) else body
        self.routes[(host, path)] = lambda h: send(h, status, data, {"Content-Type": "text/xml"})

    def redirect(self, host: str, path: str, location: str, status: int = 302) -> None:
        self.routes[(host, path)] = lambda h: send(h, status, b"", {"Location": location})

    def silent(self, host: str, path: str) -> None:
        """Reads the request and never answers (until the test ends, 30 s at most)."""

        def route(handler: http.server.BaseHTTPRequestHandler) -> None:
            self.stopping.wait(30)

        self.routes[(host, path)] = route

    def trickle(self, host: str, path: str, seconds: float = 30.0) -> None:
        """Answers 200 and then a byte every 0.2 s: no read ever times out."""

        def route(handler: http.server.BaseHTTPRequestHandler) -> None:
            handler.send_response(200)
            handler.send_header("Content-Length", "1000000")
            handler.end_headers()
            ends = time.monotonic() + seconds
            while time.monotonic() < ends and not self.stopping.wait(0.2):
                handler.wfile.write(b" ")
                handler.wfile.flush()

        self.routes[(host, path)] = route

    def endless(self, host: str, path: str, limit: int = 8 * 1024 * 1024) -> None:
        """Answers 200 without a length and sends up to *limit* bytes."""

        def route(handler: http.server.BaseHTTPRequestHandler) -> None:
            handler.send_response(200)
            handler.send_header("Connection", "close")
            handler.end_headers()
            chunk = b"<clientConfig>" + b" " * 65536
            sent = 0
            while sent < limit and not self.stopping.is_set():
                handler.wfile.write(chunk)
                sent += len(chunk)
            handler.close_connection = True

        self.routes[(host, path)] = route


def _bind(port: int) -> _WebServer:
    """Port 443 may still be held by a server of a test that just ended."""
    deadline = time.monotonic() + 10
    while True:
        try:
            return _WebServer(("127.0.0.1", port), _Handler)
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE or time.monotonic() > deadline:
                raise
            time.sleep(0.1)


# -- configuration files ---------------------------------------------------------------


@dataclass
class Server:
    """One incomingServer or outgoingServer of a clientConfig file."""

    kind: str
    hostname: str
    port: int
    socket_type: str = "SSL"
    username: str = "%EMAILADDRESS%"
    authentication: list[str] = field(default_factory=lambda: ["password-cleartext"])

    def xml(self) -> str:
        element = "outgoingServer" if self.kind == "smtp" else "incomingServer"
        auth = "".join(f"<authentication>{a}</authentication>" for a in self.authentication)
        return (
            f'<{element} type="{self.kind}"><hostname>{self.hostname}</hostname>'
            f"<port>{self.port}</port><socketType>{self.socket_type}</socketType>"
            f"<username>{self.username}</username>{auth}</{element}>"
        )


def client_config(*servers: Server, domain: str = "firma.example") -> str:
    body = "".join(server.xml() for server in servers)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<clientConfig version="1.1">'
        f'<emailProvider id="{domain}"><domain>{domain}</domain>'
        f"<displayName>Test</displayName>{body}</emailProvider></clientConfig>"
    )


def pop3_smtp(pop3: str, smtp: str, *, pop3_port: int = 995, smtp_port: int = 465) -> str:
    """A file with one POP3 (implicit TLS) and one SMTP server (implicit TLS)."""
    return client_config(Server("pop3", pop3, pop3_port), Server("smtp", smtp, smtp_port))


OWN_PATH = "/mail/config-v1.1.xml"
WELL_KNOWN_PATH = "/.well-known/autoconfig/mail/config-v1.1.xml"
ISPDB_HOST = "ispdb.example"
ISPDB_PATH = "/v1.1/"
REAL_ISPDB = Path(__file__).resolve().parent.parent / "fixtures" / "ispdb"
"""Copies of real ISPDB files (see its README)."""


@dataclass
class MailNet:
    """The DNS server, the HTTPS server on 443 and the environment that
    points the lookup at them."""

    dns: DnsServer
    web: WebServer
    env: dict[str, str]

    def own(self, domain: str, body: str | bytes, *, well_known: bool = False) -> None:
        """The domain's own file: at autoconfig.<domain>, or at .well-known."""
        host, path = (domain, WELL_KNOWN_PATH) if well_known else (f"autoconfig.{domain}", OWN_PATH)
        self.dns.a(host)
        self.web.file(host, path, body)

    def ispdb(self, domain: str, body: str | bytes) -> None:
        self.web.file(ISPDB_HOST, ISPDB_PATH + domain, body)

    def real_ispdb(self) -> list[str]:
        """Serve the real ISPDB files of ``tests/fixtures/ispdb`` (unchanged),
        each under every ``<domain>`` it lists, as the ISPDB's server does;
        the domains served."""
        served = []
        for path in sorted(REAL_ISPDB.glob("*.xml")):
            body = path.read_bytes()
            for element in ET.fromstring(body).iter("domain"):
                domain = (element.text or "").strip().lower()
                self.ispdb(domain, body)
                served.append(domain)
        return served


@contextlib.contextmanager
def mail_net(
    certificate: KeyPair, *, timeouts: str = "total=5,request=3,probe=1"
) -> Iterator[MailNet]:
    """Start the servers; the environment to set is ``MailNet.env``. One
    test process at a time has port 443 (``PORT_443_LOCK``): the others
    wait for it, so test processes in parallel (``scripts/test --quick``)
    never reach each other's web server."""
    with FileLock(PORT_443_LOCK, timeout=300), _mail_net(certificate, timeouts) as net:
        yield net


PORT_443_LOCK = Path(tempfile.gettempdir()) / "mailaccounts-tests-port443.lock"


@contextlib.contextmanager
def _mail_net(certificate: KeyPair, timeouts: str) -> Iterator[MailNet]:
    dns = DnsServer().start()
    web = WebServer(certificate, 443).start()
    dns.a(ISPDB_HOST, "localhost")
    env = {
        "MAILACCOUNTS_DNS": dns.address,
        "MAILACCOUNTS_ISPDB_URL": f"https://{ISPDB_HOST}{ISPDB_PATH}",
        "MAILACCOUNTS_AUTOCONFIG_TIMEOUTS": timeouts,
    }
    try:
        yield MailNet(dns, web, env)
    finally:
        web.stop()
        dns.stop()
