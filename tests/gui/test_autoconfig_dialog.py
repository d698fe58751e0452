"""The account dialog's "Find settings" button against a DNS server and an
HTTPS server on 127.0.0.1: fields filled (never a password), a guess only
when the admin applies it, Cancel at once, German."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from mailaccounts.gui.account_dialog import AccountDialog
from mailaccounts.gui.autoconfig_dialog import AutoconfigDialog
from mailaccounts.gui.window_context import GuiContext
from tests.gui.conftest import click, field, new_account_dialog, type_into
from tests.support.autoconfig_net import (
    ISPDB_HOST,
    MailNet,
    Server,
    client_config,
    mail_net,
    pop3_smtp,
)
from tests.support.certs import Authority
from tests.support.types import present

pytestmark = pytest.mark.port443

DOMAIN = "firma.example"
ADDRESS = f"info@{DOMAIN}"


@pytest.fixture
def net(
    authority: Authority, trusted_ca: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[MailNet]:
    names = [DOMAIN, f"autoconfig.{DOMAIN}", ISPDB_HOST]
    with mail_net(authority.issue(names)) as servers:
        for name, value in servers.env.items():
            monkeypatch.setenv(name, value)
        yield servers


def find_settings(qtbot: QtBot, dialog: AccountDialog) -> AutoconfigDialog:
    click(qtbot, field(dialog, "autoconfigButton"))
    found = dialog.autoconfig_dialog
    assert found is not None
    qtbot.waitUntil(lambda: not found.running, timeout=10000)
    return found


def test_settings_from_the_domain_are_filled_in_and_passwords_left_alone(
    qtbot: QtBot, gui_ctx: GuiContext, net: MailNet
) -> None:
    net.own(DOMAIN, pop3_smtp("pop.firma.example", "smtp.firma.example", smtp_port=587))
    dialog = new_account_dialog(qtbot, gui_ctx, password="pop3-geheim", address=ADDRESS)
    found = find_settings(qtbot, dialog)
    data = dialog.current_data()
    assert data["pop3"] | {"trusted_certificate": None} == {
        "server": "pop.firma.example",
        "port": 995,
        "security": "ssl",
        "username": ADDRESS,
        "spa": False,
        "trusted_certificate": None,
        "oauth2": False,
    }
    assert (data["smtp"]["separate"], data["smtp"]["server"], data["smtp"]["port"]) == (
        True,
        "smtp.firma.example",
        587,
    )
    assert data["smtp"]["auth"] | {"same_as_incoming": False} == {
        "required": True,
        "method": "login",
        "username": ADDRESS,
        "same_as_incoming": False,
    }
    # the typed POP3 password is as it was; no other password appeared
    assert {k: v.reveal() for k, v in dialog.secret_changes().items() if v} == {
        "pop3": "pop3-geheim"
    }
    assert field(dialog, "pop3.password").text() == "pop3-geheim"
    assert found.applied
    assert "filled in" in found.notice.text()
    assert "the domain's own configuration file" in found.summary.text()
    queries = [
        present(found.tried.topLevelItem(i)).text(1) for i in range(found.tried.topLevelItemCount())
    ]
    assert queries[0].startswith(f"https://autoconfig.{DOMAIN}/mail/config-v1.1.xml")
    assert not found.apply_button.isVisible()
    # the ports follow a change of mode from the filled-in settings on
    field(dialog, "pop3.security").mode.setCurrentIndex(1)  # STARTTLS
    assert dialog.current_data()["pop3"]["port"] == 110


def test_a_guess_is_shown_and_applied_only_when_the_admin_says_so(
    qtbot: QtBot, gui_ctx: GuiContext, net: MailNet
) -> None:
    net.dns.mx(DOMAIN, "mx01.provider.example")
    net.ispdb("provider.example", pop3_smtp("pop.provider.example", "smtp.provider.example"))
    dialog = new_account_dialog(qtbot, gui_ctx, address=ADDRESS)
    before = dialog.current_data()
    found = find_settings(qtbot, dialog)
    assert "a guess" in found.summary.text()
    assert "This is a guess" in found.warning.text()
    assert found.apply_button.isVisible() and not found.applied
    assert dialog.current_data() == before  # nothing filled in yet
    click(qtbot, found.close_button)  # "Do not apply"
    assert dialog.current_data() == before

    found = find_settings(qtbot, dialog)
    click(qtbot, found.apply_button)
    data = dialog.current_data()
    assert (data["pop3"]["server"], data["smtp"]["server"]) == (
        "pop.provider.example",
        "smtp.provider.example",
    )


def test_cancel_ends_the_lookup_at_once_and_fills_nothing(
    qtbot: QtBot, gui_ctx: GuiContext, net: MailNet, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MAILACCOUNTS_AUTOCONFIG_TIMEOUTS")  # the real 15 s
    net.dns.a(f"autoconfig.{DOMAIN}")
    net.web.silent(f"autoconfig.{DOMAIN}", "/mail/config-v1.1.xml")
    dialog = new_account_dialog(qtbot, gui_ctx, address=ADDRESS)
    before = dialog.current_data()
    click(qtbot, field(dialog, "autoconfigButton"))
    found = present(dialog.autoconfig_dialog)
    qtbot.waitUntil(lambda: found.tried.topLevelItemCount() >= 3)
    started = time.monotonic()
    click(qtbot, found.close_button)  # "Cancel" while it runs
    qtbot.waitUntil(lambda: not found.running, timeout=3000)
    assert time.monotonic() - started < 1.5
    assert found.summary.text() == "Cancelled."
    assert dialog.current_data() == before


def test_the_button_needs_an_address_and_a_pop3_account(qtbot: QtBot, gui_ctx: GuiContext) -> None:
    dialog = AccountDialog(gui_ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    button = field(dialog, "autoconfigButton")
    assert isinstance(button, QPushButton)
    assert not button.isEnabled()
    type_into(qtbot, field(dialog, "address"), "kein-at-zeichen")
    assert not button.isEnabled()
    type_into(qtbot, field(dialog, "address"), "info@")
    assert button.isEnabled()
    assert dialog.find_settings() is None  # not an address: nothing runs
    type_into(qtbot, field(dialog, "address"), ADDRESS)
    click(qtbot, field(dialog, "exchange"))
    assert not button.isEnabled()


def test_german(qtbot: QtBot, gui_ctx: GuiContext, net: MailNet, german: None) -> None:
    net.dns.srv(f"_pop3s._tcp.{DOMAIN}", "pop.firma.example", 995)
    dialog = new_account_dialog(qtbot, gui_ctx, address=ADDRESS)
    assert field(dialog, "autoconfigButton").text() == "Einstellungen ermitteln…"
    found = find_settings(qtbot, dialog)
    assert found.windowTitle() == "Einstellungen ermitteln"
    assert found.summary.text().startswith(f"Einstellungen für {ADDRESS} aus den SRV-Einträgen")
    assert "Passwörter werden nie eingetragen" in found.notice.text()
    answers = [
        present(found.tried.topLevelItem(i)).text(2) for i in range(found.tried.topLevelItemCount())
    ]
    assert "angeboten (Priorität Gewicht Port Ziel): 0 0 995 pop.firma.example" in answers


def test_the_window_and_the_dialog_load_no_dns_library() -> None:
    """dnspython and the engine load when a lookup runs, not with the window."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import mailaccounts.gui.main_window, mailaccounts.gui.account_dialog\n"
        "import mailaccounts.gui.autoconfig_dialog\n"
        "loaded = [m for m in sys.modules if m.split('.')[0] == 'dns' or m.endswith('.engine')]\n"
        "print(loaded)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[]"


