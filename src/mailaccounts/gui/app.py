"""Starting the window front end."""

from __future__ import annotations

from pathlib import Path


def run_gui(store_path: Path, language: str | None = None) -> int:
    from .main_window import run

    return run(store_path, language)
