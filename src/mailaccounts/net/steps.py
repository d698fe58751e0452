"""Recording steps as they run, for live progress and the final report."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from .report import ConnectionReport, NetError, Step, StepStatus

StepListener = Callable[[Step], None]


class Recorder:
    def __init__(
        self, server: str, report: ConnectionReport, listener: StepListener | None
    ) -> None:
        self.server = server
        self.report = report
        self.listener = listener

    def _emit(self, step: Step) -> None:
        if step.status is not StepStatus.RUNNING:
            self.report.steps.append(step)
        if self.listener is not None:
            self.listener(step)

    @contextmanager
    def step(self, name: str) -> Iterator[dict[str, Any]]:
        detail: dict[str, Any] = {}
        self._emit(Step(self.server, name, StepStatus.RUNNING))
        started = time.perf_counter()
        try:
            yield detail
        except NetError as exc:
            elapsed = time.perf_counter() - started
            self._emit(Step(self.server, name, StepStatus.FAILED, elapsed, detail, exc.problem))
            raise
        self._emit(Step(self.server, name, StepStatus.OK, time.perf_counter() - started, detail))
