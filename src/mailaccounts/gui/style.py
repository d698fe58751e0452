"""Colours and sizes the windows share, so every dialog looks alike."""

from __future__ import annotations

ERROR = "#b00020"
"""Text of a problem that blocks saving."""
WARNING = "#9a5b00"
"""Text of a problem that does not."""
OK = "#1b6e20"

AREA_MAX_WIDTH = 640
"""Group boxes on the single-column cards."""
TITLE_POINT_SIZE = 16
"""The large line of an empty state."""


def colour(name: str) -> str:
    """A style sheet that sets the text colour."""
    return f"color: {name};"
