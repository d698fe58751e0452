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


def waiting_lookup(asked: threading.Event) -> Callable[..., Result]:
    """A lookup whose first query never answers: it ends when cancelled."""

    def lookup(address: str, cancel: CancelToken, listener: Callable[[Attempt], None]) -> Result:
        listener(Attempt(1, "autoconfig", "https://autoconfig.firma.example/mail/config-v1.1.xml"))
        asked.set()
        cancel.wait(15)
        return Result(address, None, cancelled=cancel.cancelled)

    return lookup


def test_cancel_ends_the_lookup_at_once_and_the_button_becomes_close(
    qtbot: QtBot, gui_ctx: GuiContext
) -> None:
    asked = threading.Event()
    applied: list[Proposal] = []
    dialog = AutoconfigDialog(gui_ctx, ADDRESS, applied.append, lookup=waiting_lookup(asked))
    qtbot.addWidget(dialog)
    dialog.open()
    dialog.start()
    qtbot.waitUntil(lambda: dialog.tried.topLevelItemCount() == 1, timeout=3000)  # as it runs
    assert dialog.running and dialog.close_button.text() == "Cancel"
    started = time.monotonic()
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert dialog.summary.text() == "Cancelling…" and dialog.isVisible()
    qtbot.waitUntil(lambda: not dialog.running, timeout=1000)
    assert time.monotonic() - started < 1
    assert dialog.summary.text() == "Cancelled." and dialog.close_button.text() == "Close"
    assert applied == []
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and dialog.result() == AutoconfigDialog.DialogCode.Rejected


def test_esc_ends_a_running_lookup_and_closes_at_once(qtbot: QtBot, gui_ctx: GuiContext) -> None:
    asked = threading.Event()
    dialog = AutoconfigDialog(gui_ctx, ADDRESS, lambda _: None, lookup=waiting_lookup(asked))
    qtbot.addWidget(dialog)
    dialog.open()
    dialog.start()
    assert asked.wait(3)
    task = dialog.task
    assert task is not None
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and not dialog.running
    assert task.wait(1)  # the lookup heard the cancel
