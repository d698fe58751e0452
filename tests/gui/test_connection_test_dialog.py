"""The "Kontoeinstellungen testen" dialog against real servers on 127.0.0.1."""

from __future__ import annotations

import itertools
import threading
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from mailaccounts.gui.account_dialog import AccountDialog
from mailaccounts.gui.connection_test_dialog import ConnectionTestDialog
from mailaccounts.gui.window_context import GuiContext
from mailaccounts.store.sqlite import SqliteStore
from tests.conftest import POP3_USERS, SMTP_USERS
from tests.gui.conftest import add_account, click, field
from tests.support.accounts import local_server_account
from tests.support.certs import self_signed
from tests.support.keyrings import MemoryKeyring, ThreadRecordingKeyring
from tests.support.servers import BackgroundServer, Dovecot, SilentHandler, free_port
from tests.support.types import SmtpFactory, present


def account(pop3_port: int, smtp_port: int) -> dict[str, Any]:
    return local_server_account(
        pop3_port,
        smtp_port,
        method="cram-md5",
        pop3_password=POP3_USERS["info"],
        smtp_password=SMTP_USERS["smtpuser"],
    )


def open_dialog(qtbot: QtBot, seeded_store: Path, keyring: MemoryKeyring) -> AccountDialog:
    from mailaccounts.gui.window_context import GuiContext

    ctx = GuiContext.open(seeded_store, keyring)
    dialog = AccountDialog(ctx, ctx.service.find("1000"))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def run_test(qtbot: QtBot, dialog: AccountDialog, timeout: int = 10000) -> ConnectionTestDialog:
    click(qtbot, field(dialog, "testButton"))
    test = dialog.test_dialog
    assert test is not None
    qtbot.waitUntil(lambda: not test.running, timeout=timeout)
    return test


def test_all_steps_pass_and_passwords_are_read_off_the_gui_thread(
    qtbot: QtBot, seeded_store: Path, dovecot: Dovecot, smtp_factory: SmtpFactory, trusted_ca: Path
) -> None:
    keyring = ThreadRecordingKeyring()
    _, smtp_port = smtp_factory("starttls")
    add_account(seeded_store, keyring, account(dovecot.tls_port, smtp_port))
    keyring.read_threads.clear()
    dialog = open_dialog(qtbot, seeded_store, keyring)
    qtbot.waitUntil(lambda: not dialog.ctx.tasks.busy)  # whether the passwords are there
    assert threading.main_thread().name not in keyring.read_threads
    keyring.read_threads.clear()
    test = run_test(qtbot, dialog)
    rows = [present(test.steps.topLevelItem(i)) for i in range(test.steps.topLevelItemCount())]
    assert [(r.text(0), r.text(1), r.text(2)) for r in rows] == [
        ("POP3", "Connect", "OK"),
        ("POP3", "TLS (implicit)", "OK"),
        ("POP3", "Greeting and capabilities", "OK"),
        ("POP3", "Log in", "OK"),
        ("POP3", "Open the mailbox", "OK"),
        ("SMTP", "Connect", "OK"),
        ("SMTP", "Greeting (EHLO)", "OK"),
        ("SMTP", "Start TLS", "OK"),
        ("SMTP", "Authenticate", "OK"),
        ("SMTP", "Log off", "OK"),
    ]
    assert all(r.text(3).endswith(" ms") for r in rows)
    assert test.summary.text() == "All steps passed."
    assert len(keyring.read_threads) == 2
    assert threading.main_thread().name not in keyring.read_threads


def test_typed_password_is_used_as_typed(
    qtbot: QtBot, seeded_store: Path, dovecot: Dovecot, smtp_factory: SmtpFactory, trusted_ca: Path
) -> None:
    keyring = MemoryKeyring()
    _, smtp_port = smtp_factory("starttls")
    add_account(seeded_store, keyring, account(dovecot.tls_port, smtp_port))
    dialog = open_dialog(qtbot, seeded_store, keyring)
    field(dialog, "pop3.password").setText("falsch")
    test = run_test(qtbot, dialog)
    assert "POP3 – Log in: the server rejected the login" in test.summary.text()


def test_window_stays_responsive_and_cancel_ends_within_a_second(
    qtbot: QtBot, seeded_store: Path
) -> None:
    silent = BackgroundServer(SilentHandler).start()
    keyring = MemoryKeyring()
    add_account(seeded_store, keyring, account(silent.port, free_port()))
    dialog = open_dialog(qtbot, seeded_store, keyring)
    ticks: list[float] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(50)
    try:
        click(qtbot, field(dialog, "testButton"))
        test = dialog.test_dialog
        assert test is not None and test.running
        qtbot.wait(1000)
        assert test.running  # the silent server holds the POP3 greeting
        assert len(ticks) >= 15  # the event loop kept running meanwhile
        assert max(b - a for a, b in itertools.pairwise(ticks)) < 0.3
        cancel = present(test.findChild(QPushButton, "cancelTestButton"))
        cancelled_at = time.monotonic()
        click(qtbot, cancel)
        qtbot.waitUntil(lambda: not test.running, timeout=1000)
        assert time.monotonic() - cancelled_at < 1.0
        assert "cancelled" in test.summary.text()
    finally:
        timer.stop()
        silent.stop()


def test_trusting_the_shown_certificate_is_saved_with_the_account(
    qtbot: QtBot, seeded_store: Path, smtp_factory: SmtpFactory, trusted_ca: Path
) -> None:
    server = Dovecot(POP3_USERS, self_signed(["localhost"])).start()
    try:
        keyring = MemoryKeyring()
        _, smtp_port = smtp_factory("starttls")
        add_account(seeded_store, keyring, account(server.tls_port, smtp_port))
        dialog = open_dialog(qtbot, seeded_store, keyring)
        test = run_test(qtbot, dialog)
        text = test.summary.text()
        assert "the certificate of localhost is not trusted" in text
        assert "SHA-256: " in text and "Subject: O=mailaccounts tests,CN=localhost" in text
        trust = present(test.findChild(QPushButton, "trustCertificateButton"))
        assert trust.isVisible() and trust.text() == "&Trust this certificate for POP3"
        click(qtbot, trust)
        qtbot.waitUntil(lambda: not test.running and test.report is not None, timeout=10000)
        qtbot.waitUntil(lambda: test.summary.text() == "All steps passed.", timeout=10000)
        test.accept()
        with qtbot.waitSignal(dialog.saved, timeout=5000):
            click(qtbot, dialog.save_button)
        stored = SqliteStore(seeded_store).get("1000")
        assert stored is not None
        assert stored.data["pop3"]["trusted_certificate"]["host"] == "localhost"
    finally:
        server.stop()


def test_button_disabled_for_invalid_input_and_exchange(qtbot: QtBot, gui_ctx: GuiContext) -> None:
    dialog = AccountDialog(gui_ctx)
    qtbot.addWidget(dialog)
    assert not field(dialog, "testButton").isEnabled()
    assert field(dialog, "testButton").toolTip() == "Correct the marked fields first."
