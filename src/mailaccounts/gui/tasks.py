"""Work that may block (keyring, network, a busy store) runs on a worker
thread with its own store connection; results come back on the GUI thread."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

if TYPE_CHECKING:
    from ..services.accounts import AccountService
    from ..services.app_context import AppContext


class Cancellable(Protocol):
    def cancel(self) -> None: ...


class _Relay(QObject):
    """Lives on the GUI thread, so its slots run there."""

    done = Signal(object)
    failed = Signal(object)

    def __init__(self, on_done: Callable[[Any], None], on_error: Callable[[Any], None]):
        super().__init__()
        self._on_done = on_done
        self._on_error = on_error
        self.done.connect(self._deliver_done)
        self.failed.connect(self._deliver_error)

    @Slot(object)
    def _deliver_done(self, result: object) -> None:
        self._on_done(result)

    @Slot(object)
    def _deliver_error(self, error: object) -> None:
        self._on_error(error)


class _Call(QObject):
    """Lives on the GUI thread; a queued signal carries the arguments there."""

    call = Signal(object)

    def __init__(self, slot: Callable[..., object], parent: QObject) -> None:
        super().__init__(parent)
        self._slot = slot
        self.call.connect(self._deliver)

    @Slot(object)
    def _deliver(self, args: tuple[Any, ...]) -> None:
        self._slot(*args)


def on_gui_thread(parent: QObject, slot: Callable[..., object]) -> Callable[..., None]:
    """A function any thread may call while work runs (a step, a found
    setting, a URL to open): *slot* runs with the same arguments on the GUI
    thread, and not at all once *parent* (a window) has been destroyed."""
    relay = _Call(slot, parent)

    def call(*args: Any) -> None:
        with contextlib.suppress(RuntimeError):  # the window has gone meanwhile
            relay.call.emit(args)

    return call


class _Job(QRunnable):
    def __init__(self, work: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.work = work
        self.relay = relay

    def run(self) -> None:
        try:
            result = self.work()
        except Exception as exc:
            self.relay.failed.emit(exc)
        else:
            self.relay.done.emit(result)


NETWORK_THREADS = 8
"""Threads for work that waits on a server or a browser: they wait, they do
not compute, so there are more of them than most machines have cores."""


class TaskRunner:
    def __init__(self, app: AppContext) -> None:
        self.app = app
        self.pool = QThreadPool()
        """The store and the keyring: quick work (a save, a read)."""
        self.network = QThreadPool()
        """Work that waits on a server or a browser (a connection test, a
        lookup, a sign-in that may wait minutes): threads of its own, so that
        it never holds up a save."""
        self.network.setMaxThreadCount(NETWORK_THREADS)
        self._relays: set[_Relay] = set()
        self._cancels: dict[_Relay, Cancellable] = {}

    def run(
        self,
        work: Callable[[AccountService], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[Exception], None],
        owner: QObject | None = None,
        cancel: Cancellable | None = None,
        *,
        network: bool = False,
    ) -> None:
        """Run *work* with its own service; the callbacks run on the GUI thread,
        and not at all if *owner* (a window) has been destroyed meanwhile.
        *cancel* ends the work early: ``wait`` uses it, so that closing the
        program never waits for a browser or a server that does not answer.
        *network*: the work waits on a server or a browser (see ``network``)."""
        relay: _Relay

        def finish(callback: Callable[[Any], None]) -> Callable[[Any], None]:
            def deliver(value: Any) -> None:
                self._relays.discard(relay)
                self._cancels.pop(relay, None)
                if owner is None or shiboken6.isValid(owner):
                    callback(value)

            return deliver

        relay = _Relay(finish(on_done), finish(on_error))
        self._relays.add(relay)
        if cancel is not None:
            self._cancels[relay] = cancel
        pool = self.network if network else self.pool
        pool.start(_Job(lambda: self._with_service(work), relay))

    def _with_service(self, work: Callable[[AccountService], Any]) -> Any:
        service = self.app.open_service()
        try:
            return work(service)
        finally:
            service.close()

    @property
    def busy(self) -> bool:
        return bool(self._relays)

    def wait(self) -> None:
        """Cancel what can be cancelled, then wait for every job to end."""
        for cancel in list(self._cancels.values()):
            cancel.cancel()
        self.network.waitForDone()
        self.pool.waitForDone()
