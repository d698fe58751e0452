"""The account dialog's "Fetching" card (Abruf), built from the form
description: none shows as "–", each field's problem shows under it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QGroupBox, QLabel

from mailaccounts.gui.account_dialog import AccountDialog
from tests.gui.conftest import add_account, click, field, type_into
from tests.support.accounts import pop3_account
from tests.support.keyrings import MemoryKeyring


def fetch_card(qtbot, ctx, number: str = "1000") -> AccountDialog:  # type: ignore[no-untyped-def]
    dialog = AccountDialog(ctx, ctx.service.find(number))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.tabs.setCurrentWidget(dialog.cards["fetch"])
    return dialog


def labels(dialog: AccountDialog) -> dict[str, str]:
    return {
        label.buddy().objectName(): label.text()
        for label in dialog.cards["fetch"].findChildren(QLabel)
        if label.buddy() is not None
    }


def test_the_card_with_nothing_set(  # type: ignore[no-untyped-def]
    qtbot, seeded_store: Path, memory_keyring: MemoryKeyring, gui_ctx
) -> None:
    add_account(seeded_store, memory_keyring, pop3_account("1000"))
    dialog = fetch_card(qtbot, gui_ctx)
    assert dialog.tabs.tabText(dialog.tabs.currentIndex()) == "Fetching"
    titles = [box.title() for box in dialog.cards["fetch"].findChildren(QGroupBox)]
    assert titles == ["Fetching mail into the inboxes", "Schedule"]
    assert field(dialog, "fetch.enabled").isChecked()
    assert not field(dialog, "fetch.leave_on_server").isChecked()
    for name in ("fetch.delete_after_days", "fetch.interval_minutes"):
        assert field(dialog, name).text() == "–", name  # none
    assert not field(dialog, "fetch.delete_after_days").isEnabled()  # mail is not left
    assert field(dialog, "fetch.times").text() == ""
    assert dialog.save_button.isEnabled(), dialog.status.text()

    # the inputs of both boxes line up, once laid out
    def lefts() -> set[int]:
        names = ("fetch.delete_after_days", "fetch.interval_minutes", "fetch.times")
        return {
            field(dialog, n).mapTo(dialog, field(dialog, n).rect().topLeft()).x() for n in names
        }

    qtbot.waitUntil(lambda: len(lefts()) == 1)


def test_problems_show_at_their_field(  # type: ignore[no-untyped-def]
    qtbot, seeded_store: Path, memory_keyring: MemoryKeyring, gui_ctx
) -> None:
    add_account(seeded_store, memory_keyring, pop3_account("1000"))
    dialog = fetch_card(qtbot, gui_ctx)
    type_into(qtbot, field(dialog, "fetch.times"), "07:30; 25:00")
    problem = field(dialog, "fetch.times.problem")
    assert problem.isVisible()
    assert problem.text() == "“25:00” is not a time of day (HH:MM, 24 hours)"
    assert not dialog.save_button.isEnabled()
    type_into(qtbot, field(dialog, "fetch.times"), "12:00; 07:30")
    assert not problem.isVisible()

    interval = field(dialog, "fetch.interval_minutes")
    interval.setValue(2000)
    assert field(dialog, "fetch.interval_minutes.problem").text() == (
        "must be a whole number from 1 to 1440"
    )
    assert not dialog.save_button.isEnabled()
    interval.setValue(15)
    assert not field(dialog, "fetch.interval_minutes.problem").isVisible()

    click(qtbot, field(dialog, "fetch.leave_on_server"))
    days = field(dialog, "fetch.delete_after_days")
    assert days.isEnabled()
    days.setValue(14)
    assert dialog.save_button.isEnabled(), dialog.status.text()
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        click(qtbot, dialog.save_button)
    stored = gui_ctx.service.find("1000")
    assert stored.data["fetch"] == {
        "enabled": True,
        "leave_on_server": True,
        "delete_after_days": 14,
        "interval_minutes": 15,
        "times": ["07:30", "12:00"],
    }


def test_german(  # type: ignore[no-untyped-def]
    qtbot, seeded_store: Path, memory_keyring: MemoryKeyring, gui_ctx, german
) -> None:
    add_account(seeded_store, memory_keyring, pop3_account("1000"))
    dialog = fetch_card(qtbot, gui_ctx)
    assert dialog.tabs.tabText(dialog.tabs.currentIndex()) == "Abruf"
    titles = [box.title() for box in dialog.cards["fetch"].findChildren(QGroupBox)]
    assert titles == ["E-Mails in die Posteingänge abrufen", "Zeitsteuerung"]
    assert field(dialog, "fetch.enabled").text() == "E-&Mails für dieses Konto abrufen"
    assert labels(dialog) == {
        "fetch.delete_after_days": "Vom Server &entfernen nach (Tagen):",
        "fetch.interval_minutes": "Abruf &alle (Minuten):",
        "fetch.times": "und zu diesen &Uhrzeiten (HH:MM):",
    }
    assert field(dialog, "fetch.interval_minutes").text() == "–"
    type_into(qtbot, field(dialog, "fetch.times"), "7.30")
    assert field(dialog, "fetch.times.problem").text() == (
        "„7.30“ ist keine Uhrzeit (HH:MM, 24 Stunden)"
    )
