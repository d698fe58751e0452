"""The Qt binding itself: a release that loses references would abort the
program after a while (PySide6 6.12.0 on Python 3.11 releases a reference to
None on every call of a method that returns nothing)."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot


def test_calls_returning_nothing_keep_none_alive(qtbot: QtBot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for _ in range(1000):
        label.setText("x")
        label.setEnabled(True)
    assert sys.getrefcount(None) - before > -100  # a leak would be -2000
