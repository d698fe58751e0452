"""The one way the windows run work off the GUI thread.

Work that may block (the store, the keyring, a server, a browser) runs on a
worker thread with a store connection of its own (opened when the work first
asks for it). Everything it sends back — progress as it goes, then its
result or its exception — reaches the GUI thread through one queued signal
per task, in the order it was sent, and not at all once the task's owner (a
window) has been destroyed. Every task has a ``CancelToken``; closing the
program cancels them all and waits for their threads to end.

Two lanes: quick work on the store and the keyring (a save, a read), and
work that waits on a server or a browser (a connection test, a lookup, a
sign-in that may wait minutes, a fetch). The waits have threads of their
own, so that a save never queues behind them."""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal, Slot

if TYPE_CHECKING:
    from ..net.transport import CancelToken
    from ..services.accounts import AccountService
    from ..services.app_context import AppContext

T = TypeVar("T")
"""What a task's work returns."""
P = TypeVar("P")
"""What a task's work reports while it runs (a step, a found setting…)."""

QUICK_THREADS = os.cpu_count() or 1
"""Threads for quick work: it computes and writes, one per core."""
WAIT_THREADS = 8
"""Threads for work that waits on a server or a browser: they wait, they do
not compute, so there are more of them than most machines have cores."""


class Running(Protocol):
    """A task as the runner keeps it, whatever it returns."""

    def cancel(self) -> None: ...

    def wait(self, timeout: float | None = None) -> bool: ...


class Job(Generic[P]):
    """What the work of a task is given: a service (opened on first use,
    closed when the work ends), the task's cancel token, and the channel
    its progress goes to the GUI thread through."""

    def __init__(
        self,
        open_service: Callable[[], AccountService],
        cancel: CancelToken,
        report: Callable[[P], None],
    ) -> None:
        self._open_service = open_service
        self._service: AccountService | None = None
        self.cancel = cancel
        self._report = report

    @property
    def service(self) -> AccountService:
        if self._service is None:
            self._service = self._open_service()
        return self._service

    def progress(self, value: P) -> None:
        """Send *value* to the task's progress callback; any thread may call this."""
        self._report(value)

    def close(self) -> None:
        if self._service is not None:
            self._service.close()
            self._service = None


class _Done(Generic[T]):
    __slots__ = ("value",)

    def __init__(self, value: T) -> None:
        self.value = value


class _Failed:
    __slots__ = ("error",)

    def __init__(self, error: Exception) -> None:
        self.error = error


class _Progress(Generic[P]):
    __slots__ = ("value",)

    def __init__(self, value: P) -> None:
        self.value = value


class _Delivery(QObject):
    """Lives on the GUI thread, so the slot of its queued signal runs there."""

    arrived = Signal()

    def __init__(self, deliver: Callable[[], None]) -> None:
        super().__init__()
        self._deliver = deliver
        self.arrived.connect(self._on_arrived)

    @Slot()
    def _on_arrived(self) -> None:
        self._deliver()


