"""The lookup's DNS (``autoconfig/resolver.py``) against the test DNS server
on 127.0.0.1 (``tests/support/autoconfig_net.py``): the records as the
lookup uses them, and each way a DNS answer fails as its own problem."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from mailaccounts.autoconfig.resolver import DNS_VARIABLE, Record, Resolver, parse_server
from mailaccounts.net.report import NetError
from tests.support.autoconfig_net import DnsServer


@pytest.fixture
def dns() -> Iterator[DnsServer]:
    server = DnsServer().start()
    yield server
    server.stop()


@pytest.fixture
def silent_dns() -> Iterator[DnsServer]:
    server = DnsServer(silent=True).start()
    yield server
    server.stop()


def resolver(server: DnsServer) -> Resolver:
    return Resolver.from_env({DNS_VARIABLE: server.address})


def failure(call: object) -> NetError:
    with pytest.raises(NetError) as info:
        call()  # type: ignore[operator]
    return info.value


@pytest.mark.parametrize(
    ("text", "server"),
    [
        ("127.0.0.1:5353", ("127.0.0.1", 5353)),
        (" 10.0.0.53 ", ("10.0.0.53", 53)),
        ("[::1]:5353", ("::1", 5353)),
        ("[::1]", ("::1", 53)),
        ("::1", ("::1", 53)),
        ("dns.firma.example:53", ("dns.firma.example", 53)),
    ],
)
def test_a_server_is_host_and_port(text: str, server: tuple[str, int]) -> None:
    assert parse_server(text) == server


@pytest.mark.parametrize("text", ["", ":53", "h:0", "h:65536", "h:x", "[::1]53", "h:-1"])
def test_anything_else_names_the_variable(text: str) -> None:
    with pytest.raises(ValueError, match=DNS_VARIABLE):
        parse_server(text)


def test_without_the_variable_the_system_resolves() -> None:
    assert Resolver.from_env({}).server is None
    assert Resolver.from_env({DNS_VARIABLE: "  "}).server is None
    assert Resolver.from_env({DNS_VARIABLE: "127.0.0.1:5300"}).server == ("127.0.0.1", 5300)


def test_srv_and_mx_records_as_the_lookup_uses_them(dns: DnsServer) -> None:
    dns.srv("_pop3s._tcp.firma.example", "POP.Firma.Example.", 995, priority=10, weight=5)
    dns.srv("_submission._tcp.firma.example", ".", 0)
    dns.mx("firma.example", "mx1.firma.example", 20)
    found = resolver(dns)
    assert found.srv("_pop3s._tcp.firma.example.", 2) == [Record("pop.firma.example", 995, 10, 5)]
    assert found.srv("_submission._tcp.firma.example.", 2) == [Record(".", 0, 0, 0)]
    assert found.mx("firma.example.", 2) == [Record("mx1.firma.example", 0, 20)]
    assert ("_pop3s._tcp.firma.example", "SRV") in dns.queries


def test_a_name_that_does_not_exist_and_one_without_records_differ(dns: DnsServer) -> None:
    dns.exists("firma.example")
    found = resolver(dns)
    assert failure(lambda: found.mx("nowhere.example.", 2)).problem.code == "autoconfig_nxdomain"
    problem = failure(lambda: found.mx("firma.example.", 2)).problem
    assert (problem.code, problem.params) == ("autoconfig_no_records", {"type": "MX"})


def test_a_silent_server_is_a_timeout_within_the_lifetime(silent_dns: DnsServer) -> None:
    started = time.monotonic()
    problem = failure(lambda: resolver(silent_dns).srv("_pop3s._tcp.firma.example.", 0.3)).problem
    assert (problem.code, problem.params) == ("autoconfig_dns_timeout", {"seconds": "0.3"})
    assert time.monotonic() - started < 2


def test_addresses_ipv4_first_and_ipv6_only_without_it(dns: DnsServer) -> None:
    dns.a("pop.firma.example", address="192.0.2.7")
    dns.aaaa("pop.firma.example", "2001:db8::7")
    dns.aaaa("v6.firma.example", "2001:db8::6")
    found = resolver(dns)
    assert found.addresses("pop.firma.example", 2) == ["192.0.2.7"]
    assert found.addresses("v6.firma.example", 2) == ["2001:db8::6"]
    asked = [kind for name, kind in dns.queries if name == "pop.firma.example"]
    assert asked == ["A"]  # found: AAAA is not asked for


def test_a_host_not_found_asks_once(dns: DnsServer) -> None:
    problem = failure(lambda: resolver(dns).addresses("nowhere.example", 2)).problem
    assert (problem.code, problem.params) == ("dns_not_found", {"host": "nowhere.example"})
    assert [kind for name, kind in dns.queries if name == "nowhere.example"] == ["A"]


def test_a_silent_server_asked_for_addresses_is_a_timeout(silent_dns: DnsServer) -> None:
    problem = failure(lambda: resolver(silent_dns).addresses("pop.firma.example", 0.3)).problem
    assert (problem.code, problem.params) == (
        "timed_out",
        {"host": "pop.firma.example", "seconds": "0.3"},
    )


def test_the_system_resolver_answers_for_address_literals() -> None:
    assert Resolver().addresses("127.0.0.1", 2) == ["127.0.0.1"]
    assert Resolver().addresses("::1", 2) == ["::1"]
