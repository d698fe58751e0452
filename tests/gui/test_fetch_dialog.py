""" "Fetch now" in the account list against a real Dovecot: the chosen
accounts' mail lands in the inboxes on disk, each account's progress and
result show in the dialog, the list shows the results afterwards; the fetch
never runs on the GUI thread, and Cancel ends it within a second."""

from __future__ import annotations

import contextlib
import itertools
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QProgressBar

from mailaccounts.gui.account_table import RESULT
from mailaccounts.gui.fetch_dialog import MESSAGES, FetchDialog
from mailaccounts.gui.fetch_dialog import RESULT as DIALOG_RESULT
from mailaccounts.gui.main_window import MainWindow
from mailaccounts.gui.window_context import GuiContext
from mailaccounts.services import fetch_runner as runner
from mailaccounts.store.sqlite import SqliteStore
from tests.conftest import POP3_USERS
from tests.gui.conftest import add_account, click
from tests.support.accounts import exchange_account
from tests.support.certs import Authority
from tests.support.keyrings import MemoryKeyring, ThreadRecordingKeyring
from tests.support.listener import LoopbackListener
from tests.support.servers import Dovecot

INBOXES = ("operators/ADM", "operators/MUE", "workgroups/VERTRIEB")


def message(number: int, size: int = 300) -> bytes:
    body = f"Zeile {number}\r\n" * (size // 10)
    return (
        f"From: kunde{number}@example.com\r\nTo: info@mustermann.de\r\n"
        f"Subject: Anfrage {number}\r\nMessage-ID: <{number}@example.com>\r\n\r\n{body}"
    ).encode()


@pytest.fixture
def server() -> Iterator[Dovecot]:
    dovecot = Dovecot(POP3_USERS, Authority.shared().issue(["localhost", "127.0.0.1"])).start()
    yield dovecot
    dovecot.stop()


def account(number: str, port: int, password: str) -> dict[str, Any]:
    return {
        "number": number,
        "address": f"info{number}@mustermann.de",
        "pop3": {
            "server": "localhost",
            "port": port,
            "username": "info",
            "security": "ssl",
            "password": password,
        },
        "operators": ["ADM", "MUE"],
        "workgroups": ["VERTRIEB"],
    }


def inbox(mail_root: Path, name: str) -> list[bytes]:
    folder = mail_root / name / "new"
    return sorted(p.read_bytes() for p in folder.iterdir()) if folder.exists() else []


def open_window(qtbot, store: Path, keyring: MemoryKeyring, mail_root: Path) -> MainWindow:  # type: ignore[no-untyped-def]
    ctx = GuiContext.open(store, keyring, mail_root)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(window.table.isSortingEnabled)  # the set-up after the first paint
    window.destroyed.connect(ctx.close)
    return window


def select(qtbot, window: MainWindow, *numbers: str) -> None:  # type: ignore[no-untyped-def]
    """Click the first account's row, Ctrl+click the others'."""
    for index, number in enumerate(numbers):
        rect = window.table.visualRect(window.model.index(window.model.row_of(number), 1))
        modifier = Qt.KeyboardModifier.ControlModifier if index else Qt.KeyboardModifier.NoModifier
        qtbot.mouseClick(
            window.table.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center()
        )
    assert window.selected_numbers() == sorted(numbers)


def results(dialog: FetchDialog) -> dict[str, str]:
    return {number: row.text(DIALOG_RESULT) for number, row in dialog.rows.items()}


def test_fetch_now_for_two_accounts_one_with_a_wrong_password(  # type: ignore[no-untyped-def]
    qtbot, seeded_store: Path, server: Dovecot, trusted_ca: Path, tmp_path: Path, monkeypatch
) -> None:
    sent = [message(n) for n in range(3)]
    server.deliver("info", *sent)
    keyring = ThreadRecordingKeyring()
    add_account(seeded_store, keyring, account("1000", server.tls_port, "falsch"))
    add_account(seeded_store, keyring, account("1001", server.tls_port, POP3_USERS["info"]))
    keyring.read_threads.clear()
    fetching_threads: list[str] = []
    fetch_account = runner.fetch_account

    def recorded(job: Any) -> Any:
        fetching_threads.append(threading.current_thread().name)
        return fetch_account(job)

    monkeypatch.setattr(runner, "fetch_account", recorded)
    mail_root = tmp_path / "mail"
    window = open_window(qtbot, seeded_store, keyring, mail_root)
    assert window.selected_numbers() == ["1000"]  # the first row, as the list opens
    select(qtbot, window, "1000", "1001")
    # one account at a time for these; Fetch now takes all the selected
    assert not window.buttons["editButton"].isEnabled()
    assert window.buttons["fetchButton"].isEnabled()
    click(qtbot, window.buttons["fetchButton"])
    dialog = window.fetch_dialog
    assert isinstance(dialog, FetchDialog) and dialog.objectName() == "fetchDialog"
    assert dialog.isVisible() and dialog.running
    assert dialog.folder.text() == f"Into the inboxes under {mail_root}"
    qtbot.waitUntil(lambda: not dialog.running, timeout=20000)

    shown = results(dialog)
    assert shown["1000"].startswith("failed: the server rejected the login: -ERR")
    assert shown["1001"] == "ok, 3 new"
    assert dialog.rows["1000"].foreground(DIALOG_RESULT).color().name() == "#b00020"
    assert (
        dialog.rows["1000"]
        .toolTip(DIALOG_RESULT)
        .startswith("<p style='white-space:pre-wrap'>the server rejected the login: -ERR")
    )
    bar = dialog.list.itemWidget(dialog.rows["1001"], MESSAGES)
    assert isinstance(bar, QProgressBar)
    assert (bar.value(), bar.maximum(), bar.text()) == (3, 3, "3 of 3")
    assert "3 new, 9 copies into the inboxes, 3 removed from the server" in (
        dialog.rows["1001"].toolTip(DIALOG_RESULT)
    )
    assert dialog.summary.text().startswith(
        "3 new messages fetched.\n1 account failed:\n1000: the server rejected the login: -ERR"
    )
    assert dialog.close_button.text() == "Close"

    # the mail on disk: every message once in each inbox, none left on the server
    expected = sorted(m.replace(b"\r\n", b"\n") for m in sent)
    for name in INBOXES:
        assert inbox(mail_root, name) == expected, name
    assert server.messages("info") == []

    # the fetch ran on worker threads, the password was read there too
    main = threading.main_thread().name
    assert len(fetching_threads) == 2 and main not in fetching_threads
    assert len(keyring.read_threads) == 2 and main not in keyring.read_threads

    # the list shows the results, and the two accounts are still selected
    qtbot.waitUntil(lambda: window.model.data(window.model.index(1, RESULT)) != "–")
    texts = {
        window.model.number_at(r): window.model.data(window.model.index(r, RESULT))
        for r in range(window.model.rowCount())
    }
    assert texts["1000"].startswith("failed: the server rejected the login")
    assert texts["1001"].startswith("ok, 3 new · ")
    assert window.selected_numbers() == ["1000", "1001"]
    click(qtbot, dialog.close_button)
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog))