class Task(Generic[T, P]):
    """One piece of work: cancel it, wait for its thread, or let it end."""

    def __init__(
        self,
        work: Callable[[Job[P]], T],
        done: Callable[[T], None],
        failed: Callable[[Exception], None],
        owner: QObject | None,
        progress: Callable[[Sequence[P]], None] | None,
        progress_interval: float,
        ended: Callable[[Running], None],
        name: str | None,
    ) -> None:
        self.name = name
        self._cancelled = False
        self._token: CancelToken | None = None
        """Made on the worker thread: sockets load there, not in the window."""
        self._work, self._done, self._failed = work, done, failed
        self._owner, self._progress = owner, progress
        self._interval = progress_interval
        self._ended = ended
        self._lock = threading.Lock()
        self._queue: list[_Progress[P] | _Done[T] | _Failed] = []
        self._posted = False
        """A delivery is on its way to the GUI thread (a signal or a timer)."""
        self._last_delivery = 0.0
        self._finished = threading.Event()
        self.delivered = False
        """The result (or the exception) has reached the GUI thread."""
        self._delivery = _Delivery(self._deliver)

    def cancel(self) -> None:
        """End the work early: its token shuts its sockets down (any thread)."""
        with self._lock:
            self._cancelled = True
            token = self._token
        if token is not None:
            token.cancel()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until the work's thread is done with it; whether it is."""
        return self._finished.wait(timeout)

    # -- on the worker thread ---------------------------------------------------

    def execute(self, open_service: Callable[[], AccountService]) -> None:
        from ..net.transport import CancelToken

        token = CancelToken()
        with self._lock:
            self._token, cancelled = token, self._cancelled
        if cancelled:  # before it started
            token.cancel()
        job: Job[P] = Job(open_service, token, self._report)
        thread = threading.current_thread()
        lane = thread.name
        thread.name = self.name or lane  # what runs on it, while it runs
        try:
            try:
                outcome: _Done[T] | _Failed = _Done(self._work(job))
            finally:
                job.close()
        except Exception as exc:
            outcome = _Failed(exc)
        finally:
            thread.name = lane
        self._post(outcome, final=True)
        self._finished.set()

    def _report(self, value: P) -> None:
        self._post(_Progress(value), final=False)

    def _post(self, event: _Progress[P] | _Done[T] | _Failed, final: bool) -> None:
        with self._lock:
            self._queue.append(event)
            signal = final or not self._posted
            self._posted = True
        if signal:
            with contextlib.suppress(RuntimeError):  # the program is ending
                self._delivery.arrived.emit()

    # -- on the GUI thread --------------------------------------------------------

    def _deliver(self) -> None:
        with self._lock:
            if not self._queue:  # delivered with the result already
                return
            final = not isinstance(self._queue[-1], _Progress)
            early = self._last_delivery + self._interval - time.monotonic()
            if not final and early > 0:  # progress at most every progress_interval
                QTimer.singleShot(int(early * 1000) + 1, self._delivery, self._deliver)
                return
            events, self._queue = self._queue, []
            self._posted = False
        self._last_delivery = time.monotonic()
        values = [e.value for e in events if isinstance(e, _Progress)]
        last = events[-1]
        if final:
            self.delivered = True
            self._ended(self)
        if self._owner is not None and not shiboken6.isValid(self._owner):
            return
        if values and self._progress is not None:
            self._progress(values)
        if isinstance(last, _Done):
            self._done(last.value)
        elif isinstance(last, _Failed):
            self._failed(last.error)


class TaskRunner:
    def __init__(
        self, app: AppContext, quick_threads: int = QUICK_THREADS, wait_threads: int = WAIT_THREADS
    ) -> None:
        self.app = app
        self._threads = {False: quick_threads, True: wait_threads}
        self._lanes: dict[bool, ThreadPoolExecutor] = {}
        """Made when first needed: waits (True) and quick work (False)."""
        self._tasks: set[Running] = set()
        """Tasks whose result has not reached the GUI thread yet."""

    def run(
        self,
        work: Callable[[Job[P]], T],
        done: Callable[[T], None],
        failed: Callable[[Exception], None],
        owner: QObject | None = None,
        *,
        progress: Callable[[Sequence[P]], None] | None = None,
        progress_interval: float = 0.0,
        waits: bool = False,
        name: str | None = None,
    ) -> Task[T, P]:
        """Run *work* on a worker thread; *progress* (what the work reported
        since the last call, in order), then *done* with its result or
        *failed* with its exception run on the GUI thread, and none of them
        once *owner* (a window) has been destroyed. *progress_interval*:
        seconds at least between two progress calls (the result never waits
        longer than that). *waits*: the work waits on a server or a browser,
        so it runs on threads of its own, beside the quick work. *name*:
        the worker thread's name while the work runs."""
        task: Task[T, P] = Task(
            work, done, failed, owner, progress, progress_interval, self._forget, name
        )
        self._tasks.add(task)
        self._lane(waits).submit(task.execute, self.app.open_service)
        return task

    def _lane(self, waits: bool) -> ThreadPoolExecutor:
        lane = self._lanes.get(waits)
        if lane is None:
            name = "tasks-waits" if waits else "tasks-quick"
            lane = self._lanes[waits] = ThreadPoolExecutor(self._threads[waits], name)
        return lane

    def _forget(self, task: Running) -> None:
        self._tasks.discard(task)

    @property
    def busy(self) -> bool:
        """Some task's result has not reached the GUI thread yet."""
        return bool(self._tasks)

    def wait(self) -> None:
        """Cancel every task, then wait until their threads are done with them."""
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        for task in tasks:
            task.wait()

    def close(self) -> None:
        """``wait``, then end the threads (a later task makes new ones)."""
        self.wait()
        lanes, self._lanes = self._lanes, {}
        for lane in lanes.values():
            lane.shutdown(wait=True)
