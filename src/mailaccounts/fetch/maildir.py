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
from pathlib import Path

from ..atomicfile import sync_folder as sync_folder  # re-exported: maildir.sync_folder
from ..net.report import NetError

_SAFE = re.compile(r"[A-Za-z0-9_\-][A-Za-z0-9_.\-]*")
_DEVICES = re.compile(r"(CON|PRN|AUX|NUL|COM[0-9]|LPT[0-9])(\..*)?", re.IGNORECASE)
_FULL = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)
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


class Inbox:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.label = f"{path.parent.name}/{path.name}"
        self._read: set[str] | None = None
        """Our copies in ``cur`` (read by a mail program), listed once a run."""

    def prepare(self) -> None:
        for sub in ("tmp", "new", "cur"):
            (self.path / sub).mkdir(parents=True, exist_ok=True, mode=0o700)

    def holds(self, name: str) -> bool:
        """Whether a copy of that name is here: new, or read (moved to
        ``cur``, where mail programs append flags after ``:`` — ``!`` or
        ``;`` on Windows)."""
        if (self.path / "new" / name).exists():
            return True
        if self._read is None:
            self._read = set()
            with contextlib.suppress(FileNotFoundError), os.scandir(self.path / "cur") as found:
                for entry in found:
                    if ".mailaccounts" in entry.name:
                        self._read.add(re.split("[:!;]", entry.name, maxsplit=1)[0])
        return name in self._read

    def deliver(self, staged: Path, name: str) -> bool:
        """Put the staged message here under *name*, durably. False when a
        copy was here already. NetError ``inbox_full`` when the disk is."""
        if self.holds(name):
            return False
        temp = self.path / "tmp" / name
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()  # left by a run that was killed
        try:
            try:
                os.link(staged, temp)  # the staged file is synced already
            except OSError:  # another file system, or no hard links
                _copy_synced(staged, temp)
            os.rename(temp, self.path / "new" / name)
        except OSError as exc:
            with contextlib.suppress(OSError):
                temp.unlink()
            raise inbox_error(exc, self.label) from None
        return True

    def sync(self) -> None:
        """Make the new names durable."""
        sync_folder(self.path / "new")


def inbox_error(exc: OSError, where: str) -> NetError:
    if exc.errno in _FULL:
        return NetError("inbox_full", inbox=where)
    return NetError("inbox_failed", inbox=where, reason=exc.strerror or type(exc).__name__)


def _copy_synced(source: Path, target: Path) -> None:
    with open(source, "rb") as src, open(target, "xb") as dst:
        shutil.copyfileobj(src, dst, 1 << 20)
        dst.flush()
        os.fsync(dst.fileno())
