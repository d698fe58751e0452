"""Starting the window: the store opens first, Qt after it.

PySide checks every module imported after it for its own use (it reads the
module's source), so what the store needs — sqlite3, the services, the
records — loads before PySide does; see "Start-up" in docs/architecture.md.
A store that cannot be opened (unreadable, of a newer release) is reported in
a message box instead of the window."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path


def start_window(
    store_path: Path, language: str | None = None, mail_root: Path | None = None
) -> int:
    """Open the store, then show the window until it is closed; the exit code."""
    from ..store import StoreError
    from .context import GuiContext

    try:
        opened: GuiContext | StoreError = GuiContext.open(store_path, mail_root=mail_root)
    except StoreError as exc:
        opened = exc
    from .main_window import run

    return run(opened, language)
