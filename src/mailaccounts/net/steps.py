"""Recording steps as they run, for live progress and the final report."""

from __future__ import annotations

import base64
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from ..model.problems import Problem
from .report import ConnectionReport, NetError, Step, StepStatus
from .transport import StepClock

StepListener = Callable[[Step], None]

HIDDEN = "********"


class Recorder:
    def __init__(
        self,
        server: str,
        report: ConnectionReport,
        listener: StepListener | None,
        clock: StepClock | None = None,
    ) -> None:
        self.server = server
        self.report = report
        self.listener = listener
        self.clock = clock
        """Restarted as each step begins: the step's deadline."""
        self._hidden: list[str] = []

    def conceal(self, secret: str) -> None:
        """A server may echo what it was sent into its error text: problems
        show *secret* (or its base64, as AUTH LOGIN sends it) as ********."""
        if secret:
            encoded = base64.b64encode(secret.encode("utf-8")).decode("ascii")
            self._hidden += [secret, encoded, encoded.rstrip("=")]

    def _scrub(self, problem: Problem) -> Problem:
        params = dict(problem.params)
        for key, value in params.items():
            if isinstance(value, str):
                for secret in self._hidden:
                    value = value.replace(secret, HIDDEN)
                params[key] = value
        return problem.replace(params=params)

    def _emit(self, step: Step) -> None:
        if step.status is not StepStatus.RUNNING:
            self.report.steps.append(step)
        if self.listener is not None:
            self.listener(step)

    @contextmanager
    def step(self, name: str) -> Iterator[dict[str, Any]]:
        """Any exception in the step fails it; one that is not a NetError
        (a reply no code expected) is a protocol_error named by its type
        only, since its message may quote what was sent, secrets included."""
        detail: dict[str, Any] = {}
        self._emit(Step(self.server, name, StepStatus.RUNNING))
        if self.clock is not None:
            self.clock.restart()
        started = time.perf_counter()
        try:
            yield detail
        except Exception as exc:
            if isinstance(exc, NetError):
                problem = exc.problem
            else:
                problem = Problem("protocol_error", params={"text": type(exc).__name__})
            problem = self._scrub(problem)
            elapsed = time.perf_counter() - started
            self._emit(Step(self.server, name, StepStatus.FAILED, elapsed, detail, problem))
            raise NetError.of(problem) from None
        self._emit(Step(self.server, name, StepStatus.OK, time.perf_counter() - started, detail))
