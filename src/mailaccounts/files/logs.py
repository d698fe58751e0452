"""Where the program's log records go: one set-up per way it runs.

- The window: a rotating file in the user state directory
  (``$MAILACCOUNTS_LOG_DIR`` instead, for tests), created private (0600 in a
  0700 folder); the window's error dialog names it.
- ``serve``: the schedule's lines on stdout, as before, without a timestamp
  of the logging module's own (each line carries the schedule's time, and
  systemd's journal adds its own); warnings and errors of any module on
  stderr.
- Other commands: warnings and errors on stderr, nothing else (the commands
  report their own results).

Modules log through ``logging.getLogger(__name__)``; records of the program
from INFO up are kept, of other libraries from WARNING up. Every message is
neutralised (``model.safe_text``): a server's reply cannot write escape
sequences into a terminal or forge a line of the log. Secrets are ``Secret``
objects whose ``str`` and ``repr`` are masked; no code logs ``reveal()``
(``tests/unit/test_logs.py`` checks the source).

Qt-free. PySide6 loads ``logging`` itself, but ``logging.handlers`` (which
loads ``socket`` and ``pickle``) and opening the file cost milliseconds, so
the window's start path does not import this module before its first
paint; modules on that path that load before PySide6 (the store, the
keyring seam) import ``logging`` where they log."""

from __future__ import annotations

import logging
import logging.handlers
import os
import stat
from io import TextIOWrapper
from pathlib import Path
from typing import IO

from ..model.safe_text import neutralise

LOG_DIR_ENV = "MAILACCOUNTS_LOG_DIR"
LOG_FILE = "mailaccounts.log"
MAX_BYTES = 1_000_000
"""A log file is rotated once it would grow beyond this."""
BACKUPS = 3
"""Rotated files kept beside the current one (``mailaccounts.log.1`` …)."""
OURS = "mailaccounts"
SCHEDULE = "mailaccounts.services.schedule"
"""The logger of ``serve``'s lines (``services/schedule.py``)."""

_FILE_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"


class SafeFormatter(logging.Formatter):
    """Neutralises the message: control, bidi and line-separator characters
    become visible escapes. A traceback keeps its own line breaks."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        record.message = neutralise(record.message)
        record.level = record.levelname.lower()
        return super().formatMessage(record)

    def formatException(self, ei: object) -> str:
        return neutralise(super().formatException(ei), newlines=True)  # type: ignore[arg-type]

    def formatStack(self, stack_info: str) -> str:
        return neutralise(super().formatStack(stack_info), newlines=True)


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """Opens (and reopens after each rotation) its file as 0600, never
    through a symbolic link."""

    def _open(self) -> TextIOWrapper:
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(self.baseFilename, flags, 0o600)
        try:
            if stat.S_IMODE(os.fstat(fd).st_mode) & 0o077:
                os.fchmod(fd, 0o600)  # a file an earlier run left readable to others
            return open(fd, "a", encoding=self.encoding, errors=self.errors)
        except BaseException:
            os.close(fd)
            raise


def log_folder() -> Path:
    """``$MAILACCOUNTS_LOG_DIR`` if set, else the user state directory."""
    if env := os.environ.get(LOG_DIR_ENV):
        return Path(env)
    from platformdirs import user_state_dir

    return Path(user_state_dir("mailaccounts", appauthor=False))


def log_file() -> Path:
    """The window's log file (rotated ones beside it)."""
    return log_folder() / LOG_FILE


def _private_folder(folder: Path) -> None:
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if os.name == "posix" and stat.S_IMODE(folder.stat().st_mode) & 0o077:
        folder.chmod(0o700)


def log_to_file(path: Path | None = None) -> logging.Handler:
    """The window's set-up: records go to the rotating file *path* (default
    ``log_file()``); the handler, for ``stop_logging``."""
    path = path or log_file()
    _private_folder(path.parent)
    handler = PrivateRotatingFileHandler(
        path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8", errors="replace"
    )
    handler.setFormatter(SafeFormatter(_FILE_FORMAT))
    handler.setLevel(logging.INFO)
    _attach(handler)
    return handler


class _Below(logging.Filter):
    def __init__(self, level: int, name: str) -> None:
        super().__init__(name)
        self.level = level

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno < self.level and super().filter(record)


def log_for_serve(stdout: IO[str], stderr: IO[str]) -> list[logging.Handler]:
    """``serve``'s set-up: the schedule's lines (INFO) on *stdout* as they
    are, warnings and errors of every module on *stderr*."""
    lines = logging.StreamHandler(stdout)
    lines.setFormatter(SafeFormatter("%(message)s"))
    lines.addFilter(_Below(logging.WARNING, SCHEDULE))
    return [_attach(lines), log_for_commands(stderr)]


def log_for_commands(stderr: IO[str]) -> logging.Handler:
    """Every other command's set-up: warnings and errors on *stderr*, in the
    form of the command's own messages (``mailaccounts: warning: …``)."""
    handler = logging.StreamHandler(stderr)
    handler.setFormatter(SafeFormatter("mailaccounts: %(level)s: %(message)s"))
    handler.setLevel(logging.WARNING)
    return _attach(handler)


def stop_logging(*handlers: logging.Handler) -> None:
    """Detach and close what a set-up attached (a test, a window that
    closes and a caller that goes on)."""
    for handler in handlers:
        logging.getLogger().removeHandler(handler)
        handler.close()


def _attach(handler: logging.Handler) -> logging.Handler:
    root = logging.getLogger()
    if root.level == logging.NOTSET or root.level > logging.WARNING:
        root.setLevel(logging.WARNING)  # other libraries: warnings and up
    if logging.getLogger(OURS).level == logging.NOTSET:
        logging.getLogger(OURS).setLevel(logging.INFO)
    root.addHandler(handler)
    return handler
