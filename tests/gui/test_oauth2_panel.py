"""The OAuth2 card: sign in through the (test's) browser on a worker, check
the sign-in, sign out; a new grant is saved with the account."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from pytestqt.qtbot import QtBot

from mailaccounts.gui.account_dialog import AccountDialog
from mailaccounts.gui.window_context import GuiContext
from mailaccounts.keyring.backend import KeyringSecrets
from mailaccounts.store.sqlite import SqliteStore
from tests.gui.conftest import click, field, new_account_dialog, type_into
from tests.support.keyrings import MemoryKeyring
from tests.support.oauth_server import OAuthServer
from tests.support.types import present


class Browser(QObject):
    """The system browser, as Qt sees it: here the mock provider's."""

    def __init__(self, server: OAuthServer) -> None:
        super().__init__()
        self.server = server
        self.opened: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.opened.append(url.toString())
        self.server.browser(url.toString())


def test_sign_in_check_and_sign_out(
    qtbot: QtBot,
    gui_ctx: GuiContext,
    seeded_store: Path,
    memory_keyring: MemoryKeyring,
    oauth_server: OAuthServer,
    trusted_ca: Path,
) -> None:
    browser = Browser(oauth_server)
    # the stub asks for bytes; PySide6 takes the method's name as text only
    QDesktopServices.setUrlHandler("https", browser, "open")  # type: ignore[arg-type]
    try:
        dialog = new_account_dialog(qtbot, gui_ctx, password="")
        click(qtbot, field(dialog, "pop3.oauth2"))
        dialog.tabs.setCurrentWidget(dialog.cards["oauth2"])
        provider = field(dialog, "oauth2.provider")
        provider.setCurrentIndex(provider.findData("custom"))
        for path, text in (
            ("oauth2.client_id", "mailaccounts-test"),
            ("oauth2.authorization_url", oauth_server.authorization_url),
            ("oauth2.token_url", oauth_server.token_url),
            ("oauth2.scopes", "openid email offline_access"),
        ):
            type_into(qtbot, field(dialog, path), text)
        panel = present(dialog.oauth2_panel)
        assert panel.state.text() == "Not signed in."
        click(qtbot, field(dialog, "oauth2SignInButton"))
        qtbot.waitUntil(lambda: panel.state.text().startswith("Signed in as"), timeout=10000)
        assert panel.state.text() == "Signed in as info; saved with the account."
        assert browser.opened and browser.opened[0].startswith(oauth_server.authorization_url)
        assert dialog.save_button.isEnabled(), dialog.status.text()
        with qtbot.waitSignal(dialog.saved, timeout=5000):
            click(qtbot, dialog.save_button)
    finally:
        QDesktopServices.unsetUrlHandler("https")
    stored = SqliteStore(seeded_store).get("1000")
    assert stored is not None and "oauth2" in stored.secret_refs
    grant = KeyringSecrets(SqliteStore(seeded_store).store_id, memory_keyring).get(
        stored.secret_refs["oauth2"]
    )
    assert grant is not None and "refresh_token" in grant.reveal()

    # reopened: it checks, then a revoked grant says to sign in again
    again = AccountDialog(gui_ctx, gui_ctx.service.find("1000"))
    qtbot.addWidget(again)
    again.show()
    again.tabs.setCurrentWidget(again.cards["oauth2"])
    reopened = again.oauth2_panel
    assert reopened is not None and reopened.state.text().startswith("Signed in (use")
    panel = reopened
    click(qtbot, field(again, "oauth2CheckButton"))
    qtbot.waitUntil(lambda: "the sign-in works" in panel.state.text(), timeout=10000)
    oauth_server.revoke_all("info")
    click(qtbot, field(again, "oauth2CheckButton"))
    qtbot.waitUntil(lambda: "sign in again" in panel.state.text(), timeout=10000)
    click(qtbot, field(again, "oauth2SignOutButton"))
    with qtbot.waitSignal(again.saved, timeout=5000):
        click(qtbot, again.save_button)
    stored = SqliteStore(seeded_store).get("1000")
    assert stored is not None and "oauth2" not in stored.secret_refs
    assert memory_keyring.entries == {}


