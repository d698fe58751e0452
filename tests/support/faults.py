"""Real faults for fetching tests: a TCP proxy that cuts a connection after
so many bytes or slows it down, a small tmpfs that fills up, and a process
whose peak memory is measured."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


class Proxy:
    """Forwards 127.0.0.1:port to 127.0.0.1:target. What the server sends
    is counted per connection; once ``cut_after`` bytes have reached the
    client, both sides are closed (the rest is never sent). ``rate`` limits
    what reaches the client to so many bytes a second. Both may be changed
    while it runs; they apply to new connections."""

    def __init__(self, target: int, cut_after: int | None = None, rate: int | None = None) -> None:
        self.target = target
        self.cut_after = cut_after
        self.rate = rate
        self.cuts = 0
        self.connections = 0
        self._listener = socket.socket()
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(16)
        self._listener.settimeout(0.2)
        self.port = int(self._listener.getsockname()[1])
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._accept, name="proxy", daemon=True)
        self._open: list[socket.socket] = []

    def start(self) -> Proxy:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join(5)
        self._listener.close()
        for sock in self._open:
            with contextlib.suppress(OSError):
                sock.close()

    def _accept(self) -> None:
        while not self._stopped.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            upstream = socket.create_connection(("127.0.0.1", self.target))
            self._open += [client, upstream]
            pair = (client, upstream)
            threading.Thread(target=self._up, args=pair, daemon=True).start()
            limits = (self.cut_after, self.rate)
            threading.Thread(target=self._down, args=(*pair, *limits), daemon=True).start()

    @staticmethod
    def _close(*socks: socket.socket) -> None:
        for sock in socks:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                sock.close()

    def _up(self, client: socket.socket, upstream: socket.socket) -> None:
        try:
            while data := client.recv(65536):
                upstream.sendall(data)
        except OSError:
            pass
        finally:
            self._close(client, upstream)

    def _down(
        self, client: socket.socket, upstream: socket.socket, cut: int | None, rate: int | None
    ) -> None:
        sent = 0
        started = time.monotonic()
        try:
            while data := upstream.recv(16384):
                if cut is not None and sent + len(data) >= cut:
                    client.sendall(data[: cut - sent])
                    self.cuts += 1
                    return
                client.sendall(data)
                sent += len(data)
                if rate:
                    ahead = sent / rate - (time.monotonic() - started)
                    if ahead > 0:
                        time.sleep(ahead)
        except OSError:
            pass
        finally:
            self._close(client, upstream)


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
