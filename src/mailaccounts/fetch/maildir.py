"""The inboxes: one Maildir (``cur``, ``new``, ``tmp``) per operator and per
workgroup, ``<mail root>/operators/<CODE>/`` and ``<mail root>/workgroups/<CODE>/``.

Each copy of a message gets a name derived from the mailbox, the message's
unique id and the inbox, so delivering it again finds the copy that is
already there: a run killed after delivering and before recording delivers
nothing twice. Names are valid on Windows as well (no ``:``).

A copy is written to ``tmp/``, made durable (file synced), moved to ``new/``
and the folder synced. Inboxes on one file system share the file through
hard links; each inbox still has its own name for it, so deleting or
flagging in one never touches another.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path

from ..files.atomic import sync_folder  # re-exported: maildir.sync_folder
from ..net.report import NetError

_SAFE = re.compile(r"[A-Za-z0-9_\-][A-Za-z0-9_.\-]*")
_DEVICES = re.compile(r"(CON|PRN|AUX|NUL|COM[0-9]|LPT[0-9])(\..*)?", re.IGNORECASE)
_FULL = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)
_BY_DESCRIPTOR = (
    hasattr(os, "O_DIRECTORY")
    and hasattr(os, "O_NOFOLLOW")
    and {os.open, os.mkdir, os.stat, os.unlink, os.link, os.rename} <= os.supports_dir_fd
    and os.scandir in os.supports_fd
)
"""Whether the program's folders are reached through open descriptors (POSIX)."""
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_OPEN_FOLDER = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _NOFOLLOW
_READ = os.O_RDONLY | getattr(os, "O_BINARY", 0) | _NOFOLLOW
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | _NOFOLLOW
_REPARSE = getattr(stat, "FILE_ATTRIBUTE_REPARSE_POINT", 0)
"""Windows: a symbolic link or a junction."""
STAGING = ".incoming"
"""The folder below the mail root where messages arrive before they are
delivered (one folder per account inside)."""


def folder_name(code: str) -> str:
    """The folder of an inbox: the code as the directory spells it, unless
    it could leave its folder or is a name Windows reserves (codes that
    releases before 0.2.0 allowed): then ``%`` and the code, with its dots
    as ``%2E`` — no code contains ``%``, so two codes never share a folder."""
    if _SAFE.fullmatch(code) and not code.endswith(".") and not _DEVICES.fullmatch(code):
        return code
    return "%" + code.replace("%", "%25").replace(".", "%2E")


def inbox_path(root: Path, kind: str, code: str) -> Path:
    """*kind* is "operator" or "workgroup"."""
    return root / f"{kind}s" / folder_name(code)


def copy_name(mailbox: str, uid: str, inbox: Path) -> str:
    """The name every delivery of this message into this inbox uses."""
    key = "\0".join((mailbox, uid, inbox.parent.name, inbox.name))
    return f"{hashlib.sha256(key.encode('utf-8')).hexdigest()[:40]}.mailaccounts"


class Folder:
    """One of the program's own folders below the mail root, never reached
    through a link. Each is made, or opened, inside its parent's open
    descriptor with ``O_NOFOLLOW``, and everything in it (listing, linking,
    renaming, removing) goes through that descriptor: a link put in its
    place, before the run or during it, cannot take a delivery or a
    clean-up anywhere else. Systems without descriptor-relative calls
    (Windows) check each folder once with ``lstat`` instead."""

    def __init__(self, path: Path, fd: int | None) -> None:
        self.path = path
        self.fd = fd
        """None: by path (see above)."""

    @classmethod
    def root(cls, path: Path) -> Folder:
        """The mail root, made when missing. The admin named it, so a link
        there is followed; below it, none is. NetError when it cannot be."""
        try:
            path.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY) if _BY_DESCRIPTOR else None
        except OSError as exc:
            if os.path.lexists(path) and not path.is_dir():  # a file, a dangling link
                raise NetError("mail_folder_not_folder", path=str(path)) from None
            raise inbox_error(exc, str(path)) from None
        return cls(path, fd)

    def child(self, name: str) -> Folder:
        """The folder *name* in this one, made when missing. NetError when
        a link, or anything but a folder, has that name."""
        try:
            with contextlib.suppress(FileExistsError):
                os.mkdir(self.at(name), 0o700, dir_fd=self.fd)
            if (refused := self._not_a_folder(name)) is not None:
                raise refused
            if self.fd is None:
                return Folder(self.path / name, None)
            return Folder(self.path / name, os.open(name, _OPEN_FOLDER, dir_fd=self.fd))
        except OSError as exc:  # a link put there meanwhile is named as such
            raise self._not_a_folder(name) or inbox_error(exc, str(self.path / name)) from None

    def _not_a_folder(self, name: str) -> NetError | None:
        try:
            found = os.stat(self.at(name), dir_fd=self.fd, follow_symlinks=False)
        except OSError:
            return None
        if stat.S_ISLNK(found.st_mode) or getattr(found, "st_file_attributes", 0) & _REPARSE:
            return NetError("mail_folder_link", path=str(self.path / name))
        if not stat.S_ISDIR(found.st_mode):
            return NetError("mail_folder_not_folder", path=str(self.path / name))
        return None

    def at(self, name: str) -> str:
        """How the os functions name *name* in here, with ``dir_fd=self.fd``."""
        return name if self.fd is not None else str(self.path / name)

    def entries(self) -> contextlib.AbstractContextManager[Iterator[os.DirEntry[str]]]:
        """What is in here, one entry at a time (``with``)."""
        return os.scandir(self.path if self.fd is None else self.fd)

    def has(self, name: str) -> bool:
        try:
            os.stat(self.at(name), dir_fd=self.fd, follow_symlinks=False)
        except FileNotFoundError:
            return False
        return True

    def unlink(self, name: str) -> None:
        os.unlink(self.at(name), dir_fd=self.fd)

    def sync(self) -> None:
        """Make the new names in here durable."""
        if self.fd is None:
            sync_folder(self.path)
        else:
            with contextlib.suppress(OSError):
                os.fsync(self.fd)

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def clear_staging(folder: Folder) -> None:
    """Remove what a killed run left in an account's staging folder (only
    files of its own runs belong there). A folder there is no run's: it is
    named (``staging_foreign``) and nothing is removed."""
    with folder.entries() as listed:
        found = list(listed)  # a few files at most: one per run killed since
    for entry in found:
        if entry.is_dir(follow_symlinks=False):
            raise NetError("staging_foreign", path=str(folder.path / entry.name))
    for entry in found:
        folder.unlink(entry.name)  # a link goes, never what it points to


