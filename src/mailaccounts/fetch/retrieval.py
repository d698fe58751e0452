"""The POP3 commands of fetching, on a logged-in conversation: UIDL and
LIST into the store's listing (streamed: nothing in memory grows with the
mailbox), RETR streamed into a file, DELE (``net.pop3.quit_session`` commits);
RETR and DELE pipelined where the server offers it."""

from __future__ import annotations

import os
import re
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..model.records import ListedMessage
from ..net.report import NetError, server_text
from ..net.transport import LineChannel
from ..store import FetchListing
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


def list_uids(channel: LineChannel, listing: FetchListing) -> bool:
    """UIDL into the listing; False when the server does not have it."""
    channel.send("UIDL")
    if not channel.readline().startswith("+OK"):
        return False
    for batch in _pairs(channel, _UIDL_LINE, lambda uid: uid.decode("ascii")):
        listing.add_uids(batch)  # type: ignore[arg-type]
    return True


def list_sizes(channel: LineChannel, listing: FetchListing) -> None:
    channel.send("LIST")
    line = channel.readline()
    if not line.startswith("+OK"):
        raise NetError("protocol_error", text=server_text(line))
    for batch in _pairs(channel, _LIST_LINE, int):
        listing.add_sizes(batch)  # type: ignore[arg-type]


WINDOW = 32
"""Commands in flight at most where the server offers PIPELINING (RFC 2449):
enough to cover a round trip of 50 ms and more at the pace messages are
delivered, few enough that the commands always fit the server's buffer
(so sending never waits while its answers wait for us)."""


def window(channel: LineChannel) -> int:
    """How many commands may be in flight: ``WINDOW`` if the server
    announced PIPELINING, else 1 (each answer read before the next command)."""
    offered = any(cap.split()[:1] == ["PIPELINING"] for cap in map(str.upper, channel.capabilities))
    return WINDOW if offered else 1


@dataclass(frozen=True)
class Request:
    command: str
    """"RETR" or "DELE"."""
    message: ListedMessage
    counts: bool = True
    """Whether its answer completes the message (a DELE after its RETR does not)."""


class Pipeline:
    """The RETR and DELE commands sent whose answers have not been read, in
    the order sent, which is the order the server answers (RFC 1939, 2449).
    Memory is a count of commands: each answer is read (a body streamed to
    disk) when its turn comes."""

    def __init__(self, channel: LineChannel, window: int) -> None:
        self.channel = channel
        self.window = window
        self.sent: deque[Request] = deque()

    @property
    def full(self) -> bool:
        return len(self.sent) >= self.window

    def send(self, request: Request) -> None:
        self.channel.send(f"{request.command} {request.message.msgno}")
        self.sent.append(request)

    def next(self) -> Request:
        return self.sent.popleft()

    def awaits(self, command: str) -> bool:
        """Whether an answer to *command* is still outstanding."""
        return any(request.command == command for request in self.sent)


def retrieved(channel: LineChannel, target: Path, limit: int) -> int:
    """The answer to a RETR, streamed into *target* and synced; its size."""
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


def deleted(channel: LineChannel) -> None:
    """The answer to a DELE."""
    line = channel.readline()
    if not line.startswith("+OK"):
        raise NetError("delete_rejected", text=server_text(line))
