"""The POP3 commands of fetching, on a logged-in conversation: UIDL and
LIST into the store's listing (streamed: nothing in memory grows with the
mailbox), RETR streamed into a file, DELE (``net.pop3.quit_session`` commits)."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

from ..net.report import NetError, server_text
from ..net.transport import LineChannel
from ..store.fetching import Listing
from . import maildir

_UIDL_LINE = re.compile(rb"([0-9]{1,9}) ([\x21-\x7e]{1,70})")
_LIST_LINE = re.compile(rb"([0-9]{1,9}) ([0-9]{1,15})")
BATCH = 1000


def _pairs(
    channel: LineChannel, pattern: re.Pattern[bytes], convert: Callable[[bytes], object]
) -> Iterator[list[tuple[int, object]]]:
    batch: list[tuple[int, object]] = []
    for line in channel.multiline():
        found = pattern.fullmatch(line)
        if found is None:
            raise NetError("protocol_error", text=server_text(line))
        batch.append((int(found[1]), convert(found[2])))
        if len(batch) >= BATCH:
            yield batch
            batch = []
    yield batch


def list_uids(channel: LineChannel, listing: Listing) -> bool:
    """UIDL into the listing; False when the server does not have it."""
    channel.send("UIDL")
    if not channel.readline().startswith("+OK"):
        return False
    for batch in _pairs(channel, _UIDL_LINE, lambda uid: uid.decode("ascii")):
        listing.add_uids(batch)  # type: ignore[arg-type]
    return True


def list_sizes(channel: LineChannel, listing: Listing) -> None:
    channel.send("LIST")
    line = channel.readline()
    if not line.startswith("+OK"):
        raise NetError("protocol_error", text=server_text(line))
    for batch in _pairs(channel, _LIST_LINE, int):
        listing.add_sizes(batch)  # type: ignore[arg-type]


def retrieve(channel: LineChannel, msgno: int, target: Path, limit: int) -> int:
    """RETR into *target*, synced to disk; returns its size."""
    channel.send(f"RETR {msgno}")
    line = channel.readline()
    if not line.startswith("+OK"):
        raise NetError("retrieve_rejected", text=server_text(line))
    try:
        with open(target, "xb", buffering=1 << 16) as file:
            size = channel.read_body(file.write, limit)
            file.flush()
            os.fsync(file.fileno())
    except OSError as exc:  # a full disk too: inbox_full
        raise maildir.inbox_error(exc, maildir.STAGING) from None
    return size


def delete(channel: LineChannel, msgno: int) -> None:
    channel.send(f"DELE {msgno}")
    line = channel.readline()
    if not line.startswith("+OK"):
        raise NetError("delete_rejected", text=server_text(line))
