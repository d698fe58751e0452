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


def plain_tooltip(text: str) -> str:
    """A tooltip that shows *text* literally. Qt renders a tooltip as rich text
    whenever ``Qt::mightBeRichText`` says so, and offers no plain-text switch;
    so the text is escaped inside a paragraph of our own, line breaks kept."""
    import html  # with its entity tables: not needed to show the list

    return f"<p style='white-space:pre-wrap'>{html.escape(text)}</p>"
