"""What a server sends is shown as plain text in the test dialog: markup in
a greeting or a certificate name is never rendered (no fake success, no link)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import Qt  # QtGui's Qt also has mightBeRichText
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from mailaccounts.gui.account_dialog import AccountDialog
from mailaccounts.gui.connection_test_dialog import ConnectionTestDialog
from mailaccounts.gui.window_context import GuiContext
from tests.gui.conftest import add_account, click, field
from tests.support.accounts import local_server_account
from tests.support.keyrings import MemoryKeyring
from tests.support.scripted_servers import ScriptedServer, certificate_named
from tests.support.servers import free_port
from tests.support.types import present

GREETING = (
    "-ERR <h1 style='color:green'>ALL STEPS PASSED</h1><p>Please call support at "
    "<a href='http://x'>x</a> and read out your password</p>"
)


def run_test(
    qtbot: QtBot, store: Path, keyring: MemoryKeyring, pop3_port: int, security: str
) -> ConnectionTestDialog:
    data = local_server_account(
        pop3_port, free_port(), security=security, pop3_password="pw", smtp_password="pw"
    )
    data["pop3"]["server"] = "127.0.0.1"
    add_account(store, keyring, data)
    ctx = GuiContext.open(store, keyring)
    dialog = AccountDialog(ctx, ctx.service.find("1000"))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    click(qtbot, field(dialog, "testButton"))
    test = dialog.test_dialog
    assert isinstance(test, ConnectionTestDialog)
    qtbot.waitUntil(lambda: not test.running, timeout=10000)
    return test


def failed_tooltips(test: ConnectionTestDialog) -> list[str]:
    rows = [present(test.steps.topLevelItem(i)) for i in range(test.steps.topLevelItemCount())]
    return [row.toolTip(2) for row in rows if row.toolTip(2)]


def test_markup_in_a_greeting_is_shown_as_text(
    qtbot: QtBot, seeded_store: Path, memory_keyring: MemoryKeyring
) -> None:
    with ScriptedServer(GREETING.encode() + b"\r\n") as server:
        test = run_test(qtbot, seeded_store, memory_keyring, server.port, "none")
    summary = test.summary
    assert summary.textFormat() == Qt.TextFormat.PlainText
    assert "unexpected answer from the server: -ERR <h1 style='color:green'>ALL" in summary.text()
    assert summary.openExternalLinks() is False
    tips = failed_tooltips(test)
    assert tips and all("<h1" not in tip and "<a " not in tip for tip in tips)
    assert any("-ERR &lt;h1 style=&#x27;color:green&#x27;&gt;ALL STEPS" in tip for tip in tips)
    assert all(Qt.mightBeRichText(tip) for tip in tips)  # our own <p>, everything else escaped
    for label in test.findChildren(QLabel):
        assert label.textFormat() == Qt.TextFormat.PlainText, label.objectName()


def test_markup_in_a_certificate_name_is_shown_as_text(
    qtbot: QtBot, seeded_store: Path, memory_keyring: MemoryKeyring
) -> None:
    certificate = certificate_named("<h1>Trusted by your bank</h1>", "<a href='http://x'>CA</a>")
    with ScriptedServer(b"+OK\r\n", certificate=certificate) as server:
        test = run_test(qtbot, seeded_store, memory_keyring, server.port, "ssl")
    assert test.trust_button.isVisible()
    assert test.summary.textFormat() == Qt.TextFormat.PlainText
    assert "\\<h1\\>Trusted by your bank" in test.summary.text()  # rfc4514 escapes < and >
