"""Rendering problem codes in the window's language."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from ..model.messages import fill_in, template

if TYPE_CHECKING:
    from ..model.problems import Problem


def problem_text(problem: Problem) -> str:
    """The problem in the window's language, without its field path (the
    translated counterpart of ``model.messages.describe``)."""
    text = QCoreApplication.translate("problems", template(problem.code))
    return fill_in(text, problem.params)


def plain_tooltip(text: str) -> str:
    """A tooltip that shows *text* literally. Qt renders a tooltip as rich text
    whenever ``Qt::mightBeRichText`` says so, and offers no plain-text switch;
    so the text is escaped inside a paragraph of our own, line breaks kept."""
    import html  # with its entity tables: loads with the first tooltip, not the list

    return f"<p style='white-space:pre-wrap'>{html.escape(text)}</p>"
