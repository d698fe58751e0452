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
from mailaccounts.gui.context import GuiContext
from tests.gui.conftest import click, field, new_account_dialog, type_into
from tests.support.autoconfig_net import ISPDB_HOST, MailNet, mail_net, pop3_smtp
from tests.support.certs import Authority
from tests.support.types import present

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