def test_outlook_com_fills_the_oauth2_card_and_leads_to_the_sign_in(
    qtbot: QtBot, gui_ctx: GuiContext, net: MailNet
) -> None:
    net.real_ispdb()  # the ISPDB's own file: OAuth2 only
    address = "max@outlook.com"
    dialog = new_account_dialog(qtbot, gui_ctx, password="", address=address)
    found = find_settings(qtbot, dialog)
    data = dialog.current_data()
    assert (data["pop3"]["server"], data["pop3"]["oauth2"], data["pop3"]["spa"]) == (
        "outlook.office365.com",
        True,
        False,
    )
    assert (data["smtp"]["server"], data["smtp"]["auth"]["method"]) == (
        "smtp-mail.outlook.com",
        "oauth2",
    )
    assert data["oauth2"] is not None
    assert (data["oauth2"]["provider"], data["oauth2"]["tenant"]) == ("microsoft", "common")
    assert field(dialog, "oauth2.provider").currentData() == "microsoft"
    assert data["fetch"]["leave_on_server"] is True
    assert dialog.secret_changes() == {}  # never a password
    assert "Sign-in: OAuth2 at Microsoft, no password" in found.proposal_text.text()
    assert "logon OAuth2 as max@outlook.com" in found.proposal_text.text()
    assert "signs in with OAuth2" in found.notice.text()
    assert "logon method this program does not have" not in " ".join(
        present(found.tried.topLevelItem(i)).text(2) for i in range(found.tried.topLevelItemCount())
    )

    assert found.sign_in_button.isVisible()
    click(qtbot, found.sign_in_button)
    qtbot.waitUntil(lambda: not found.isVisible())
    card = dialog.cards["oauth2"]
    assert dialog.tabs.currentWidget() is card
    assert dialog.focusWidget() is field(dialog, "oauth2.client_id")  # empty: first the ID
    type_into(qtbot, field(dialog, "oauth2.client_id"), "0b4a3c5e-1111-2222-3333-444455556666")
    dialog.show_oauth2_sign_in()
    assert dialog.focusWidget() is field(dialog, "oauth2SignInButton")
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        click(qtbot, field(dialog, "saveButton"))
    stored = gui_ctx.service.load("1000").data
    assert stored["pop3"]["oauth2"] is True and stored["smtp"]["auth"]["method"] == "oauth2"
    assert stored["oauth2"]["client_id"] == "0b4a3c5e-1111-2222-3333-444455556666"
    assert stored["fetch"]["leave_on_server"] is True


