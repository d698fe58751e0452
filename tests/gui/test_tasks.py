"""The window's workers: work that waits on a server or a browser never
holds up quick work on the store and the keyring (a save, a read)."""

from __future__ import annotations

import threading
from typing import Any

from pytestqt.qtbot import QtBot

from mailaccounts.gui.tasks import NETWORK_THREADS
from mailaccounts.gui.window_context import GuiContext


def test_waits_on_the_network_never_hold_up_a_read_of_the_store(
    qtbot: QtBot, gui_ctx: GuiContext
) -> None:
    """More waits than the quick work has threads (a sign-in waiting for
    the browser, a lookup, a test against a silent server), then a read: the
    read comes back at once, the waits go on until released."""
    gui_ctx.tasks.pool.setMaxThreadCount(2)  # as on a 2-core machine, whatever this one has
    waits = min(NETWORK_THREADS, 3)  # more than the quick work's threads
    release = threading.Event()
    waited: list[object] = []
    read: list[object] = []
    failed: list[Exception] = []

    def wait_on_the_network(service: Any) -> bool:
        return release.wait(10)

    for _ in range(waits):
        gui_ctx.tasks.run(wait_on_the_network, waited.append, failed.append, network=True)
    gui_ctx.tasks.run(lambda service: service.summaries(), read.append, failed.append)
    try:
        qtbot.waitUntil(lambda: bool(read), timeout=3000)
        assert waited == [] and failed == []
    finally:
        release.set()
    qtbot.waitUntil(lambda: len(waited) == waits, timeout=5000)
    assert waited == [True] * waits and failed == []
