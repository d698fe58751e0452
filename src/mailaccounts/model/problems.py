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
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class Problem:
    """Immutable once made. A plain class rather than a dataclass: the
    account list's start path words failed fetches with it, and the
    dataclasses module (with inspect) is not worth loading for that
    (docs/architecture.md, "Start-up")."""

    __slots__ = ("code", "detail", "params", "path", "severity")
    code: str
    path: str
    params: dict[str, Any]
    severity: Severity
    detail: object
    """Kept, not worded: e.g. the certificate a server showed
    (``net.report.CertificateInfo``)."""

    def __init__(
        self,
        code: str,
        path: str = "",
        params: dict[str, Any] | None = None,
        severity: Severity = Severity.ERROR,
        detail: object = None,
    ) -> None:
        for name, value in (
            ("code", code),
            ("path", path),
            ("params", {} if params is None else params),
            ("severity", severity),
            ("detail", detail),
        ):
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"a Problem cannot be changed ({name})")

    def _fields(self) -> tuple[object, ...]:
        return (self.code, self.path, self.params, self.severity, self.detail)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Problem):
            return NotImplemented
        return self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())  # like a frozen dataclass: not with parameters

    def __repr__(self) -> str:
        return (
            f"Problem(code={self.code!r}, path={self.path!r}, params={self.params!r}, "
            f"severity={self.severity!r}, detail={self.detail!r})"
        )

    def replace(self, **changes: Any) -> Problem:
        """A copy with *changes* (field name → value)."""
        fields = dict(
            code=self.code,
            path=self.path,
            params=self.params,
            severity=self.severity,
            detail=self.detail,
        )
        return Problem(**{**fields, **changes})

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
