"""What the commands print for people: tables, the words for states and
results, progress on a terminal. Every cell goes through ``neutralise``."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from typing import IO, TYPE_CHECKING, Any

from ..model.messages import describe
from ..model.problems import Problem
from ..model.safe_text import neutralise
from ..net.report import certificate_of

if TYPE_CHECKING:
    from ..model.records import AccountSummary, FetchStatus


def report_table(report: Any, number: str) -> str:
    rows = [("Server", "Step", "Result", "Time", "Detail")]
    notes = []
    for step in report.steps:
        detail = ""
        if step.problem is not None:
            detail = describe(step.problem)
            cert = certificate_of(step.problem)
            if cert is not None:
                c = {key: neutralise(value) for key, value in cert.to_json().items()}
                notes.append(
                    f"{step.server.upper()} certificate: subject {c['subject']}; issuer "
                    f"{c['issuer']}; valid {c['not_before']} to {c['not_after']}; SHA-256 "
                    f"{c['sha256']}\n  to trust exactly this certificate for {c['host']}: "
                    f"mailaccounts edit {number} --trust-{step.server}-certificate {c['sha256']}"
                )
        elif step.detail:
            detail = ", ".join(f"{k}={_short(v)}" for k, v in step.detail.items())
        rows.append(
            (step.server.upper(), step.name, step.status.value, f"{step.seconds:.3f} s", detail)
        )
    verdict = "all steps passed" if report.ok else "the test failed"
    return "\n".join([table(rows), *notes, verdict])


def located(problem: Problem) -> str:
    """A problem in English after the field it is about: ``path: message``."""
    return f"{problem.path}: {describe(problem)}" if problem.path else describe(problem)


def secret_state(state: str | None) -> str:
    if state is None:
        return "not set"
    if state == "stored":
        return "stored in the keyring"
    if state == "missing":
        return "missing from the keyring: enter it again"
    return f"referenced, but the keyring cannot be read ({state.removeprefix('unknown: ')})"


def status_json(status: FetchStatus | None) -> dict[str, Any] | None:
    if status is None:
        return None
    return {
        "last_run": status.last_run,
        "ok": status.ok,
        "problem": None
        if status.problem is None
        else {"code": status.problem.code, "message": describe(status.problem)},
        "fetched": status.fetched,
        "consecutive_failures": status.failures,
        "switched_off": _disabled_text(status) or None,
    }


def _disabled_text(status: FetchStatus) -> str:
    switched_off = status.switched_off_by()
    if switched_off is None:
        return ""
    failures, problem = switched_off
    return f"after {failures} failed scheduled runs: {describe(problem)}"


def last_fetch_column(summary: AccountSummary) -> str:
    """The "Last fetch" column of ``list``: the problem's code, not its text."""
    if not summary.exchange and not summary.fetch_on:
        return "switched off"
    if summary.last_fetch is None:
        return "never"
    problem = summary.problem_of()
    if problem is None:
        return f"{_when(summary.last_fetch)} ok, {summary.fetched} fetched"
    return f"{_when(summary.last_fetch)} failed: {problem.code}"


def status_text(status: FetchStatus | None) -> str:
    if status is None:
        return "never"
    when = _when(status.last_run)
    if status.ok:
        text = f"{when} ok, {status.fetched} fetched"
    else:
        assert status.problem is not None
        text = f"{when} failed: {describe(status.problem)}"
    if status.disabled_reason:
        text += f"; switched off {_disabled_text(status)}; switch it on with --fetch-enabled"
    return text


def _when(last_run: str) -> str:
    """An ISO 8601 time to the minute, as it was stored (no time zone shown)."""
    return last_run.replace("T", " ")[:16]


class TerminalLine:
    """Progress on one line of a terminal, rewritten in place at most ten
    times a second (from any thread); silent when the stream is not a
    terminal (scripts, logs)."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.active = stream.isatty()
        self.shown = False
        self._lock = threading.Lock()
        self._last = 0.0

    def show(self, text: str, final: bool = False) -> None:
        if not self.active:
            return
        with self._lock:
            now = time.monotonic()
            if not final and now - self._last < 0.1:
                return
            self._last = now
            self.stream.write(f"\r{text}   ")
            self.stream.flush()
            self.shown = True

    def end(self) -> None:
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()


def _short(value: Any) -> str:
    text = " ".join(map(str, value)) if isinstance(value, list) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def flatten(data: Any, prefix: str = "") -> list[tuple[str, str]]:
    if isinstance(data, dict):
        rows = []
        for key, value in data.items():
            rows.extend(flatten(value, f"{prefix}.{key}" if prefix else key))
        return rows
    if isinstance(data, list):
        return [(prefix, "; ".join(map(str, data)))]
    if isinstance(data, bool):
        return [(prefix, "yes" if data else "no")]
    return [(prefix, "" if data is None else str(data))]


def table(rows: Sequence[Sequence[str]]) -> str:
    rows = [[neutralise(cell) for cell in row] for row in rows]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )
