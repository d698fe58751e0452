"""The SMTP test message with PIPELINING (RFC 2920): where the server offers
it, MAIL FROM, RCPT TO and DATA leave in one write. A server on 127.0.0.1
records every segment it receives, so the test sees what travelled
together."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest

from mailaccounts.model.secret import Secret
from mailaccounts.net.check import run_test
from tests.support.listener import LoopbackListener
from tests.support.servers import free_port

from .test_connection_test import account, failure, steps


class SegmentRecordingSmtp:
    """Greets, offers what *extensions* say, takes AUTH LOGIN and a message;
    ``segments`` holds each ``recv()`` as it came, ``message`` the data."""

    def __init__(self, extensions: list[str], rcpt: bytes = b"250 OK\r\n") -> None:
        self.extensions = extensions
        self.rcpt = rcpt
        self.segments: list[bytes] = []
        self.message = b""
        self.done = threading.Event()
        self._listener = LoopbackListener(self._serve, name="segment-smtp")
        self.port = self._listener.port

    def __enter__(self) -> SegmentRecordingSmtp:
        self._listener.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._listener.stop()

    def _serve(self, conn: socket.socket) -> None:
        conn.settimeout(10)
        ehlo = ["smtp.test", *self.extensions, "AUTH LOGIN"]
        answers = {
            b"EHLO": "".join(
                f"250{'-' if i < len(ehlo) - 1 else ' '}{line}\r\n" for i, line in enumerate(ehlo)
            ).encode(),
            b"AUTH": b"334 VXNlcm5hbWU6\r\n",
            b"MAIL": b"250 OK\r\n",
            b"RCPT": self.rcpt,
            b"DATA": b"354 go ahead\r\n",
            b"QUIT": b"221 bye\r\n",
        }
        logins = 0
        in_data = False
        buffer = b""
        try:
            conn.sendall(b"220 smtp.test ESMTP\r\n")
            while chunk := conn.recv(65536):
                self.segments.append(chunk)
                buffer += chunk
                while b"\r\n" in buffer:
                    line, _, buffer = buffer.partition(b"\r\n")
                    if in_data:
                        if line == b".":
                            in_data = False
                            conn.sendall(b"250 queued\r\n")
                        else:
                            self.message += line + b"\r\n"
                        continue
                    verb = line.split(b" ", 1)[0].split(b":", 1)[0].upper()
                    if verb in answers:
                        conn.sendall(answers[verb])
                        in_data = verb == b"DATA"
                        if verb == b"QUIT":
                            return
                    else:  # the user name, then the password
                        logins += 1
                        conn.sendall(b"334 UGFzc3dvcmQ6\r\n" if logins == 1 else b"235 OK\r\n")
        except OSError:
            pass
        finally:
            conn.close()
            self.done.set()


@pytest.fixture
def pipelining() -> Iterator[SegmentRecordingSmtp]:
    with SegmentRecordingSmtp(["PIPELINING", "SIZE 10000000"]) as server:
        yield server


def send_test_message(port: int) -> list[tuple[str, str]]:
    data = account(free_port(), smtp_port=port, smtp_security="none", method="login")
    report = run_test(data, {"smtp": Secret("geheim")}, timeout=5, send_test_message=True)
    return steps(report, "smtp")


def segment_with(segments: list[bytes], command: bytes) -> bytes:
    """The one segment with a line that begins with *command* (any case)."""
    [found] = [
        s for s in segments if any(line.upper().startswith(command) for line in s.splitlines())
    ]
    return found


def test_mail_rcpt_and_data_travel_in_one_segment(pipelining: SegmentRecordingSmtp) -> None:
    assert send_test_message(pipelining.port)[-2:] == [("send", "ok"), ("quit", "ok")]
    assert pipelining.done.wait(5)
    group = segment_with(pipelining.segments, b"MAIL FROM:")
    assert group.startswith(b"MAIL FROM:<info@mustermann.de> SIZE=")
    assert group.endswith(b"\r\nRCPT TO:<info@mustermann.de>\r\nDATA\r\n")
    assert b"Subject: mailaccounts: Testnachricht / test message\r\n" in pipelining.message
    assert b"\n" not in pipelining.message.replace(b"\r\n", b"")  # CRLF line ends only


def test_without_pipelining_each_command_waits_for_its_answer() -> None:
    with SegmentRecordingSmtp([]) as server:
        assert send_test_message(server.port)[-2:] == [("send", "ok"), ("quit", "ok")]
        assert server.done.wait(5)
        for command in (b"MAIL FROM:", b"RCPT TO:", b"DATA"):
            assert segment_with(server.segments, command).count(b"\r\n") == 1


def test_a_refused_recipient_in_a_group_is_reported_and_data_ended() -> None:
    with SegmentRecordingSmtp(["PIPELINING"], rcpt=b"550 5.1.1 no such user\r\n") as server:
        data = account(free_port(), smtp_port=server.port, smtp_security="none", method="login")
        report = run_test(data, {"smtp": Secret("geheim")}, timeout=5, send_test_message=True)
        failed = failure(report, "smtp")
        assert (failed.name, failed.problem.code) == ("send", "send_rejected")
        assert failed.problem.params["text"] == "550 5.1.1 no such user"
        assert server.message == b""  # the server took DATA; it got an empty one, ended
