"""The one problem type: what went wrong, for every front end to word in its
own language (``model/messages.describe`` in English, ``gui/texts.problem_text``
translated).

A problem carries a stable code, the dotted field path it belongs to (empty
where no field applies: a failed connection, a failed fetch), the parameters
its message needs and, at most, a detail that is kept rather than shown (a
server's certificate, a library's original text); never the offending secret.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    code: str
    path: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    severity: Severity = Severity.ERROR
    detail: object = None
    """Kept, not worded: e.g. the certificate a server showed
    (``net.report.CertificateInfo``)."""

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def to_json(self) -> dict[str, Any]:
        """``{"code", **parameters}``: how fetching stores the problem of a run
        (the store's ``fetch_status.problem``) and a connection test's step
        reports it."""
        return {"code": self.code, **self.params}

    @classmethod
    def from_json(cls, found: Mapping[str, Any]) -> Problem:
        """The problem ``to_json`` gave (parameters as stored: JSON values,
        or text when SQLite took the problem apart for the list)."""
        params = {key: value for key, value in found.items() if key != "code"}
        return cls(str(found.get("code", "")), params=params)


class AccountInvalid(Exception):
    """Raised when an account (or an import) does not validate."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} validation problem(s)")
