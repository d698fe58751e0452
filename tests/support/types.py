"""Types of the fixtures that hand a test a function to call, so that tests
name them in their signatures (``cli: Cli``) and mypy checks the calls."""

from __future__ import annotations

from typing import Protocol, TypeVar

from tests.support.cli import Result
from tests.support.hostile_servers import Answer, Script, ScriptedServer
from tests.support.servers import SmtpHandler

T = TypeVar("T")


class Cli(Protocol):
    """The ``cli`` and ``directory`` fixtures: runs the CLI in-process on the
    test's store, with the test's in-memory keyring unless *keyring* is given."""

    def __call__(self, *args: str, stdin: str = "", keyring: object = None) -> Result: ...


class SmtpFactory(Protocol):
    """The ``smtp_factory`` fixture: starts an aiosmtpd server (stopped after
    the test) and returns its handler and port."""

    def __call__(
        self,
        mode: str = "starttls",
        exclude: list[str] | None = None,
        names: list[str] | None = None,
    ) -> tuple[SmtpHandler, int]: ...


class StartScriptedServer(Protocol):
    """The ``servers`` fixture of the hostile-reply tests: starts a scripted
    server (stopped after the test)."""

    def __call__(self, greeting: Answer, script: Script) -> ScriptedServer: ...


def present(value: T | None) -> T:
    """*value*, which the test expects to be there (a Qt child or item, a stored
    account): fails the test if it is None, and tells mypy it is not."""
    assert value is not None, "expected a value, found None"
    return value