def test_exchange_accounts_alone_cannot_be_fetched(  # type: ignore[no-untyped-def]
    qtbot, seeded_store: Path, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    exchange = exchange_account()
    add_account(seeded_store, memory_keyring, exchange)
    add_account(seeded_store, memory_keyring, account("1000", 1, "pw"))
    window = open_window(qtbot, seeded_store, memory_keyring, tmp_path / "mail")
    select(qtbot, window, "2000")
    assert not window.buttons["fetchButton"].isEnabled()
    select(qtbot, window, "1000", "2000")
    assert window.buttons["fetchButton"].isEnabled()
    assert window.buttons["editButton"].isEnabled() is False
    dialog = FetchDialog(window.ctx, [window.model.summary_at(1)], window)
    qtbot.addWidget(dialog)
    dialog.start()
    assert not dialog.running
    assert results(dialog) == {"2000": "not fetched: Exchange accounts are not fetched over POP3"}
    assert dialog.summary.text() == "None of these accounts is fetched over POP3."


# -- a large message, slowly ------------------------------------------------------


class SlowProxy:
    """Forwards one port to another, the server's side at *rate* bytes a
    second, so that a large message takes its time."""

    def __init__(self, target: int, rate: int = 256 * 1024) -> None:
        self.target, self.rate = target, rate
        self.listener = LoopbackListener(self._connect, name="slow-proxy", threaded=False)
        self.port = self.listener.port
        self.listener.start()

    def _connect(self, client: socket.socket) -> None:
        upstream = socket.create_connection(("127.0.0.1", self.target))
        for source, sink, rate in ((client, upstream, 0), (upstream, client, self.rate)):
            threading.Thread(target=self._pump, args=(source, sink, rate), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket, rate: int) -> None:
        try:
            while not self.listener.stopped.is_set() and (data := source.recv(16384)):
                sink.sendall(data)
                if rate:
                    time.sleep(len(data) / rate)
        except OSError:
            pass
        finally:
            for sock in (source, sink):  # ends the other direction's pump too
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
            source.close()  # the other pump closes its own

    def stop(self) -> None:
        self.listener.stop()


@pytest.fixture
def slow_large_message(server: Dovecot) -> Iterator[SlowProxy]:
    server.deliver("info", message(1, 30_000_000))  # 30 MB at 256 KB/s: two minutes
    proxy = SlowProxy(server.tls_port)
    yield proxy
    proxy.stop()


def start_slow_fetch(qtbot, store: Path, proxy: SlowProxy, mail_root: Path):  # type: ignore[no-untyped-def]
    keyring = MemoryKeyring()
    add_account(store, keyring, account("1000", proxy.port, POP3_USERS["info"]))
    window = open_window(qtbot, store, keyring, mail_root)
    select(qtbot, window, "1000")
    click(qtbot, window.buttons["fetchButton"])
    dialog = window.fetch_dialog
    assert dialog is not None

    def retrieving() -> bool:  # part of the message is in the staging file
        parts = list((mail_root / ".incoming").rglob("*.part"))
        return bool(parts) and parts[0].stat().st_size > 100_000

    qtbot.waitUntil(retrieving, timeout=15000)
    assert dialog.running and results(dialog) == {"1000": "fetching…"}
    return window, dialog


def assert_nothing_delivered(window: MainWindow, server: Dovecot, mail_root: Path) -> None:
    for name in INBOXES:
        assert inbox(mail_root, name) == []
    staged = [p for p in (mail_root / ".incoming").rglob("*") if p.is_file()]
    assert staged == []  # the partial copy is gone
    assert len(server.messages("info")) == 1  # still on the server
    # a cancelled run is nothing to count for or against the account
    assert SqliteStore(window.ctx.app.store_path).fetch_status("1000") is None
    assert window.model.data(window.model.index(0, RESULT)) == "–"


def test_cancel_during_a_large_message_ends_within_a_second(  # type: ignore[no-untyped-def]
    qtbot, seeded_store: Path, server: Dovecot, slow_large_message: SlowProxy, trusted_ca, tmp_path
) -> None:
    mail_root = tmp_path / "mail"
    ticks: list[float] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(50)
    try:
        window, dialog = start_slow_fetch(qtbot, seeded_store, slow_large_message, mail_root)
        qtbot.wait(300)
        assert max(b - a for a, b in itertools.pairwise(ticks)) < 0.3  # the window kept going
        cancelled_at = time.monotonic()
        click(qtbot, dialog.close_button)
        qtbot.waitUntil(lambda: not dialog.running, timeout=1000)
        assert time.monotonic() - cancelled_at < 1.0
    finally:
        timer.stop()
    assert results(dialog) == {"1000": "cancelled"}
    assert dialog.summary.text() == (
        "0 new messages fetched. Cancelled; what was fetched until then is in the inboxes."
    )
    assert dialog.isVisible() and dialog.close_button.text() == "Close"
    assert_nothing_delivered(window, server, mail_root)


def test_escape_while_fetching_cancels_and_closes(  # type: ignore[no-untyped-def]
    qtbot, seeded_store: Path, server: Dovecot, slow_large_message: SlowProxy, trusted_ca, tmp_path
) -> None:
    mail_root = tmp_path / "mail"
    window, dialog = start_slow_fetch(qtbot, seeded_store, slow_large_message, mail_root)
    fetched: list[object] = []
    dialog.fetched.connect(fetched.append)
    pressed_at = time.monotonic()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible()  # until the workers have ended
    qtbot.waitUntil(lambda: bool(fetched), timeout=1000)
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog), timeout=1000)  # closed, deleted
    assert time.monotonic() - pressed_at < 1.0
    assert_nothing_delivered(window, server, mail_root)


