"""``serve`` logs through the logging module: the schedule's lines are
records of ``mailaccounts.services.schedule`` (stdout, as before), the fetch
runner records each account's result once (the window's log keeps it; serve
does not print it twice), and another module's warning reaches stderr."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from mailaccounts.services import schedule
from tests.integration.test_serve import quiet_box, run_scheduler, scheduled_admin
from tests.support.cli import REPO
from tests.support.hostile_servers import ScriptedServer

__all__ = ["quiet_box"]


def test_the_schedule_logs_its_lines_and_the_runner_each_result(
    tmp_path: Path, quiet_box: ScriptedServer, caplog: pytest.LogCaptureFixture
) -> None:
    admin, ctx = scheduled_admin(tmp_path, quiet_box)
    now = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    scheduler = schedule.Scheduler(ctx.open_service, admin.mail_root, lambda: now)

    class StopAfterTheRun(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if "account 1000" in record.getMessage():
                scheduler.request_stop()

    stopper = StopAfterTheRun()
    logging.getLogger(schedule.__name__).addHandler(stopper)
    try:
        with caplog.at_level(logging.INFO, logger="mailaccounts"):
            run_scheduler(scheduler)
    finally:
        logging.getLogger(schedule.__name__).removeHandler(stopper)
        ctx.close()
    lines = [(r.name, r.levelname, r.getMessage()) for r in caplog.records]
    assert (
        "mailaccounts.services.schedule",
        "INFO",
        "2026-12-01T10:00:00+00:00 account 1000 ok fetched=0 copies=0 removed=0 (0.0 s)",
    ) in [(name, level, _rounded(text)) for name, level, text in lines], lines
    assert [
        _rounded(text) for name, _, text in lines if name == "mailaccounts.services.fetch_runner"
    ] == ["account 1000 ok fetched=0 copies=0 removed=0 (0.0 s)"]


def _rounded(text: str) -> str:
    """The run's seconds as 0.0: how long it took is not under test."""
    head, _, tail = text.rpartition(" (")
    return f"{head} (0.0 s)" if tail.endswith(" s)") and head else text


def test_serve_prints_its_lines_once_and_a_warning_on_stderr(
    tmp_path: Path, quiet_box: ScriptedServer
) -> None:
    """A warning of any module during ``serve`` (here: a sitecustomize that
    logs one as the service starts) goes to stderr in the commands' form;
    the run's line is on stdout once, the runner's record of it is not."""
    admin, ctx = scheduled_admin(tmp_path, quiet_box)
    ctx.close()
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(
        "import logging, threading\n"
        "def later():\n"
        "    logging.getLogger('mailaccounts.keyring.backend').warning('the keyring is slow')\n"
        "threading.Timer(1.0, later).start()\n"
    )
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "mailaccounts", "--store", str(admin.store)),
            *("--mail-root", str(admin.mail_root), "serve"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={
            **os.environ,
            "PYTHONPATH": f"{hook}{os.pathsep}{REPO}",
            "MAILACCOUNTS_NOW": "2026-12-01T10:00:00+00:00",
            "TZ": "UTC",
        },
    )
    try:
        deadline = time.monotonic() + 20
        lines: list[str] = []
        while time.monotonic() < deadline and not any("account 1000" in x for x in lines):
            lines.append(process.stdout.readline())  # type: ignore[union-attr]
        time.sleep(1.5)  # the warning's timer
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
    printed = "".join(lines) + out
    assert printed.startswith("serving the schedule of "), printed
    assert printed.count("account 1000") == 1, printed
    # the test's keyring is in this process: the service finds no password
    assert "2026-12-01T10:00:00+00:00 account 1000 failed password_missing" in printed
    assert printed.endswith("stopped\n")
    assert err == "mailaccounts: warning: the keyring is slow\n"
    assert process.returncode == 0
