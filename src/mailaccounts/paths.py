"""Where the program keeps its files."""

from __future__ import annotations

import os
from pathlib import Path

STORE_ENV = "MAILACCOUNTS_STORE"
STORE_FILE = "accounts.sqlite3"


def default_store_path() -> Path:
    """``MAILACCOUNTS_STORE`` if set, else the user data directory."""
    if env := os.environ.get(STORE_ENV):
        return Path(env)
    from platformdirs import user_data_dir

    return Path(user_data_dir("mailaccounts", appauthor=False)) / STORE_FILE
