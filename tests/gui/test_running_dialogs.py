"""The dialogs that run one piece of work (the lookup of settings, the
connection test, the fetch) and what closing them does while it runs."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from mailaccounts.autoconfig.result import Attempt, Pop3Proposal, Proposal, Result
from mailaccounts.gui.autoconfig_dialog import AutoconfigDialog
from mailaccounts.gui.window_context import GuiContext
from mailaccounts.net.transport import CancelToken

ADDRESS = "info@firma.example"


def answering_lookup(
    answered: threading.Event,
) -> Callable[..., Result]:
    """A lookup that finds the domain's own settings (filled in without
    asking) as soon as it starts, and tells the test it has answered."""

    def lookup(address: str, cancel: CancelToken, listener: Callable[[Attempt], None]) -> Result:
        proposal = Proposal(
            source="autoconfig",
            origin="https://autoconfig.firma.example/mail/config-v1.1.xml",
            pop3=Pop3Proposal("pop.firma.example", 995, "ssl", address),
            smtp=None,
        )
        answered.set()
        return Result(address, proposal)

    return lookup


def test_esc_as_the_lookup_answers_fills_nothing_in(qtbot: QtBot, gui_ctx: GuiContext) -> None:
    """The answer is on its way to the window when the admin presses Esc:
    the dialog closes and nothing is filled in, also not afterwards."""
    answered = threading.Event()
    applied: list[Proposal] = []
    dialog = AutoconfigDialog(gui_ctx, ADDRESS, applied.append, lookup=answering_lookup(answered))
    qtbot.addWidget(dialog)
    dialog.open()
    dialog.start()
    assert answered.wait(3)
    time.sleep(0.2)  # the worker has sent the answer; the window has not read it yet
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    for _ in range(5):
        QApplication.processEvents()
        time.sleep(0.05)
    assert applied == [] and not dialog.applied


def test_the_same_answer_is_filled_in_when_nobody_closes(qtbot: QtBot, gui_ctx: GuiContext) -> None:
    """The counterpart of the test above: the lookup there did answer."""
    answered = threading.Event()
    applied: list[Proposal] = []
    dialog = AutoconfigDialog(gui_ctx, ADDRESS, applied.append, lookup=answering_lookup(answered))
    qtbot.addWidget(dialog)
    dialog.open()
    dialog.start()
    qtbot.waitUntil(lambda: not dialog.running, timeout=3000)
    assert [p.pop3.server for p in applied] == ["pop.firma.example"]
    assert dialog.close_button.text() == "Close"
