"""The lookup: every source at once, the best answer wins.

Ranking, best first: the domain's own file (``autoconfig.<domain>``, then
``<domain>/.well-known``), the ISPDB, SRV records, the ISPDB entry of the
MX host's domain. The lookup ends as soon as every source ranked above the
best answer so far has finished (the rest are reported as skipped), when
every source has finished, when it is cancelled, or when ``Limits.total``
is over — whatever the network does, it returns by then. Then the winner's
servers are probed without credentials (reported, never a reason to drop
them); without a winner, common host names are probed, and the best that
answer are proposed as a guess.

Every value a source proposes is checked by the model; a value it refuses
is dropped and reported. Threads are daemons and every socket is shut down
when its phase ends, so nothing outlives the lookup for long.
"""

from __future__ import annotations

import itertools
import os
import queue
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any
from urllib.parse import quote

from ..model.core import POP3_DEFAULT_PORTS, SMTP_DEFAULT_PORTS
from ..model.problems import Problem, Severity
from ..model.validation import address_problem as address_problem  # the lookup checks it first
from ..model.validation import validate_account
from ..net.report import NetError
from ..net.transport import CancelToken, wire_name
from . import clientconfig
from .connect import Scope
from .https import fetch
from .probe import Answer, probe
from .resolver import Record, Resolver
from .result import SOURCES, Attempt, Limits, Pop3Proposal, Proposal, Result, SmtpProposal

ISPDB_VARIABLE = "MAILACCOUNTS_ISPDB_URL"
DEFAULT_ISPDB = "https://autoconfig.thunderbird.net/v1.1/"

SRV_SERVICES = (
    ("_pop3s._tcp", "pop3", "ssl"),
    ("_pop3._tcp", "pop3", "starttls"),
    ("_submissions._tcp", "smtp", "ssl"),
    ("_submission._tcp", "smtp", "starttls"),
)
"""RFC 6186 and RFC 8314, implicit TLS first."""

GUESS_PORTS: dict[str, tuple[tuple[str, int], ...]] = {
    "pop3": (("ssl", POP3_DEFAULT_PORTS["ssl"]), ("starttls", POP3_DEFAULT_PORTS["starttls"])),
    "smtp": (("ssl", SMTP_DEFAULT_PORTS["ssl"]), ("starttls", SMTP_DEFAULT_PORTS["starttls"])),
}
"""What a guess probes on each host name, implicit TLS first. A guess never
proposes a server without TLS."""

_SECOND_LEVEL = {"ac", "co", "com", "edu", "gov", "govt", "ltd", "ne", "net", "or", "org", "plc"}

Listener = Callable[[Attempt], None]
"""Told of each attempt as it begins and as it ends (on the lookup's threads)."""


def ispdb_base(environ: Mapping[str, str] = os.environ) -> str:
    return environ.get(ISPDB_VARIABLE, "").strip() or DEFAULT_ISPDB


def base_domain(host: str) -> str:
    """The registrable domain of a host name, by a rule of thumb (no public
    suffix list): the last two labels, or three under a country's usual
    second level (``mx.provider.co.uk`` → ``provider.co.uk``)."""
    labels = host.lower().rstrip(".").split(".")
    keep = 3 if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL else 2
    return ".".join(labels[-keep:])


def mx_domains(host: str) -> list[str]:
    """The names under which the ISPDB may know an MX host, most specific
    first: the host without its first label, where that is more than the
    registrable domain (providers list the zone of their MX hosts: Microsoft
    365's ``mail.protection.outlook.com`` for ``firma-de.mail.protection.outlook.com``,
    whose registrable domain is Outlook.com's), then the registrable domain."""
    labels = host.lower().rstrip(".").split(".")
    domain = base_domain(host)
    parent = ".".join(labels[1:])
    return [parent, domain] if len(labels) - 1 > domain.count(".") + 1 else [domain]


def lookup(
    address: str,
    *,
    cancel: CancelToken | None = None,
    limits: Limits | None = None,
    resolver: Resolver | None = None,
    ispdb_url: str | None = None,
    probe_servers: bool = True,
    listener: Listener | None = None,
    guess_ports: Mapping[str, Sequence[tuple[str, int]]] | None = None,
) -> Result:
    """Find the POP3 and SMTP settings of *address* (valid: see
    ``address_problem``). *resolver*, *limits* and *ispdb_url* default to
    what the environment says (``MAILACCOUNTS_DNS``,
    ``MAILACCOUNTS_AUTOCONFIG_TIMEOUTS``, ``MAILACCOUNTS_ISPDB_URL``)."""
    run = _Lookup(
        address.strip(),
        limits or Limits.from_env(),
        resolver or Resolver.from_env(),
        ispdb_url if ispdb_url is not None else ispdb_base(),
        cancel or CancelToken(),
        listener,
        guess_ports or GUESS_PORTS,
    )
    return run.run(probe_servers)


