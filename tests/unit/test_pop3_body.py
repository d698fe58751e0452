"""Reading a RETR body: dot-stuffing undone and CR LF as LF across any split
of the socket reads, long lines streamed through, the size limit kept."""

from __future__ import annotations

import socket
import threading

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mailaccounts.net.report import NetError
from mailaccounts.net.transport import CancelToken, LineChannel, StepClock
from tests.support.examples import examples

line = st.one_of(
    st.binary(max_size=120).map(lambda b: b.replace(b"\r", b"").replace(b"\n", b"")),
    st.sampled_from([b".", b"..", b"...", b".x", b"..x"]),
    st.integers(9000, 30000).map(lambda n: b"." + b"y" * n),  # longer than a line may be
)


def through_socket(message: bytes, chunk: int, limit: int = 10**9) -> tuple[bytes, str]:
    lines = message.split(b"\n")[:-1]
    wire = b"".join((b"." + x if x.startswith(b".") else x) + b"\r\n" for x in lines)
    wire += b".\r\n+OK next\r\n"
    ours, theirs = socket.socketpair()

    def send() -> None:
        for i in range(0, len(wire), chunk):
            theirs.sendall(wire[i : i + chunk])

    sender = threading.Thread(target=send)
    sender.start()
    channel = LineChannel(ours, "h", 110, StepClock(5), CancelToken())
    received = bytearray()
    try:
        channel.read_body(received.extend, limit)
        return bytes(received), channel.readline()
    finally:
        ours.close()  # first: a sender blocked on a full socket gets an error
        sender.join()
        theirs.close()


@examples(200)
@given(lines=st.lists(line, max_size=25), chunk=st.sampled_from([1, 2, 3, 5, 64, 4096, 65536]))
def test_any_message_arrives_as_it_was(lines: list[bytes], chunk: int) -> None:
    message = b"".join(x + b"\n" for x in lines)
    received, after = through_socket(message, chunk)
    assert received == message
    assert after == "+OK next"  # the conversation goes on right after the "."


def test_more_than_the_limit_stops_the_transfer() -> None:
    with pytest.raises(NetError) as info:
        through_socket(b"x" * 100 + b"\n" * 5000, 4096, limit=1000)
    assert info.value.problem.code == "message_too_large"


# -- only CR LF "." CR LF ends an answer (RFC 1939: a line ends in CR LF) ----------

short_raw_line = st.one_of(
    st.binary(max_size=40).map(lambda b: b.replace(b"\r", b"")),
    st.sampled_from([b".", b"..", b"\n.", b".\n.\n", b"x\n.\n.."]),
)
"""A line as a server that dot-stuffs CR LF lines only sees it: bare LFs and
dots anywhere inside, "\\n.\\n" too."""
raw_line = st.one_of(
    short_raw_line,
    st.integers(9000, 20000).map(lambda n: b".\n." + b"y" * n + b"\n.\n"),  # a long line
)


def channel_fed(wire: bytes, chunk: int) -> tuple[LineChannel, threading.Thread, socket.socket]:
    ours, theirs = socket.socketpair()

    def send() -> None:
        for i in range(0, len(wire), chunk):
            theirs.sendall(wire[i : i + chunk])
        theirs.close()

    sender = threading.Thread(target=send)
    sender.start()
    return LineChannel(ours, "h", 110, StepClock(5), CancelToken()), sender, ours


def stuffed(lines: list[bytes]) -> bytes:
    """What RFC 1939 puts on the wire: CR LF lines, "." doubled at their start."""
    return b"".join((b"." + x if x.startswith(b".") else x) + b"\r\n" for x in lines)


@examples(200)
@given(lines=st.lists(raw_line, max_size=20), chunk=st.sampled_from([1, 2, 3, 7, 4096]))
def test_a_bare_lf_dot_lf_in_a_message_does_not_end_it(lines: list[bytes], chunk: int) -> None:
    channel, sender, ours = channel_fed(stuffed(lines) + b".\r\n+OK next\r\n", chunk)
    received = bytearray()
    try:
        channel.read_body(received.extend, 10**9)
        assert bytes(received) == b"".join(x + b"\n" for x in lines)
        assert channel.readline() == "+OK next"
    finally:
        ours.close()  # first: a sender blocked on a full socket gets an error
        sender.join()


def test_the_forged_tail_of_a_message_is_not_read_as_replies() -> None:
    """The finding: a body with "\\n.\\n" followed by text that looks like the
    server's next answers; all of it is the message."""
    body = [b"Hello", b"\n.\n+OK 2 octets\nFrom: forged\n\nforged body\n.\n+OK deleted"]
    channel, sender, ours = channel_fed(stuffed(body) + b".\r\n+OK real\r\n", 5)
    received = bytearray()
    try:
        channel.read_body(received.extend, 10**9)
        assert b"forged body" in received and received.endswith(b"+OK deleted\n")
        assert channel.readline() == "+OK real"
    finally:
        ours.close()  # first: a sender blocked on a full socket gets an error
        sender.join()


@examples(100)
@given(lines=st.lists(short_raw_line, max_size=20), chunk=st.sampled_from([1, 3, 4096]))
def test_a_bare_lf_dot_lf_does_not_end_uidl_list_or_capa(lines: list[bytes], chunk: int) -> None:
    """Every multi-line reader ends at CR LF "." CR LF only."""
    channel, sender, ours = channel_fed(stuffed(lines) + b".\r\n+OK next\r\n", chunk)
    try:
        got = list(channel.multiline())
        assert b"\n".join(got) == b"\n".join(lines)
        assert channel.readline() == "+OK next"
    finally:
        ours.close()  # first: a sender blocked on a full socket gets an error
        sender.join()