def test_a_provider_that_takes_passwords_offers_no_sign_in(
    qtbot: QtBot, gui_ctx: GuiContext, net: MailNet
) -> None:
    net.real_ispdb()
    dialog = new_account_dialog(qtbot, gui_ctx, address="max@web.de")
    found = find_settings(qtbot, dialog)
    data = dialog.current_data()
    assert (data["pop3"]["server"], data["pop3"]["username"], data["pop3"]["oauth2"]) == (
        "pop3.web.de",
        "max",
        False,
    )
    assert data["smtp"]["auth"]["method"] == "login"
    assert data["oauth2"] is None  # the card stays untouched
    assert not found.sign_in_button.isVisible()
    assert "Passwords are never filled in" in found.notice.text()


def test_oauth2_settings_equal_to_the_cards_defaults_are_still_filled_in(
    qtbot: QtBot, gui_ctx: GuiContext, net: MailNet
) -> None:
    """Microsoft without a tenant in the file: the card's own defaults, yet
    the account now has an oauth2 section (else POP3 could not sign in)."""
    body = client_config(
        Server("pop3", "pop.firma.example", 995, authentication=["OAuth2"]),
    ).replace(
        "</clientConfig>",
        "<oAuth2><issuer>login.microsoftonline.com</issuer></oAuth2></clientConfig>",
    )
    net.own(DOMAIN, body)
    dialog = new_account_dialog(qtbot, gui_ctx, password="", address=ADDRESS)
    find_settings(qtbot, dialog)
    data = dialog.current_data()
    assert data["pop3"]["oauth2"] is True
    assert data["oauth2"] is not None and data["oauth2"]["provider"] == "microsoft"


def test_a_guessed_microsoft_365_domain_is_applied_on_confirmation_and_leads_to_the_sign_in(
    qtbot: QtBot, gui_ctx: GuiContext, net: MailNet
) -> None:
    net.real_ispdb()
    net.dns.mx(DOMAIN, "firma-example.mail.protection.outlook.com")
    dialog = new_account_dialog(qtbot, gui_ctx, password="", address=ADDRESS)
    before = dialog.current_data()
    found = find_settings(qtbot, dialog)
    assert "a guess" in found.summary.text()
    assert "Sign-in: OAuth2 at Microsoft, no password" in found.proposal_text.text()
    assert dialog.current_data() == before  # a guess: nothing yet
    assert not found.sign_in_button.isVisible()
    click(qtbot, found.apply_button)
    qtbot.waitUntil(lambda: not found.isVisible())
    data = dialog.current_data()
    assert (data["pop3"]["server"], data["smtp"]["server"]) == (
        "outlook.office365.com",
        "smtp.office365.com",
    )
    assert data["oauth2"] is not None and data["oauth2"]["provider"] == "microsoft"
    assert dialog.tabs.currentWidget() is dialog.cards["oauth2"]
    assert dialog.secret_changes() == {}
