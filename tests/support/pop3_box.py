"""A scripted POP3 server with a real mailbox, over implicit TLS, for what
Dovecot cannot be made to do: leave out UIDL, refuse DELE, drop the
connection at a given command. Deletions are committed by QUIT, as RFC 1939
says; a connection that ends without QUIT deletes nothing."""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import socket
import ssl
import tempfile
import threading
from collections.abc import Callable, Collection, Iterator
from pathlib import Path

from tests.support.certs import KeyPair
from tests.support.listener import LoopbackListener


class Pop3Box:
    def __init__(
        self,
        certificate: KeyPair,
        users: dict[str, str],
        *,
        uidl: bool = True,
        uid: Callable[[bytes], str | None] | None = None,
        reject_dele: bool | Collection[bytes] = False,
        reject_retr: Collection[bytes] = (),
        drop_at: str | None = None,
        reject_quit: bool = False,
        pipelining: bool = False,
        pass_reply: bytes | None = None,
        hold: int = 0,
        on_command: Callable[[str], None] | None = None,
    ) -> None:
        """*uid*: a message's unique id in UIDL (by default a hash of its
        content). *reject_dele*: DELE is refused for every message, or for
        the messages given; *reject_retr*: RETR of the messages given.
        *drop_at*: a command (e.g. "DELE 2") whose first arrival closes the
        connection without an answer. *reject_quit*: QUIT answers -ERR and
        removes nothing (a server that failed to commit the deletions).
        *uid* returning None leaves the message out of UIDL (LIST still has
        it). *pipelining*: CAPA announces PIPELINING (RFC 2449); commands
        are answered one after another as they arrive, which is all a
        server must do. *pass_reply*: PASS is answered so (and fails).
        Bodies are dot-stuffed where a CR LF line begins only, as RFC 1939
        defines a line. *hold*: from the first RETR on, answer nothing until
        that many commands have arrived (or the client stops sending): only
        a client that pipelines gets on. *on_command* is called with each
        command line (PASS without its password) before it is answered."""
        self.users = users
        self.uidl = uidl
        self.uid = uid or (lambda message: hashlib.sha1(message).hexdigest()[:20])
        self.reject_dele = reject_dele
        self.reject_retr = reject_retr
        self.drop_at = drop_at
        self.reject_quit = reject_quit
        self.pipelining = pipelining
        self.pass_reply = pass_reply
        self.hold = hold
        self.on_command = on_command
        self.mailbox: list[bytes] = []
        self.held = 0
        """Commands the last session with *hold* had read ahead."""
        self.commands: list[str] = []
        self._lock = threading.Lock()
        self._context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        with tempfile.TemporaryDirectory() as folder:
            self._context.load_cert_chain(*certificate.write(Path(folder), "pop3box"))
        self._listener = LoopbackListener(self._serve, name="pop3box")
        self.port = self._listener.port

    def deliver(self, *messages: bytes) -> None:
        with self._lock:
            self.mailbox.extend(messages)

    def start(self) -> Pop3Box:
        self._listener.start()
        return self

    def stop(self) -> None:
        self._listener.stop()

    def _serve(self, raw: socket.socket) -> None:
        raw.settimeout(30)
        try:
            with self._context.wrap_socket(raw, server_side=True) as conn:
                lines = conn.makefile("rb")
                self._session(conn, self._held(lines) if self.hold else lines)
        except OSError:
            pass

    def _held(self, lines: Iterator[bytes]) -> Iterator[bytes]:
        """The lines, the first RETR and the *hold* - 1 after it read ahead."""
        for line in lines:
            if not line.upper().startswith(b"RETR"):
                yield line
                continue
            ahead = [line, *itertools.islice(lines, self.hold - 1)]
            self.held = len(ahead)
            yield from ahead
            yield from lines
            return

    def _session(self, conn: ssl.SSLSocket, lines: object) -> None:
        def send(*reply: bytes) -> None:
            conn.sendall(b"".join(reply))

        with self._lock:
            box = list(self.mailbox)  # the session's view, numbered from 1
        deleted: set[int] = set()
        user = ""
        logged_in = False
        send(b"+OK scripted POP3 ready\r\n")
        for raw_line in lines:  # type: ignore[attr-defined]
            line = raw_line.rstrip(b"\r\n").decode("utf-8", "replace")
            with self._lock:
                self.commands.append(line if not line.upper().startswith("PASS") else "PASS")
            if self.on_command is not None:
                self.on_command(self.commands[-1])
            if self.drop_at is not None and line.upper() == self.drop_at.upper():
                self.drop_at = None
                return
            verb, _, argument = line.partition(" ")
            verb = verb.upper()
            number = int(argument) if argument.isdigit() else 0
            valid = 1 <= number <= len(box) and number not in deleted
            if verb == "CAPA":
                send(
                    b"+OK\r\nUSER\r\n",
                    b"UIDL\r\n" if self.uidl else b"",
                    b"PIPELINING\r\n" if self.pipelining else b"",
                    b".\r\n",
                )
            elif verb == "USER":
                user = argument
                send(b"+OK\r\n")
            elif verb == "PASS":
                logged_in = self.users.get(user) == argument and self.pass_reply is None
                send(
                    b"+OK logged in\r\n" if logged_in else self.pass_reply or b"-ERR [AUTH] no\r\n"
                )
            elif not logged_in and verb != "QUIT":
                send(b"-ERR log in first\r\n")
            elif verb == "STAT":
                live = [m for i, m in enumerate(box, 1) if i not in deleted]
                send(f"+OK {len(live)} {sum(map(len, live))}\r\n".encode())
            elif verb == "UIDL" and self.uidl and not argument:
                rows = [
                    f"{i} {uid}\r\n".encode()
                    for i, m in enumerate(box, 1)
                    if i not in deleted and (uid := self.uid(m)) is not None
                ]
                send(b"+OK\r\n", *rows, b".\r\n")
            elif verb == "LIST" and not argument:
                numbered = [(i, m) for i, m in enumerate(box, 1) if i not in deleted]
                rows = [f"{i} {len(m)}\r\n".encode() for i, m in numbered]
                send(b"+OK\r\n", *rows, b".\r\n")
            elif verb == "RETR" and valid and box[number - 1] in self.reject_retr:
                send(b"-ERR [SYS/TEMP] this message cannot be read\r\n")
            elif verb == "RETR" and valid:
                body = box[number - 1].replace(b"\r\n.", b"\r\n..")
                body = b"." + body if body.startswith(b".") else body
                send(b"+OK\r\n", body, b"" if body.endswith(b"\r\n") else b"\r\n", b".\r\n")
            elif verb == "DELE" and valid:
                refused = self.reject_dele
                if refused is True or (refused and box[number - 1] in refused):
                    send(b"-ERR [SYS/PERM] this mailbox is read-only\r\n")
                else:
                    deleted.add(number)
                    send(b"+OK deleted\r\n")
            elif verb == "NOOP":
                send(b"+OK\r\n")
            elif verb == "QUIT":
                if logged_in and self.reject_quit:
                    with contextlib.suppress(OSError):
                        send(b"-ERR [SYS/TEMP] some deleted messages not removed\r\n")
                    return
                if logged_in:
                    with self._lock:
                        gone = {id(box[i - 1]) for i in deleted}
                        self.mailbox = [m for m in self.mailbox if id(m) not in gone]
                with contextlib.suppress(OSError):
                    send(b"+OK bye\r\n")
                return
            else:
                send(b"-ERR no such command or message\r\n")
