"""Validation results that every front end can render in its own language.

A problem carries a stable code, the dotted field path it belongs to and the
parameters its message needs; never the offending secret.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    code: str
    path: str
    params: dict[str, Any] = field(default_factory=dict)
    severity: Severity = Severity.ERROR

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


class AccountInvalid(Exception):
    """Raised when an account (or an import) does not validate."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} validation problem(s)")
