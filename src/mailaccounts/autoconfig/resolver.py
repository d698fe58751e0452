"""DNS for the lookup, through dnspython (imported here, when a lookup runs).

``MAILACCOUNTS_DNS=HOST:PORT`` sends every query there — SRV, MX and the
addresses of the hosts the lookup connects to (the HTTPS fetches, the
probes) — for a company DNS server, or for tests. Without it, SRV and MX go
to the servers of the system's resolver configuration and addresses come
from the system's resolver (``getaddrinfo``: /etc/hosts included).
"""

from __future__ import annotations

import ipaddress
import os
import queue
import socket
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import dns.exception
import dns.name
import dns.resolver

from ..net.report import NetError
from ..net.transport import system_lookup

DNS_VARIABLE = "MAILACCOUNTS_DNS"


def parse_server(text: str) -> tuple[str, int]:
    """``HOST:PORT``, ``HOST`` (port 53), ``[IPv6]:PORT``; ValueError otherwise."""
    text = text.strip()
    host, port = text, "53"
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        if rest:
            if not rest.startswith(":"):
                raise ValueError(f"{DNS_VARIABLE}: {text!r} is not HOST:PORT")
            port = rest[1:]
    elif text.count(":") == 1:
        host, port = text.split(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"{DNS_VARIABLE}: {text!r} is not HOST:PORT")
    return host, int(port)


@dataclass(frozen=True)
class Record:
    """What an SRV or MX answer holds, as the lookup uses it."""

    target: str
    """Without the final dot; "." when the record says "not offered"."""
    port: int = 0
    priority: int = 0
    weight: int = 0


class Resolver:
    def __init__(self, server: tuple[str, int] | None = None) -> None:
        self.server = server
        """None: the system's resolver."""

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> Resolver:
        text = environ.get(DNS_VARIABLE, "").strip()
        if not text:
            return cls()
        host, port = parse_server(text)
        try:
            ipaddress.ip_address(host)
        except ValueError:
            try:
                host = str(socket.getaddrinfo(host, port, type=socket.SOCK_DGRAM)[0][4][0])
            except OSError:
                raise ValueError(f"{DNS_VARIABLE}: the host {host!r} was not found") from None
        return cls((host, port))

    def _dnspython(self, lifetime: float) -> Any:
        if self.server is None:
            try:
                resolver = dns.resolver.Resolver()
            except dns.resolver.NoResolverConfiguration:
                raise NetError(
                    "autoconfig_dns_failed", reason="the system has no DNS servers configured"
                ) from None
        else:
            resolver = dns.resolver.Resolver(configure=False)
            resolver.nameservers = [self.server[0]]
            resolver.port = self.server[1]
        resolver.timeout = resolver.lifetime = max(lifetime, 0.01)
        resolver.cache = None
        return resolver

    def query(self, name: str, rdtype: str, lifetime: float) -> list[Any]:
        """The records of type *rdtype* at *name* (ASCII, absolute). Raises
        NetError: autoconfig_nxdomain, autoconfig_no_records,
        autoconfig_dns_timeout, autoconfig_dns_failed."""
        resolver = self._dnspython(lifetime)
        try:
            answer = resolver.resolve(
                dns.name.from_text(name), rdtype, search=False, lifetime=max(lifetime, 0.01)
            )
        except dns.resolver.NXDOMAIN:
            raise NetError("autoconfig_nxdomain") from None
        except dns.resolver.NoAnswer:
            raise NetError("autoconfig_no_records", type=rdtype) from None
        except dns.exception.Timeout:
            raise NetError("autoconfig_dns_timeout", seconds=_seconds(lifetime)) from None
        except dns.resolver.NoNameservers:
            raise NetError(
                "autoconfig_dns_failed", reason="no DNS server could answer (SERVFAIL or REFUSED)"
            ) from None
        except dns.exception.DNSException as exc:
            raise NetError("autoconfig_dns_failed", reason=str(exc)[:200]) from None
        return list(answer)

    def srv(self, name: str, lifetime: float) -> list[Record]:
        return [
            Record(_name(r.target), int(r.port), int(r.priority), int(r.weight))
            for r in self.query(name, "SRV", lifetime)
        ]

    def mx(self, name: str, lifetime: float) -> list[Record]:
        return [
            Record(_name(r.exchange), 0, int(r.preference))
            for r in self.query(name, "MX", lifetime)
        ]

    def addresses(self, host: str, lifetime: float) -> list[str]:
        """The IP addresses of *host* (ASCII), IPv4 first. NetError
        dns_not_found or timed_out."""
        if self.server is None:
            return _system_addresses(host, lifetime)
        found: list[str] = []
        for rdtype in ("A", "AAAA"):
            try:
                found += [r.address for r in self.query(host, rdtype, lifetime)]
            except NetError as exc:
                if exc.problem.code == "autoconfig_dns_timeout":
                    raise NetError("timed_out", host=host, seconds=_seconds(lifetime)) from None
                if exc.problem.code != "autoconfig_no_records":
                    break  # NXDOMAIN: AAAA will not exist either
            if found:
                break
        if not found:
            raise NetError("dns_not_found", host=host)
        return found


def _name(name: Any) -> str:
    text = str(name.to_text(omit_final_dot=True)).lower()
    return text or "."


def _seconds(value: float) -> str:
    return f"{value:g}"


def _system_addresses(host: str, lifetime: float) -> list[str]:
    """getaddrinfo on a thread of its own, so a slow resolver cannot hold
    the lookup past its time."""
    try:
        found = system_lookup(host, None).get(timeout=max(lifetime, 0.01))
    except queue.Empty:
        raise NetError("timed_out", host=host, seconds=_seconds(lifetime)) from None
    if isinstance(found, OSError):
        raise NetError("dns_not_found", host=host)
    addresses = list(dict.fromkeys(str(info[4][0]) for info in found))
    return sorted(addresses, key=lambda a: ":" in a)
