"""What a lookup returns: the proposal (the settings, where they came from),
and every query it made with what that query answered."""

from __future__ import annotations

import copy
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..model.core import get_path, set_path
from ..model.messages import describe
from ..model.problems import Problem

SOURCES = ("autoconfig", "ispdb", "srv", "mx", "guess")
"""The sources of a proposal, best first: the domain's own file, the ISPDB,
SRV records, the ISPDB entry of the MX host's domain, servers that answered
under common names."""

GUESSES = ("mx", "guess")
"""Sources whose proposal is a guess: shown for confirmation, never applied
without it."""

TIMEOUTS_VARIABLE = "MAILACCOUNTS_AUTOCONFIG_TIMEOUTS"
MAX_TOTAL = 15.0


@dataclass(frozen=True)
class Limits:
    """Seconds: the whole lookup, one request (an HTTP fetch with its
    redirects, a DNS query), one probe of a server."""

    total: float = MAX_TOTAL
    request: float = 8.0
    probe: float = 5.0

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> Limits:
        """The defaults, or shorter ones from ``MAILACCOUNTS_AUTOCONFIG_TIMEOUTS``
        (``total=2,request=1,probe=0.5``; for tests). Never more than 15 s.
        Raises ValueError for anything else."""
        text = environ.get(TIMEOUTS_VARIABLE, "").strip()
        values: dict[str, float] = {}
        for part in filter(None, (p.strip() for p in text.split(","))):
            name, _, raw = part.partition("=")
            name = name.strip()
            try:
                value = float(raw)
            except ValueError:
                value = -1.0
            if name not in ("total", "request", "probe") or not 0 < value <= MAX_TOTAL:
                raise ValueError(
                    f"{TIMEOUTS_VARIABLE}: {part!r} is not total=, request= or probe= "
                    f"seconds above 0 and at most {MAX_TOTAL:g}"
                )
            values[name] = value
        return cls(**values)


Render = Callable[[Problem], str]
"""Words a problem (English, or translated)."""


@dataclass
class Attempt:
    """One query of the lookup and what it answered. *code* and *params* are
    a message of ``model/messages.py`` (``running`` until it finishes);
    *inner* is the model's problem with a value that was dropped."""

    id: int
    source: str
    """One of SOURCES, or "probe" (a server asked for its greeting)."""
    query: str
    """The URL fetched, the DNS name and type asked, or the server probed."""
    code: str = "running"
    params: dict[str, Any] = field(default_factory=dict)
    ms: int = 0
    inner: Problem | None = None

    @property
    def running(self) -> bool:
        return self.code == "running"

    def outcome(self, render: Render = describe) -> str:
        params = dict(self.params)
        if self.inner is not None:
            params["reason"] = render(self.inner)
        return render(Problem(self.code, params=params))

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "query": self.query,
            "outcome": self.outcome(),
            "ms": self.ms,
        }


@dataclass(frozen=True)
class Pop3Proposal:
    server: str
    port: int
    security: str
    username: str
    spa: bool = False
    oauth2: bool = False
    """Logs in with OAuth2 (the proposal's ``oauth2`` section)."""

    def summary(self) -> str:
        return _summary(self.server, self.port, self.security, self.oauth2)


@dataclass(frozen=True)
class SmtpProposal:
    server: str
    port: int
    security: str
    auth_required: bool = True
    auth_method: str = "login"
    username: str = ""

    def summary(self) -> str:
        oauth2 = self.auth_required and self.auth_method == "oauth2"
        return _summary(self.server, self.port, self.security, oauth2)


def _summary(server: str, port: int, security: str, oauth2: bool) -> str:
    return f"{server}:{port} ({security}{', OAuth2' if oauth2 else ''})"


