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
        sender.join()
        ours.close()
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