def test_closing_the_window_while_fetching_ends_the_fetch(  # type: ignore[no-untyped-def]
    qtbot, seeded_store: Path, server: Dovecot, slow_large_message: SlowProxy, trusted_ca, tmp_path
) -> None:
    mail_root = tmp_path / "mail"
    window, _ = start_slow_fetch(qtbot, seeded_store, slow_large_message, mail_root)
    before = {t.name for t in threading.enumerate()}
    assert any(name.startswith("fetch") for name in before)
    closed_at = time.monotonic()
    window.close()
    assert time.monotonic() - closed_at < 1.0
    assert not any(t.name.startswith("fetch") for t in threading.enumerate())
    QApplication.processEvents()
    assert len(server.messages("info")) == 1


def test_german(qtbot, seeded_store: Path, memory_keyring, tmp_path, german) -> None:  # type: ignore[no-untyped-def]
    add_account(seeded_store, memory_keyring, account("1000", 1, "pw"))
    window = open_window(qtbot, seeded_store, memory_keyring, tmp_path / "mail")
    assert window.buttons["fetchButton"].text() == "&Jetzt abrufen"
    dialog = FetchDialog(window.ctx, [window.model.summary_at(0)], window)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "E-Mails abrufen"
    assert results(dialog) == {"1000": "wartet…"}
    header = dialog.list.headerItem()
    assert [header.text(i) for i in range(4)] == [
        "Nummer",
        "E-Mail-Adresse",
        "Nachrichten",
        "Ergebnis",
    ]
    assert dialog.folder.text() == f"In die Posteingänge unter {tmp_path / 'mail'}"