@dataclass(frozen=True)
class Proposal:
    source: str
    """One of SOURCES."""
    origin: str
    """Where exactly: the URL of the file, the DNS names, the hosts probed."""
    pop3: Pop3Proposal
    smtp: SmtpProposal | None
    insecure_url: str | None = None
    """The plain-http URL the settings came over (after redirects), if any."""
    warnings: tuple[Problem, ...] = ()
    """What the model warns about these settings (a password in clear text)."""
    oauth2: dict[str, Any] | None = None
    """The account's ``oauth2`` section when POP3 or SMTP signs in with OAuth2:
    the provider (and Microsoft's tenant), or a custom provider's URLs and
    scopes. Never a client ID or secret: those are the admin's app registration."""
    leave_on_server: bool | None = None
    """``fetch.leave_on_server`` as the file advises it; None: no advice."""

    @property
    def signs_in(self) -> bool:
        """The account signs in with OAuth2 (POP3, SMTP or both)."""
        return self.oauth2 is not None

    @property
    def is_guess(self) -> bool:
        return self.source in GUESSES

    @property
    def needs_confirmation(self) -> bool:
        """A guess, or settings anyone on the network could have changed."""
        return self.is_guess or self.insecure_url is not None

    def fields(self) -> dict[str, Any]:
        """Field path → value, as the account has them; never a password."""
        pop3 = self.pop3
        values: dict[str, Any] = {
            "pop3.server": pop3.server,
            "pop3.port": pop3.port,
            "pop3.security": pop3.security,
            "pop3.username": pop3.username,
            "pop3.spa": pop3.spa,
            "pop3.oauth2": pop3.oauth2,
        }
        if self.smtp is not None:
            smtp = self.smtp
            values.update(
                {
                    "smtp.separate": True,
                    "smtp.server": smtp.server,
                    "smtp.port": smtp.port,
                    "smtp.security": smtp.security,
                    "smtp.auth.required": smtp.auth_required,
                    "smtp.auth.method": smtp.auth_method,
                    "smtp.auth.username": smtp.username,
                }
            )
        for key, value in (self.oauth2 or {}).items():
            values[f"oauth2.{key}"] = copy.deepcopy(value)
        if self.leave_on_server is not None:
            values["fetch.leave_on_server"] = self.leave_on_server
        return values

    def fill(self, data: Mapping[str, Any]) -> dict[str, Any]:
        """*data* (an account as given) with every field it leaves out
        filled from the proposal. A security mode given without a port keeps
        its own standard port, unless the proposal has the same mode."""
        values = self.fields()
        for section in ("pop3", "smtp"):
            given = get_path(data, f"{section}.security")
            own_port = get_path(data, f"{section}.port") is None and given is not None
            if own_port and values.get(f"{section}.security") != given:
                values.pop(f"{section}.port", None)
        result = copy.deepcopy(dict(data))
        for path, value in values.items():
            if get_path(result, path) is None:
                set_path(result, path, value)
        return result


@dataclass
class Result:
    address: str
    proposal: Proposal | None = None
    tried: list[Attempt] = field(default_factory=list)
    cancelled: bool = False

    def to_json(self) -> dict[str, Any]:
        """The document of ``mailaccounts autoconfig --json`` (docs/contracts.md),
        exactly its keys: ``pop3.spa`` (NTLM) is not among them, so only
        ``add --autoconfig`` and the window apply it."""
        proposal = self.proposal
        pop3: dict[str, Any] | None = None
        smtp: dict[str, Any] | None = None
        fetch: dict[str, Any] | None = None
        if proposal is not None:
            p = proposal.pop3
            pop3 = {
                "server": p.server,
                "port": p.port,
                "security": p.security,
                "username": p.username,
                "oauth2": p.oauth2,
            }
            fetch = {"leave_on_server": bool(proposal.leave_on_server)}
            if proposal.smtp is not None:
                s = proposal.smtp
                smtp = {
                    "server": s.server,
                    "port": s.port,
                    "security": s.security,
                    "auth": {
                        "required": s.auth_required,
                        "method": s.auth_method,
                        "username": s.username,
                    },
                }
        return {
            "address": self.address,
            "source": proposal.source if proposal else None,
            "pop3": pop3,
            "smtp": smtp,
            "oauth2": copy.deepcopy(proposal.oauth2) if proposal else None,
            "fetch": fetch,
            "tried": [attempt.to_json() for attempt in self.tried],
        }
