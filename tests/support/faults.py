"""Real faults for fetching tests: a TCP proxy that cuts a connection after
so many bytes, slows it down or makes its round trips long; a small tmpfs
that fills up; a process whose peak memory is measured."""

from __future__ import annotations

import contextlib
import queue
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.support.listener import LoopbackListener


class Proxy:
    """Forwards 127.0.0.1:port to 127.0.0.1:target. What the server sends
    is counted per connection; once ``cut_after`` bytes have reached the
    client, both sides are closed (the rest is never sent). ``rate`` limits
    what reaches the client to so many bytes a second; ``delay`` holds back
    everything, both ways, for so many seconds (a round trip takes twice
    that) without limiting the rate. They may be changed while it runs and
    apply to new connections."""

    def __init__(
        self,
        target: int,
        cut_after: int | None = None,
        rate: int | None = None,
        delay: float = 0.0,
    ) -> None:
        self.target = target
        self.cut_after = cut_after
        self.rate = rate
        self.delay = delay
        self.cuts = 0
        self.connections = 0
        self._listener = LoopbackListener(self._connect, name="proxy", backlog=16, threaded=False)
        self.port = self._listener.port
        self._open: list[socket.socket] = []

    def start(self) -> Proxy:
        self._listener.start()
        return self

    def stop(self) -> None:
        self._listener.stop()
        for sock in self._open:
            with contextlib.suppress(OSError):
                sock.close()

    def _connect(self, client: socket.socket) -> None:
        self.connections += 1
        upstream = socket.create_connection(("127.0.0.1", self.target))
        for sock in (client, upstream):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._open += [client, upstream]
        pair = (client, upstream)
        up = _Line(upstream, self.delay, pair)
        down = _Line(client, self.delay, pair)
        threading.Thread(target=self._up, args=(client, up), daemon=True).start()
        limits = (self.cut_after, self.rate)
        threading.Thread(target=self._down, args=(upstream, down, *limits), daemon=True).start()

    def _up(self, client: socket.socket, line: _Line) -> None:
        try:
            while data := client.recv(65536):
                line.send(data)
        except OSError:
            pass
        finally:
            line.close()

    def _down(
        self, upstream: socket.socket, line: _Line, cut: int | None, rate: int | None
    ) -> None:
        sent = 0
        started = time.monotonic()
        try:
            while data := upstream.recv(16384):
                if cut is not None and sent + len(data) >= cut:
                    line.send(data[: cut - sent])
                    self.cuts += 1
                    return
                line.send(data)
                sent += len(data)
                if rate:
                    ahead = sent / rate - (time.monotonic() - started)
                    if ahead > 0:
                        time.sleep(ahead)
        except OSError:
            pass
        finally:
            line.close()


class _Line:
    """One direction of a proxied connection: what is sent reaches *sink*
    *delay* seconds later; closing it (once all has arrived) closes both
    sockets of the connection."""

    def __init__(self, sink: socket.socket, delay: float, pair: tuple[socket.socket, ...]) -> None:
        self.sink, self.delay, self.pair = sink, delay, pair
        self._queue: queue.SimpleQueue[tuple[float, bytes] | None] = queue.SimpleQueue()
        if delay:
            threading.Thread(target=self._deliver, daemon=True).start()

    def send(self, data: bytes) -> None:
        if self.delay:
            self._queue.put((time.monotonic() + self.delay, data))
        else:
            self.sink.sendall(data)

    def close(self) -> None:
        if self.delay:
            self._queue.put(None)
        else:
            self._close()

    def _deliver(self) -> None:
        try:
            while (item := self._queue.get()) is not None:
                due, data = item
                time.sleep(max(0.0, due - time.monotonic()))
                self.sink.sendall(data)
        except OSError:
            pass
        finally:
            self._close()

    def _close(self) -> None:
        for sock in self.pair:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                sock.close()


@contextlib.contextmanager
def tmpfs(folder: Path, size: str) -> Iterator[None]:
    """A tmpfs of *size* (e.g. "2m") mounted at *folder* (the tests run as
    root). Not being able to mount fails the test: the fault must be real."""
    folder.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert mounted.returncode == 0, f"cannot mount a tmpfs (root needed): {mounted.stderr}"
    try:
        yield
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=True)


def remount(folder: Path, size: str) -> None:
    """Give the tmpfs at *folder* another size, keeping what it holds."""
    subprocess.run(["mount", "-o", f"remount,size={size}", str(folder)], check=True)


@dataclass
class Measured:
    code: int
    out: str
    err: str
    peak_kb: int
    """The process's own peak resident memory."""
    seconds: float


# A process's ru_maxrss starts at its parent's size when it forks (Linux
# carries the high-water mark over the exec), so a large parent like pytest
# would hide the child's own peak: a small Python starts the command and
# reports its children's peak (its only child) into the file it is given.
_MEASURE = """
import resource, subprocess, sys
code = subprocess.call(sys.argv[2:])
with open(sys.argv[1], "w") as out:
    out.write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
sys.exit(code)
"""


def run_measured(
    command: list[str], env: dict[str, str], cwd: Path, timeout: float = 120
) -> Measured:
    """Run *command*; its exit code, output, peak memory and time."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        peak = Path(folder, "peak")
        started = time.monotonic()
        done = subprocess.run(
            [sys.executable, "-c", _MEASURE, str(peak), *command],
            capture_output=True,
            env=env,
            cwd=cwd,
            timeout=timeout,
            check=False,
        )
        seconds = time.monotonic() - started
        return Measured(
            done.returncode,
            done.stdout.decode(),
            done.stderr.decode(),
            int(peak.read_text()),
            seconds,
        )
