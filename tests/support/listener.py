"""The listening half of the tests' small TCP servers (the fault proxy, the
scripted POP3 box, the scripted hostile servers, the fetch dialog's slow
proxy): a socket on 127.0.0.1 at a free port and a daemon thread that
accepts connections until stopped.

    listener = LoopbackListener(serve, name="my-server")
    listener.start()
    ...  # connect to 127.0.0.1:listener.port; serve(conn) is called
    listener.stop()
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable


class LoopbackListener:
    """Listens on 127.0.0.1 at a free ``port`` and, once started, hands every
    connection it accepts to *handle*: in a daemon thread of its own
    (*threaded*), or in the accepting thread, for a handler that only sets
    the connection up (and then must not miss one). ``stop()`` sets
    ``stopped``, lets the accepting thread end (within 0.05 s) and closes the
    listening socket; the connections themselves are the server's to end."""

    def __init__(
        self,
        handle: Callable[[socket.socket], None],
        *,
        name: str,
        backlog: int = 8,
        threaded: bool = True,
    ) -> None:
        self._handle = handle
        self._threaded = threaded
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(backlog)
        self._socket.settimeout(0.05)  # how soon the accepting thread sees stop()
        self.port = int(self._socket.getsockname()[1])
        self.stopped = threading.Event()
        self._thread = threading.Thread(target=self._accept, name=name, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self.stopped.set()
        if self._thread.ident is not None:  # it was started
            self._thread.join(5)
        self._socket.close()

    def _accept(self) -> None:
        while not self.stopped.is_set():
            try:
                conn, _ = self._socket.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            if self._threaded:
                threading.Thread(target=self._handle, args=(conn,), daemon=True).start()
            else:
                self._handle(conn)
