"""Writing a file whole or not at all, private to its owner.

The data goes to a temporary file (mode 0600) in the target's folder, is
synced to disk, and only then takes the target's name; so a full disk, a
file size limit or a crash leaves the previous file as it was, never a
truncated one. The last path component is never followed if it is a
symbolic link, and an existing file is only replaced when asked.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterable


class WriteRefused(Exception):
    """The target is not written; ``reason`` is ``symlink``, ``not_regular`` or ``exists``."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


def write_private(path: str, chunks: Iterable[bytes], *, replace: bool = False) -> None:
    """Write *chunks* to *path*; raises WriteRefused, or OSError when writing
    fails (the temporary file is removed then, and *path* is unchanged)."""
    _check_target(path, replace)
    folder = os.path.dirname(os.path.abspath(path))
    fd, temp = tempfile.mkstemp(dir=folder, prefix=f".{os.path.basename(path)}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.writelines(chunks)
            handle.flush()
            os.fsync(handle.fileno())
        if replace:
            os.replace(temp, path)  # replaces a symbolic link itself, never its target
        else:
            _link_new(temp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise
    sync_folder(folder)


def _check_target(path: str, replace: bool) -> None:
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    if stat.S_ISLNK(mode):
        raise WriteRefused(path, "symlink")
    if not stat.S_ISREG(mode):
        raise WriteRefused(path, "not_regular")
    if not replace:
        raise WriteRefused(path, "exists")


def _link_new(temp: str, path: str) -> None:
    """Give *temp* the name *path* only if nothing has it (no race with a file
    or link created meanwhile); then drop the temporary name."""
    try:
        os.link(temp, path, follow_symlinks=False)
    except FileExistsError:
        raise WriteRefused(path, "exists") from None
    except OSError:  # a file system without hard links: check, then rename
        _check_target(path, replace=False)
        os.replace(temp, path)
        return
    os.unlink(temp)


def sync_folder(folder: str | os.PathLike[str]) -> None:
    """Make the new names in *folder* durable; not every system can sync a
    folder (Windows cannot)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