class _Lookup:
    def __init__(
        self,
        address: str,
        limits: Limits,
        resolver: Resolver,
        ispdb: str,
        cancel: CancelToken,
        listener: Listener | None,
        guess_ports: Mapping[str, Sequence[tuple[str, int]]],
    ) -> None:
        self.address = address
        self.domain = address.rpartition("@")[2]
        self.ascii_domain = wire_name(self.domain.rstrip(".")).lower()
        self.limits, self.resolver, self.ispdb = limits, resolver, ispdb
        self.cancel, self.listener, self.guess_ports = cancel, listener, guess_ports
        self.ends = time.monotonic() + limits.total
        self._lock = threading.Lock()
        self._attempts: list[Attempt] = []
        self._ids = itertools.count(1)
        self._started: dict[int, float] = {}
        self.mx_hosts: list[str] = []

    # -- attempts -------------------------------------------------------------

    def begin(self, scope: Scope, source: str, query: str) -> Attempt:
        """A new attempt of the phase *scope* belongs to; one begun after its
        phase ended is not reported."""
        attempt = Attempt(next(self._ids), source, query)
        with self._lock:
            if scope.stop.cancelled:
                return attempt
            self._started[attempt.id] = time.monotonic()
            self._attempts.append(attempt)
        self._tell(attempt)
        return attempt

    def finish(
        self,
        attempt: Attempt,
        code: str,
        params: Mapping[str, Any] | None = None,
        inner: Problem | None = None,
    ) -> None:
        with self._lock:
            if not attempt.running or attempt.id not in self._started:
                return  # closed by the end of its phase meanwhile, or never reported
            self._record(attempt, code, params, inner)
        self._tell(attempt)

    def _record(
        self,
        attempt: Attempt,
        code: str,
        params: Mapping[str, Any] | None = None,
        inner: Problem | None = None,
    ) -> None:
        """Set *attempt*'s outcome; the caller holds the lock."""
        attempt.ms = round((time.monotonic() - self._started[attempt.id]) * 1000)
        attempt.code, attempt.params, attempt.inner = code, dict(params or {}), inner

    def failed(self, attempt: Attempt, error: NetError) -> None:
        self.finish(attempt, error.problem.code, error.problem.params)

    def _end_phase(self, scope: Scope, code: str, params: Mapping[str, Any] | None = None) -> None:
        """Stop *scope*'s work and give what still runs the outcome *code*.
        One step under the lock: a worker woken by the cancel reports its
        socket's "cancelled" only after its attempt already has the real reason
        (then ``finish`` ignores it), and no attempt of the phase begins after."""
        with self._lock:
            scope.stop.cancel()  # wakes every socket of this phase
            closed = [a for a in self._attempts if a.running]
            for attempt in closed:
                self._record(attempt, code, params)
        for attempt in closed:
            self._tell(attempt)

    def _tell(self, attempt: Attempt) -> None:
        if self.listener is not None:
            self.listener(replace(attempt, params=dict(attempt.params)))

    # -- phases -----------------------------------------------------------------

    def run(self, probe_servers: bool) -> Result:
        winner = self._phase(
            [
                self._own_subdomain,
                self._own_well_known,
                self._ispdb,
                self._srv,
                self._mx,
            ],
            early=True,
        )
        proposal = winner[min(winner)] if winner else None
        if not self._over() and probe_servers:
            if proposal is not None:
                named = proposal
                self._phase([lambda scope: self._probe_named(named, scope)], early=False)
            else:
                guessed = self._phase([self._guess], early=False)
                proposal = guessed.get(0)
        if self.cancel.cancelled:
            proposal = None  # whatever had come: the admin said stop
        order = {source: rank for rank, source in enumerate((*SOURCES, "probe"))}
        with self._lock:
            tried = [replace(a, params=dict(a.params)) for a in self._attempts]
        tried.sort(key=lambda a: (order.get(a.source, len(order)), a.id))
        return Result(self.address, proposal, tried, self.cancel.cancelled)

    def _over(self) -> bool:
        return self.cancel.cancelled or time.monotonic() >= self.ends

    def _phase(
        self, tasks: Sequence[Callable[[Scope], Proposal | None]], early: bool
    ) -> dict[int, Proposal]:
        """Run *tasks* at once; their proposals by rank (index). With *early*,
        stop once every task ranked above the best proposal has finished."""
        scope = Scope(self.resolver, self.ends, CancelToken())
        done: queue.Queue[tuple[int, Proposal | None]] = queue.Queue()

        def work(rank: int, task: Callable[[Scope], Proposal | None]) -> None:
            try:
                result = task(scope)
            except Exception:  # a bug in a source must not hang the lookup
                result = None
            done.put((rank, result))

        for rank, task in enumerate(tasks):
            threading.Thread(
                target=work, args=(rank, task), name=f"autoconfig-{rank}", daemon=True
            ).start()
        pending = set(range(len(tasks)))
        found: dict[int, Proposal] = {}
        while pending and not self._over():
            try:
                rank, proposal = done.get(timeout=min(0.05, max(0.0, self.ends - time.monotonic())))
            except queue.Empty:
                continue
            pending.discard(rank)
            if proposal is not None:
                found[rank] = proposal
            if early and found and pending.isdisjoint(range(min(found))):
                break
        if self.cancel.cancelled:
            self._end_phase(scope, "cancelled")
        elif pending and time.monotonic() >= self.ends:
            self._end_phase(scope, "autoconfig_stopped", {"seconds": f"{self.limits.total:g}"})
        else:
            self._end_phase(scope, "autoconfig_skipped")
        return found

    # -- sources ----------------------------------------------------------------

    def _own_subdomain(self, scope: Scope) -> Proposal | None:
        url = (
            f"https://autoconfig.{self.ascii_domain}/mail/config-v1.1.xml"
            f"?emailaddress={quote(self.address, safe='')}"
        )
        return self._from_file("autoconfig", url, scope)

    def _own_well_known(self, scope: Scope) -> Proposal | None:
        url = f"https://{self.ascii_domain}/.well-known/autoconfig/mail/config-v1.1.xml"
        return self._from_file("autoconfig", url, scope)

    def _ispdb(self, scope: Scope) -> Proposal | None:
        return self._from_file("ispdb", self.ispdb + self.ascii_domain, scope)

    def _from_file(self, source: str, url: str, scope: Scope) -> Proposal | None:
        attempt = self.begin(scope, source, url)
        try:
            fetched = fetch(url, scope, self.limits.request)
            found = clientconfig.settings(fetched.body, self.address)
        except NetError as exc:
            self.failed(attempt, exc)
            return None
        proposal = None
        if found.pop3 is not None:
            proposal = self._checked(
                scope,
                source,
                fetched.url,
                found.pop3,
                found.smtp,
                fetched.insecure_url,
                attempt,
                found.oauth2,
            )
        if proposal is not None:
            proposal = replace(proposal, leave_on_server=found.leave_on_server)
        if proposal is None:
            if found.imap_only:
                self.finish(attempt, "autoconfig_imap_only")
            elif found.unusable == (clientconfig.OAUTH2,):
                self.finish(attempt, "autoconfig_oauth2_unknown")
            elif found.unusable:
                self.finish(attempt, "autoconfig_unusable", {"methods": ", ".join(found.unusable)})
            else:
                self.finish(attempt, "autoconfig_no_pop3")
            return None
        self.finish(attempt, *_found(proposal))
        return proposal

    def _srv(self, scope: Scope) -> Proposal | None:
        answers: dict[str, list[Record]] = {}

        def ask(service: str) -> None:
            name = f"{service}.{self.ascii_domain}"
            attempt = self.begin(scope, "srv", f"{name} SRV")
            try:
                records = self.resolver.srv(name, scope.budget(self.limits.request))
            except NetError as exc:
                self.failed(attempt, exc)
                return
            answers[service] = records
            offered = [r for r in records if r.target != "."]
            if not offered:
                self.finish(attempt, "autoconfig_not_offered")
                return
            listed = "; ".join(
                f"{r.priority} {r.weight} {r.port} {r.target}" for r in _by_preference(offered)
            )
            self.finish(attempt, "autoconfig_records", {"records": listed})

        threads = [
            threading.Thread(target=ask, args=(service,), daemon=True)
            for service, _, _ in SRV_SERVICES
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(scope.left())
        chosen: dict[str, tuple[str, str, Record]] = {}
        for service, protocol, security in SRV_SERVICES:
            offered = [r for r in answers.get(service, []) if r.target != "."]
            if offered and protocol not in chosen:
                chosen[protocol] = (service, security, _by_preference(offered)[0])
        if "pop3" not in chosen:
            return None
        service, security, record = chosen["pop3"]
        pop3 = {
            "server": record.target,
            "port": record.port,
            "security": security,
            "username": self.address,
            "spa": False,
        }
        origins = [f"{service}.{self.ascii_domain}"]
        smtp = None
        if "smtp" in chosen:
            service, security, record = chosen["smtp"]
            origins.append(f"{service}.{self.ascii_domain}")
            smtp = {
                "server": record.target,
                "port": record.port,
                "security": security,
                "auth": {"required": True, "method": "login", "username": self.address},
            }
        return self._checked(scope, "srv", ", ".join(origins), pop3, smtp, None, None)

    def _mx(self, scope: Scope) -> Proposal | None:
        attempt = self.begin(scope, "mx", f"{self.ascii_domain} MX")
        try:
            records = self.resolver.mx(self.ascii_domain, scope.budget(self.limits.request))
        except NetError as exc:
            self.failed(attempt, exc)
            return None
        hosts = [r.target for r in _by_preference(records) if r.target != "."]
        if not hosts:
            self.finish(attempt, "autoconfig_null_mx")
            return None
        self.mx_hosts = hosts
        domains = mx_domains(hosts[0])
        if domains[-1] == self.ascii_domain:
            self.finish(attempt, "autoconfig_mx_own", {"host": hosts[0]})
            return None
        if len(domains) == 1:
            self.finish(attempt, "autoconfig_mx", {"host": hosts[0], "domain": domains[0]})
        else:
            self.finish(
                attempt, "autoconfig_mx_domains", {"host": hosts[0], "domains": ", ".join(domains)}
            )
        for domain in domains:
            proposal = self._from_file("mx", self.ispdb + domain, scope)
            if proposal is not None or scope.stop.cancelled:
                return proposal
        return None

    # -- probing ------------------------------------------------------------------

    def _probe_named(self, proposal: Proposal, scope: Scope) -> None:
        """Ask the proposal's servers for their greeting; whatever they say,
        the proposal stands (they may only be unreachable from here)."""
        servers: list[tuple[str, str, int, str]] = [
            ("pop3", proposal.pop3.server, proposal.pop3.port, proposal.pop3.security)
        ]
        if proposal.smtp is not None:
            smtp = proposal.smtp
            servers.append(("smtp", smtp.server, smtp.port, smtp.security))
        self._probe_all("probe", servers, scope)

    def _guess(self, scope: Scope) -> Proposal | None:
        domain = self.ascii_domain
        mx = self.mx_hosts[:1]
        names = {
            "pop3": list(dict.fromkeys([f"pop.{domain}", f"pop3.{domain}", f"mail.{domain}", *mx])),
            "smtp": list(dict.fromkeys([f"smtp.{domain}", f"mail.{domain}", *mx])),
        }
        servers = [
            (protocol, host, port, security)
            for protocol, hosts in names.items()
            for security, port in self.guess_ports.get(protocol, ())
            for host in hosts
        ]
        answers = self._probe_all("guess", servers, scope)
        best: dict[str, tuple[str, int, str, Answer]] = {}
        for protocol, host, port, security in servers:  # in order of preference
            answer = answers.get((protocol, host, port, security))
            if answer is not None and protocol not in best:
                best[protocol] = (host, port, security, answer)
        if "pop3" not in best:
            return None
        host, port, security, _ = best["pop3"]
        pop3 = {
            "server": host,
            "port": port,
            "security": security,
            "username": self.address,
            "spa": False,
        }
        origins = [f"{host}:{port}"]
        smtp = None
        if "smtp" in best:
            host, port, security, answer = best["smtp"]
            mechanisms = answer.smtp_auth()
            method = (
                "cram-md5"
                if "CRAM-MD5" in mechanisms and not ({"LOGIN", "PLAIN"} & set(mechanisms))
                else "login"
            )
            origins.append(f"{host}:{port}")
            smtp = {
                "server": host,
                "port": port,
                "security": security,
                "auth": {"required": True, "method": method, "username": self.address},
            }
        return self._checked(scope, "guess", ", ".join(origins), pop3, smtp, None, None)

    def _probe_all(
        self, source: str, servers: Sequence[tuple[str, str, int, str]], scope: Scope
    ) -> dict[tuple[str, str, int, str], Answer]:
        answers: dict[tuple[str, str, int, str], Answer] = {}

        def ask(server: tuple[str, str, int, str]) -> None:
            protocol, host, port, security = server
            attempt = self.begin(scope, source, f"{protocol.upper()} {host}:{port} ({security})")
            try:
                answer = probe(protocol, host, port, security, scope, self.limits.probe)
            except NetError as exc:
                self.failed(attempt, exc)
                return
            answers[server] = answer
            self.finish(attempt, "autoconfig_answers", {"greeting": answer.greeting})

        threads = [threading.Thread(target=ask, args=(s,), daemon=True) for s in servers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(scope.left())
        return dict(answers)

    # -- checking -----------------------------------------------------------------

    def _checked(
        self,
        scope: Scope,
        source: str,
        origin: str,
        pop3: dict[str, Any],
        smtp: dict[str, Any] | None,
        insecure_url: str | None,
        attempt: Attempt | None,
        oauth2: dict[str, Any] | None = None,
    ) -> Proposal | None:
        """The proposal after the model's checks: a value it refuses is
        dropped (the standard port stands in for a port) and reported. The
        client ID the model requires with *oauth2* is the admin's to give."""
        query = attempt.query if attempt is not None else origin
        data: dict[str, Any] = {
            "number": "0001",
            "address": self.address,
            "operators": ["X"],
            "pop3": dict(pop3),
            "smtp": {"separate": True, **smtp, "auth": dict(smtp["auth"])} if smtp else {},
            "oauth2": dict(oauth2) if oauth2 is not None else None,
        }
        _, problems = validate_account(data)
        warnings: list[Problem] = []
        for problem in problems:
            section, _, key = problem.path.partition(".")
            if section not in ("pop3", "smtp", "oauth2") or not key:
                continue
            if problem.severity is Severity.WARNING:
                warnings.append(problem)
                continue
            node = data[section]
            *parents, leaf = key.split(".")
            for part in parents:
                child = node.get(part)
                if not isinstance(child, dict):  # an item of a list: the whole list goes
                    leaf = part
                    break
                node = child
            if node.get(leaf) in (None, ""):
                continue  # missing, not refused (a user name the file did not give)
            del node[leaf]
            dropped = self.begin(scope, source, query)
            self.finish(dropped, "autoconfig_dropped", {"path": problem.path}, inner=problem)
        pop3_data, smtp_data = data["pop3"], data["smtp"]
        if not pop3_data.get("server"):
            return None
        security = pop3_data["security"]
        proposal_pop3 = Pop3Proposal(
            pop3_data["server"],
            int(pop3_data.get("port") or POP3_DEFAULT_PORTS[security]),
            security,
            str(pop3_data.get("username", "")),
            bool(pop3_data.get("spa", False)),
            bool(pop3_data.get("oauth2", False)),
        )
        proposal_smtp = None
        if smtp_data.get("server"):
            security = smtp_data["security"]
            auth = smtp_data["auth"]
            proposal_smtp = SmtpProposal(
                smtp_data["server"],
                int(smtp_data.get("port") or SMTP_DEFAULT_PORTS[security]),
                security,
                bool(auth.get("required", True)),
                str(auth.get("method", "login")),
                str(auth.get("username", "")),
            )
        return Proposal(
            source,
            origin,
            proposal_pop3,
            proposal_smtp,
            insecure_url,
            tuple(warnings),
            data["oauth2"],
        )


def _by_preference(records: list[Record]) -> list[Record]:
    """Lowest priority first; among equals, the highest weight (the server
    RFC 2782's weighting picks most often), then by name for repeatability."""
    return sorted(records, key=lambda r: (r.priority, -r.weight, r.target))


def _found(proposal: Proposal) -> tuple[str, dict[str, Any]]:
    smtp = proposal.smtp.summary() if proposal.smtp is not None else "–"
    params = {"pop3": proposal.pop3.summary(), "smtp": smtp}
    if proposal.insecure_url is not None:
        return "autoconfig_found_http", {**params, "url": proposal.insecure_url}
    return "autoconfig_found", params
