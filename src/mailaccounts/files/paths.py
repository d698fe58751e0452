"""Where the program keeps its files."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from platformdirs import user_data_dir

STORE_ENV = "MAILACCOUNTS_STORE"
STORE_FILE = "accounts.sqlite3"
MAIL_ROOT_ENV = "MAILACCOUNTS_MAIL_ROOT"
NOW_ENV = "MAILACCOUNTS_NOW"
"""For tests: the time fetching and the schedule take as now (ISO 8601)."""


def default_store_path() -> Path:
    """``MAILACCOUNTS_STORE`` if set, else the user data directory."""
    if env := os.environ.get(STORE_ENV):
        return Path(env)

    return Path(user_data_dir("mailaccounts", appauthor=False)) / STORE_FILE


def default_mail_root() -> Path:
    """``MAILACCOUNTS_MAIL_ROOT`` if set, else ``mail/`` in the user data
    directory: the inboxes live below it."""
    if env := os.environ.get(MAIL_ROOT_ENV):
        return Path(env)

    return Path(user_data_dir("mailaccounts", appauthor=False)) / "mail"


def clock() -> Callable[[], datetime]:
    """What fetching takes as now: the real time, or the fixed time a test
    set in ``MAILACCOUNTS_NOW``."""
    fixed = os.environ.get(NOW_ENV)
    if fixed:
        at = datetime.fromisoformat(fixed)
        at = at if at.tzinfo else at.replace(tzinfo=UTC)
        return lambda: at
    return lambda: datetime.now(UTC)