class SilentBrowser(QObject):
    """A browser that opens the page and never comes back."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.opened.append(url.toString())


def start_sign_in(qtbot: QtBot, gui_ctx: GuiContext, oauth_server: OAuthServer) -> AccountDialog:
    dialog = new_account_dialog(qtbot, gui_ctx, password="")
    click(qtbot, field(dialog, "pop3.oauth2"))
    dialog.tabs.setCurrentWidget(dialog.cards["oauth2"])
    provider = field(dialog, "oauth2.provider")
    provider.setCurrentIndex(provider.findData("custom"))
    for path, text in (
        ("oauth2.client_id", "mailaccounts-test"),
        ("oauth2.authorization_url", oauth_server.authorization_url),
        ("oauth2.token_url", oauth_server.token_url),
    ):
        type_into(qtbot, field(dialog, path), text)
    click(qtbot, field(dialog, "oauth2SignInButton"))
    qtbot.waitUntil(lambda: gui_ctx.tasks.busy, timeout=2000)
    return dialog


def test_a_sign_in_never_keeps_the_dialog_or_the_program_waiting(
    qtbot: QtBot, gui_ctx: GuiContext, oauth_server: OAuthServer, trusted_ca: Path
) -> None:
    """The browser never comes back (the sign-in would wait five minutes):
    closing the dialog ends it, and so does closing the program."""
    browser = SilentBrowser()
    QDesktopServices.setUrlHandler("https", browser, "open")  # type: ignore[arg-type]
    try:
        dialog = start_sign_in(qtbot, gui_ctx, oauth_server)
        qtbot.waitUntil(lambda: bool(browser.opened), timeout=5000)
        dialog.done(0)
        qtbot.waitUntil(lambda: not gui_ctx.tasks.busy, timeout=3000)

        start_sign_in(qtbot, gui_ctx, oauth_server)
        qtbot.waitUntil(lambda: len(browser.opened) == 2, timeout=5000)
        started = time.monotonic()
        gui_ctx.tasks.wait()  # what closing the main window does
        assert time.monotonic() - started < 3
    finally:
        QDesktopServices.unsetUrlHandler("https")


def test_the_client_secret_is_a_masked_field_used_for_the_sign_in(
    qtbot: QtBot,
    gui_ctx: GuiContext,
    seeded_store: Path,
    memory_keyring: MemoryKeyring,
    trusted_ca: Path,
) -> None:
    """A provider that demands a client secret (Google's desktop clients):
    typed on the OAuth2 card, masked, used by the sign-in before it is
    saved, then kept in the keyring and shown as stored, never as text."""
    from PySide6.QtWidgets import QLineEdit

    secret = "GOCSPX-typed-in-the-window"
    with OAuthServer(client_secret=secret) as server:
        browser = Browser(server)
        QDesktopServices.setUrlHandler("https", browser, "open")  # type: ignore[arg-type]
        try:
            dialog = new_account_dialog(qtbot, gui_ctx, password="")
            click(qtbot, field(dialog, "pop3.oauth2"))
            dialog.tabs.setCurrentWidget(dialog.cards["oauth2"])
            provider = field(dialog, "oauth2.provider")
            provider.setCurrentIndex(provider.findData("custom"))
            for path, text in (
                ("oauth2.client_id", "mailaccounts-test"),
                ("oauth2.authorization_url", server.authorization_url),
                ("oauth2.token_url", server.token_url),
                ("oauth2.scopes", "openid email offline_access"),
                ("oauth2.client_secret", secret),
            ):
                type_into(qtbot, field(dialog, path), text)
            secret_field = field(dialog, "oauth2.client_secret")
            assert isinstance(secret_field, QLineEdit)
            assert secret_field.echoMode() == QLineEdit.EchoMode.Password
            panel = present(dialog.oauth2_panel)
            click(qtbot, field(dialog, "oauth2SignInButton"))
            qtbot.waitUntil(lambda: panel.state.text().startswith("Signed in as"), timeout=10000)
            with qtbot.waitSignal(dialog.saved, timeout=5000):
                click(qtbot, dialog.save_button)
        finally:
            QDesktopServices.unsetUrlHandler("https")
        [exchange] = [form for path, form in server.requests if path == "/token"]
        assert exchange["client_secret"] == secret
        assert not server.errors, server.errors
    stored = present(SqliteStore(seeded_store).get("1000"))
    keyring = KeyringSecrets(SqliteStore(seeded_store).store_id, memory_keyring)
    kept = keyring.get(stored.secret_refs["oauth2_client"])
    assert kept is not None and kept.reveal() == secret
    assert secret not in repr(stored)

    again = AccountDialog(gui_ctx, gui_ctx.service.find("1000"))
    qtbot.addWidget(again)
    again.show()
    again.tabs.setCurrentWidget(again.cards["oauth2"])
    shown = field(again, "oauth2.client_secret")
    qtbot.waitUntil(lambda: shown.placeholderText() == "stored – type to replace", timeout=5000)
    assert shown.text() == ""


def test_cancel_ends_a_sign_in_whose_token_endpoint_drips(
    qtbot: QtBot, gui_ctx: GuiContext, oauth_server: OAuthServer, trusted_ca: Path
) -> None:
    """The card's Cancel while the code is redeemed at a provider that
    answers a byte every second: the sign-in ends at once, not after it."""
    oauth_server.drip_next("/token", interval=1.0)
    browser = Browser(oauth_server)
    QDesktopServices.setUrlHandler("https", browser, "open")  # type: ignore[arg-type]
    try:
        dialog = start_sign_in(qtbot, gui_ctx, oauth_server)
        qtbot.waitUntil(lambda: oauth_server.count("/token") == 1, timeout=10000)
        panel = present(dialog.oauth2_panel)
        cancel = field(dialog, "oauth2CancelButton")
        assert cancel.isVisible()
        started = time.monotonic()
        click(qtbot, cancel)
        qtbot.waitUntil(lambda: panel.state.text() == "cancelled", timeout=3000)
        assert time.monotonic() - started < 2
        assert not gui_ctx.tasks.busy
        assert field(dialog, "oauth2SignInButton").isEnabled()
    finally:
        QDesktopServices.unsetUrlHandler("https")
