"""Rendering problem codes in the window's language."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication

from ..model.messages import template


def problem_text(code: str, params: dict[str, Any]) -> str:
    raw = QCoreApplication.translate("problems", template(code))
    try:
        return raw.format(**params)
    except (KeyError, IndexError, ValueError):
        return raw
