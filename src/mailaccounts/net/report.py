"""What a connection test reports: steps with a status, a time and, when a
step failed, a problem with a stable code (rendered by each front end)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from ..model.problems import Problem
from ..model.safe_text import neutralise

_SPACES = re.compile("[\t\n\r\v\f]")


def server_text(raw: bytes | str, limit: int = 300) -> str:
    """What a server said, fit to be shown: bytes that are not UTF-8 become
    U+FFFD, line breaks spaces, and control characters (terminal escapes,
    bidi overrides) visible escapes such as ``\\x1b``; at most *limit*
    characters of the reply."""
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    return neutralise(_SPACES.sub(" ", text[:limit]))


class StepStatus(StrEnum):
    RUNNING = "running"
    OK = "ok"
    FAILED = "failed"
    WARNING = "warning"
    """Not a step that ran: something the admin should know (e.g. the
    provider stops password login); it does not fail the test."""


@dataclass(frozen=True)
class CertificateInfo:
    host: str
    subject: str
    issuer: str
    not_before: str
    not_after: str
    sha256: str
    """Upper-case hex pairs joined by ":"."""

    def to_json(self) -> dict[str, str]:
        return dict(self.__dict__)


def certificate_of(problem: Problem) -> CertificateInfo | None:
    """The certificate a server showed when its problem is about it."""
    return problem.detail if isinstance(problem.detail, CertificateInfo) else None


class NetError(Exception):
    """A step failed for the reason in ``problem`` (no field path; the
    server's certificate as its detail); never carries a secret."""

    def __init__(
        self, code: str, certificate: CertificateInfo | None = None, **params: Any
    ) -> None:
        self.problem = Problem(code, params=params, detail=certificate)
        super().__init__(f"{code} {params}")

    @classmethod
    def of(cls, problem: Problem) -> NetError:
        """The error that reports *problem* as it is."""
        return cls(problem.code, certificate_of(problem), **problem.params)


@dataclass(frozen=True)
class Step:
    server: str
    """"pop3" or "smtp"."""
    name: str
    """connect, tls, capabilities, starttls, login, mailbox, ehlo, auth, send,
    quit; ``password`` for the warning that the provider stops password login"""
    status: StepStatus
    seconds: float = 0.0
    detail: dict[str, Any] = field(default_factory=dict)
    problem: Problem | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "server": self.server,
            "step": self.name,
            "status": self.status.value,
            "seconds": round(self.seconds, 3),
        }
        if self.detail:
            out["detail"] = self.detail
        if self.problem is not None:
            out["problem"] = self.problem.to_json()
            if (certificate := certificate_of(self.problem)) is not None:
                out["problem"]["certificate"] = certificate.to_json()
        return out


@dataclass
class ConnectionReport:
    steps: list[Step] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        finished = [s for s in self.steps if s.status in (StepStatus.OK, StepStatus.FAILED)]
        return bool(finished) and all(s.status is StepStatus.OK for s in finished)

    def to_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "steps": [s.to_json() for s in self.steps]}
