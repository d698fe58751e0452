"""Rendering problem codes in the window's language."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication

from ..model.messages import describe, problem_params, template


def problem_text(code: str, params: Mapping[str, Any]) -> str:
    return describe(code, params, QCoreApplication.translate("problems", template(code)))


def problem_reason(problem: Mapping[str, Any]) -> str:
    """A problem ``{"code", **parameters}`` (as fetching reports and stores
    it) in the window's language."""
    return problem_text(str(problem.get("code", "")), problem_params(problem))


def plain_tooltip(text: str) -> str:
    """A tooltip that shows *text* literally. Qt renders a tooltip as rich text
    whenever ``Qt::mightBeRichText`` says so, and offers no plain-text switch;
    so the text is escaped inside a paragraph of our own, line breaks kept."""
    import html  # with its entity tables: loads with the first tooltip, not the list

    return f"<p style='white-space:pre-wrap'>{html.escape(text)}</p>"