class Inbox:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.label = f"{path.parent.name}/{path.name}"
        self._read: set[str] | None = None
        """Our copies in ``cur`` (read by a mail program), listed once a run."""
        self._folders: dict[str, Folder] = {}
        """tmp, new and cur, open from ``prepare`` to ``close``."""

    def prepare(self, root: Folder) -> None:
        """Open the inbox's folders below *root* (the mail root), making
        those that are missing; NetError when one is a link or no folder."""
        opened: list[Folder] = []
        try:
            folder = root
            for part in self.path.relative_to(root.path).parts:
                folder = folder.child(part)
                opened.append(folder)
            for sub in ("tmp", "new", "cur"):
                self._folders[sub] = folder.child(sub)
        finally:
            for parent in opened:
                parent.close()

    def close(self) -> None:
        for folder in self._folders.values():
            folder.close()
        self._folders.clear()

    def holds(self, name: str) -> bool:
        """Whether a copy of that name is here: new, or read (moved to
        ``cur``, where mail programs append flags after ``:`` — ``!`` or
        ``;`` on Windows)."""
        if self._folders["new"].has(name):
            return True
        if self._read is None:
            with self._folders["cur"].entries() as found:
                self._read = {
                    re.split("[:!;]", entry.name, maxsplit=1)[0]
                    for entry in found
                    if ".mailaccounts" in entry.name
                }
        return name in self._read

    def deliver(self, staging: Folder, staged: str, name: str) -> bool:
        """Put the staged message (*staged* in *staging*) here under *name*,
        durably. False when a copy was here already. NetError ``inbox_full``
        when the disk is full. Only names of our own are created or removed."""
        if self.holds(name):
            return False
        tmp, new = self._folders["tmp"], self._folders["new"]
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink(name)  # left by a run that was killed
        try:
            try:  # the staged file is synced already
                _link(staging, staged, tmp, name)
            except OSError:  # another file system, or no hard links
                _copy_synced(staging, staged, tmp, name)
            os.rename(tmp.at(name), new.at(name), src_dir_fd=tmp.fd, dst_dir_fd=new.fd)
        except OSError as exc:
            with contextlib.suppress(OSError):
                tmp.unlink(name)
            raise inbox_error(exc, self.label) from None
        return True

    def sync(self) -> None:
        """Make the new names durable."""
        self._folders["new"].sync()


def inbox_error(exc: OSError, where: str) -> NetError:
    if exc.errno in _FULL:
        return NetError("inbox_full", inbox=where)
    return NetError("inbox_failed", inbox=where, reason=exc.strerror or type(exc).__name__)


def _link(source: Folder, staged: str, target: Folder, name: str) -> None:
    if source.fd is None or target.fd is None:  # by path: follow_symlinks may not exist
        os.link(source.at(staged), target.at(name))
    else:
        os.link(staged, name, src_dir_fd=source.fd, dst_dir_fd=target.fd, follow_symlinks=False)


def _copy_synced(source: Folder, staged: str, target: Folder, name: str) -> None:
    """Copy the staged file into *target*, synced; never through a link."""
    reading = os.open(source.at(staged), _READ, dir_fd=source.fd)
    with open(reading, "rb") as src:
        writing = os.open(target.at(name), _CREATE, 0o666, dir_fd=target.fd)
        with open(writing, "wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
            dst.flush()
            os.fsync(dst.fileno())
