"""The window's one way to run work off the GUI thread: results and progress
come back on the GUI thread in order, work that waits on a server or a
browser never holds up quick work on the store and the keyring (a save, a
read), Cancel reaches the work, and closing ends every thread."""

from __future__ import annotations

import inspect
import threading
import time
from collections.abc import Iterator, Sequence

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from mailaccounts.gui.tasks import WAIT_THREADS, Job, Task, TaskRunner
from mailaccounts.gui.window_context import GuiContext
from mailaccounts.model.records import AccountSummary


@pytest.fixture
def runner(gui_ctx: GuiContext) -> Iterator[TaskRunner]:
    tasks = TaskRunner(gui_ctx.app, quick_threads=2)  # as on a 2-core machine
    yield tasks
    tasks.close()


def unexpected(value: object) -> None:
    """A callback that must not be called (pytest-qt fails a test whose slot raises)."""
    raise AssertionError(f"unexpected call with {value!r}")


def task_threads(before: set[threading.Thread]) -> list[str]:
    """The task threads started since *before* (other tests' windows may
    still have theirs) that are still alive."""
    started = set(threading.enumerate()) - before
    return sorted(t.name for t in started if t.name.startswith("tasks-"))


def test_waits_on_the_network_never_hold_up_a_read_of_the_store(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    """More waits than the quick work has threads (a sign-in waiting for
    the browser, a lookup, a test against a silent server), then a read: the
    read comes back at once, the waits go on until released."""
    waits = min(WAIT_THREADS, 3)  # more than the quick work's threads
    release = threading.Event()
    waited: list[bool] = []
    read: list[list[AccountSummary]] = []
    failed: list[Exception] = []

    def wait_on_the_network(job: Job[None]) -> bool:
        return release.wait(10)

    for _ in range(waits):
        runner.run(wait_on_the_network, waited.append, failed.append, waits=True)
    runner.run(lambda job: job.service.summaries(), read.append, failed.append)
    try:
        qtbot.waitUntil(lambda: bool(read), timeout=3000)
        assert waited == [] and failed == []
    finally:
        release.set()
    qtbot.waitUntil(lambda: len(waited) == waits, timeout=5000)
    assert waited == [True] * waits and failed == []


def test_the_runner_says_what_its_work_returns_and_reports() -> None:
    """Typed through and through: no ``Any`` in what a window calls (mypy
    then checks each call's work against its callbacks)."""
    for function in (TaskRunner.run, TaskRunner.wait, Job.progress, Task.cancel, Task.wait):
        annotations = inspect.get_annotations(function)
        assert annotations and not any("Any" in str(a) for a in annotations.values()), function
    assert "Any" not in str(inspect.get_annotations(vars(Job)["service"].fget))


def test_the_result_and_every_progress_come_on_the_gui_thread_in_order(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    main = threading.current_thread()
    seen: list[object] = []
    threads: set[threading.Thread] = set()
    worker: list[threading.Thread] = []

    def work(job: Job[int]) -> str:
        worker.append(threading.current_thread())
        for value in range(500):
            job.progress(value)
        return "counted"

    def progress(values: Sequence[int]) -> None:
        threads.add(threading.current_thread())
        seen.extend(values)

    def done(result: str) -> None:
        threads.add(threading.current_thread())
        seen.append(result)

    runner.run(work, done, unexpected, progress=progress)
    assert runner.busy
    qtbot.waitUntil(lambda: not runner.busy, timeout=3000)
    assert seen == [*range(500), "counted"]
    assert threads == {main} and worker[0] is not main


def test_progress_comes_at_most_every_interval_and_the_result_does_not_wait(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    calls: list[Sequence[int]] = []
    ended: list[float] = []

    def work(job: Job[int]) -> float:
        for value in range(60):
            job.progress(value)
            time.sleep(0.01)
        return time.monotonic()

    runner.run(work, ended.append, unexpected, progress=calls.append, progress_interval=0.2)
    qtbot.waitUntil(lambda: bool(ended), timeout=5000)
    assert [v for values in calls for v in values] == list(range(60))
    assert len(calls) <= 5  # 0.6 s of progress: a call at once, then every 0.2 s
    assert time.monotonic() - ended[0] < 0.2


def test_a_failure_in_the_work_reaches_failed_on_the_gui_thread(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    failures: list[tuple[Exception, threading.Thread]] = []

    def work(job: Job[None]) -> int:
        raise ValueError("the work broke")

    runner.run(work, unexpected, lambda e: failures.append((e, threading.current_thread())))
    qtbot.waitUntil(lambda: bool(failures), timeout=3000)
    error, thread = failures[0]
    assert isinstance(error, ValueError) and str(error) == "the work broke"
    assert thread is threading.current_thread()
    assert not runner.busy


def test_cancel_reaches_the_work_through_its_token(qtbot: QtBot, runner: TaskRunner) -> None:
    started = threading.Event()
    results: list[bool] = []

    def work(job: Job[None]) -> bool:
        started.set()
        return job.cancel.wait(10)  # True: cancelled

    task = runner.run(work, results.append, unexpected, waits=True)
    assert started.wait(3)
    begun = time.monotonic()
    task.cancel()
    qtbot.waitUntil(lambda: bool(results), timeout=1000)
    assert results == [True] and time.monotonic() - begun < 1


def test_nothing_comes_back_to_an_owner_that_has_gone(qtbot: QtBot, runner: TaskRunner) -> None:
    owner = QWidget()
    release = threading.Event()
    calls: list[object] = []

    def work(job: Job[str]) -> str:
        release.wait(5)
        job.progress("step")
        return "result"

    task = runner.run(work, calls.append, calls.append, owner, progress=calls.append)
    owner.deleteLater()
    qtbot.waitUntil(lambda: _deleted(owner), timeout=2000)
    release.set()
    assert task.wait(3)
    qtbot.waitUntil(lambda: not runner.busy, timeout=2000)
    assert calls == []


def _deleted(widget: QWidget) -> bool:
    import shiboken6

    return not shiboken6.isValid(widget)


def test_closing_cancels_what_runs_and_leaves_no_thread(qtbot: QtBot, gui_ctx: GuiContext) -> None:
    """What closing the program does: a sign-in still waiting for the
    browser is cancelled, a save still runs to its end, and no task thread
    is left afterwards."""
    started = threading.Barrier(3)
    ends: list[str] = []

    def sign_in(job: Job[None]) -> None:
        started.wait(3)
        ends.append("cancelled" if job.cancel.wait(30) else "timed out")

    def save(job: Job[None]) -> None:
        started.wait(3)
        time.sleep(0.3)
        job.service.summaries()
        ends.append("saved")

    before = set(threading.enumerate())
    delivered: list[object] = []  # nothing: the program ends before the results come
    gui_ctx.tasks.run(sign_in, delivered.append, delivered.append, waits=True)
    gui_ctx.tasks.run(save, delivered.append, delivered.append)
    started.wait(3)
    assert task_threads(before) == ["tasks-quick_0", "tasks-waits_0"]
    begun = time.monotonic()
    gui_ctx.close()
    assert time.monotonic() - begun < 3
    assert sorted(ends) == ["cancelled", "saved"]
    assert task_threads(before) == []
