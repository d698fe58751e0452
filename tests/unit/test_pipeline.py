"""Pipelined RETR and DELE (RFC 2449) without a server: the window follows
what CAPA announced, and answers are read in the order the commands went
out, over a socketpair whose other end reads every command before it
answers any."""

from __future__ import annotations

import socket
import threading
from pathlib import Path

import pytest

from mailaccounts.fetch import retrieval
from mailaccounts.model.records import ListedMessage
from mailaccounts.net.report import NetError
from mailaccounts.net.transport import CancelToken, LineChannel, StepClock


def channel(sock: socket.socket, capabilities: list[str]) -> LineChannel:
    line = LineChannel(sock, "h", 110, StepClock(5), CancelToken())
    line.capabilities = capabilities
    return line


@pytest.mark.parametrize(
    ("capabilities", "window"),
    [
        ([], 1),
        (["USER", "UIDL"], 1),
        (["USER", "PIPELINING", "UIDL"], retrieval.WINDOW),
        (["pipelining"], retrieval.WINDOW),
        (["PIPELININGX"], 1),
    ],
)
def test_the_window_follows_capa(capabilities: list[str], window: int) -> None:
    ours, theirs = socket.socketpair()
    try:
        assert retrieval.window(channel(ours, capabilities)) == window
    finally:
        ours.close()
        theirs.close()


def test_answers_are_read_in_the_order_the_commands_went_out(tmp_path: Path) -> None:
    ours, theirs = socket.socketpair()
    received: list[bytes] = []

    def server() -> None:
        with theirs.makefile("rb") as lines:
            received.extend(lines.readline() for _ in range(3))  # all three first
        theirs.sendall(
            b"+OK\r\nfirst\r\n..dotted\r\n.\r\n-ERR [SYS/TEMP] not now\r\n+OK deleted\r\n"
        )

    thread = threading.Thread(target=server)
    thread.start()
    wire = retrieval.Pipeline(channel(ours, ["PIPELINING"]), retrieval.WINDOW)
    try:
        for command, msgno in (("RETR", 1), ("RETR", 2), ("DELE", 3)):
            wire.send(retrieval.Request(command, ListedMessage(msgno, f"id{msgno}", 10, None)))
        assert not wire.full and len(wire.sent) == 3
        first = wire.next()
        assert (first.command, first.message.msgno) == ("RETR", 1)
        retrieval.retrieved(wire.channel, tmp_path / "1", 1000)
        assert (tmp_path / "1").read_bytes() == b"first\n.dotted\n"
        assert wire.next().message.msgno == 2
        with pytest.raises(NetError) as refused:
            retrieval.retrieved(wire.channel, tmp_path / "2", 1000)
        assert refused.value.problem.code == "retrieve_rejected"
        assert wire.next().command == "DELE"
        retrieval.deleted(wire.channel)
        assert not wire.sent
    finally:
        ours.close()
        thread.join()
        theirs.close()
    assert received == [b"RETR 1\r\n", b"RETR 2\r\n", b"DELE 3\r\n"]
