"""Renders the windows to docs/screenshots/*.png for the README and for
looking at them. Run under a display: scripts/screenshots."""

from __future__ import annotations

import io
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from keyring.backend import KeyringBackend
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from mailaccounts.cli import main as cli
from mailaccounts.gui.account_dialog import AccountDialog
from mailaccounts.gui.i18n import install_translators, remove_translators
from mailaccounts.gui.main_window import MainWindow
from mailaccounts.gui.window_context import GuiContext
from mailaccounts.model.problems import Problem

OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"


class SampleKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.entries.pop((service, username), None)


def sample_store(path: Path, keyring: Any) -> None:
    def run(*args: str, stdin: str = "") -> None:
        code = cli(
            ["--store", str(path), *args],
            keyring_backend=keyring,
            stdin=io.StringIO(stdin),
            stdout=io.StringIO(),
        )
        assert code == 0

    for code, name in (
        ("ADM", "Administrator"),
        ("MUE", "Müller, Anna"),
        ("SCH", "Schmidt, Jan"),
        ("VKF", "Verkauf Team"),
    ):
        run("operators", "add", code, "--name", name)
    for code in ("VERTRIEB", "SUPPORT", "BUCHHALTUNG"):
        run("workgroups", "add", code)
    accounts = [
        ("1000", "info@mustermann.de", "pop.mustermann.de", "ADM"),
        ("1010", "vertrieb@mustermann.de", "pop.mustermann.de", "VKF"),
        ("1020", "support@mustermann.de", "mail.provider.net", "SCH"),
        ("1030", "buchhaltung@mustermann.de", "pop.mustermann.de", "MUE"),
        ("2000", "anna.mueller@müller-gmbh.de", "pop.müller-gmbh.de", "MUE"),
        ("2010", "bewerbung@mustermann.de", "mail.bewerbung.de", "ADM"),
    ]
    for number, address, server, operator in accounts:
        run(
            "add",
            "--number",
            number,
            "--address",
            address,
            "--pop3-server",
            server,
            "--pop3-username",
            address.split("@")[0],
            "--operators",
            operator,
            "--smtp-separate",
            "--smtp-server",
            f"smtp.{server.split('.', 1)[-1]}",
            "--smtp-security",
            "starttls",
            "--smtp-auth",
            "--smtp-auth-method",
            "cram-md5",
            "--smtp-auth-username",
            address.split("@")[0],
            "--password",
            "pop3",
            "--password",
            "smtp",
            stdin="sample-pop3\nsample-smtp\n",
        )
    run("edit", "2000", "--no-fetch-enabled")  # switched off by an admin
    run(
        "edit",
        "1000",
        "--workgroups",
        "VERTRIEB; SUPPORT",
        "--smtp-server-name",
        "mail.provider.net",
        "--fetch-leave-on-server",
        "--fetch-delete-after-days",
        "14",
        "--fetch-interval-minutes",
        "15",
        "--fetch-times",
        "07:30; 12:00",
    )
    run(
        "add",
        "--number",
        "1040",
        "--address",
        "einkauf@mustermann.onmicrosoft.com",
        "--pop3-server",
        "outlook.office365.com",
        "--pop3-security",
        "ssl",
        "--pop3-username",
        "einkauf@mustermann.onmicrosoft.com",
        "--pop3-oauth2",
        "--oauth2-provider",
        "microsoft",
        "--oauth2-tenant",
        "mustermann.onmicrosoft.com",
        "--oauth2-client-id",
        "0b5d8f3e-6c1a-4f7e-9a2d-3e8c1b7f4a60",
        "--operators",
        "MUE",
    )
    run(  # at Google with a password: the card warns
        "add",
        "--number",
        "1050",
        "--address",
        "service@mustermann.de",
        "--pop3-server",
        "pop.gmail.com",
        "--pop3-username",
        "service@mustermann.de",
        "--smtp-separate",
        "--smtp-server",
        "smtp.gmail.com",
        "--smtp-auth",
        "--smtp-auth-same-as-incoming",
        "--operators",
        "ADM",
        "--password",
        "pop3",
        stdin="sample-pop3\n",
    )
    run(
        "add",
        "--number",
        "3000",
        "--address",
        "team@mustermann.de",
        "--exchange",
        "--exchange-server",
        "https://ex.mustermann.de/EWS/Exchange.asmx",
        "--exchange-domain",
        "MUSTERMANN",
        "--exchange-username",
        "team",
        "--operators",
        "VKF",
    )


def sample_fetches(path: Path) -> None:
    """How the accounts' last runs went, as the fetch engine records them."""
    from mailaccounts.store.sqlite import SqliteStore

    year = time.localtime().tm_year
    store = SqliteStore(path)
    store.record_fetch("1000", f"{year}-11-28T13:05:00+00:00", None, 12, True, 10)
    store.record_fetch("1010", f"{year}-11-28T13:05:00+00:00", None, 0, True, 10)
    rejected = Problem("auth_rejected", params={"text": "-ERR [AUTH] Authentication failed."})
    store.record_fetch("1020", f"{year}-11-28T13:06:00+00:00", rejected, 0, True, 10)
    silent = Problem("timed_out", params={"host": "pop.mustermann.de", "seconds": 30})
    for _ in range(10):  # scheduled runs in a row: switched off
        store.record_fetch("1030", f"{year}-11-28T12:50:00+00:00", silent, 0, True, 10)
    store.record_fetch("2010", f"{year}-11-27T17:45:00+00:00", None, 3, True, 10)
    store.close()


def sample_fetch_dialog(ctx: GuiContext, parent: QWidget) -> QDialog:
    """The fetch dialog while it runs: one account done, one fetching, one
    failed, one waiting, an Exchange account not fetched (as the workers
    would report it)."""
    from mailaccounts.fetch.account_run import FetchResult
    from mailaccounts.gui.fetch_dialog import FetchDialog

    summaries = {s.number: s for s in ctx.service.summaries()}
    chosen = [summaries[n] for n in ("1000", "1010", "1020", "2000", "3000")]
    dialog = FetchDialog(ctx, chosen, parent)
    dialog.show()
    dialog.running = True
    dialog._show_summary(dialog.tr("Fetching…"))
    for number in ("1000", "1010", "1020"):
        dialog._started(number)
    dialog._progress.update({"1000": (12, 12), "1010": (7, 20)})
    dialog._finished_one(
        "1000", FetchResult("1000", fetched=12, copies=36, removed_from_server=12, seconds=3.4)
    )
    rejected = Problem("auth_rejected", params={"text": "-ERR [AUTH] Authentication failed."})
    dialog._finished_one("1020", FetchResult("1020", problem=rejected, seconds=2.1))
    dialog._show_progress()
    return dialog


def sample_test_dialog(ctx: GuiContext, parent: QWidget) -> QDialog:
    """The test dialog after a run whose POP3 server showed a self-signed
    certificate (steps fed in as the worker would report them)."""
    from mailaccounts.gui.connection_test_dialog import ConnectionTestDialog
    from mailaccounts.net.report import (
        CertificateInfo,
        ConnectionReport,
        Step,
        StepStatus,
    )

    cert = CertificateInfo(
        "pop.mustermann.de",
        "CN=pop.mustermann.de",
        "CN=pop.mustermann.de",
        "2026-11-01T00:00:00+00:00",
        "2027-11-01T00:00:00+00:00",
        "3F:A2:" + ":".join(["9C"] * 30),
    )
    problem = Problem(
        "cert_untrusted",
        params={"host": "pop.mustermann.de", "reason": "self-signed certificate"},
        detail=cert,
    )
    steps = [
        Step("pop3", "connect", StepStatus.OK, 0.012),
        Step("pop3", "tls", StepStatus.FAILED, 0.031, problem=problem),
        Step("smtp", "connect", StepStatus.OK, 0.010),
        Step("smtp", "ehlo", StepStatus.OK, 0.004),
        Step("smtp", "starttls", StepStatus.OK, 0.027),
        Step("smtp", "auth", StepStatus.OK, 0.006),
        Step("smtp", "quit", StepStatus.OK, 0.002),
    ]
    dialog = ConnectionTestDialog(ctx, {}, {}, {}, lambda *_: None, parent)
    dialog.show()
    for step in steps:
        dialog._show_step(step)
    dialog._done(ConnectionReport(steps))
    return dialog


def sample_autoconfig_dialog(ctx: GuiContext, parent: AccountDialog) -> QDialog:
    """The "Find settings" dialog after a lookup whose best answer was the
    ISPDB entry of the domain's MX host: a guess, waiting to be applied."""
    from mailaccounts.autoconfig.result import (
        Attempt,
        Pop3Proposal,
        Proposal,
        Result,
        SmtpProposal,
    )
    from mailaccounts.gui.autoconfig_dialog import AutoconfigDialog

    address = "info@mustermann.de"
    own = f"https://autoconfig.mustermann.de/mail/config-v1.1.xml?emailaddress={address}"
    ispdb = "https://autoconfig.thunderbird.net/v1.1/"
    rows = [
        ("autoconfig", own, "dns_not_found", {"host": "autoconfig.mustermann.de"}, 38),
        (
            "autoconfig",
            "https://mustermann.de/.well-known/autoconfig/mail/config-v1.1.xml",
            "autoconfig_http_status",
            {"status": 404},
            112,
        ),
        ("ispdb", ispdb + "mustermann.de", "autoconfig_http_status", {"status": 404}, 96),
        ("srv", "_pop3s._tcp.mustermann.de SRV", "autoconfig_nxdomain", {}, 21),
        ("srv", "_pop3._tcp.mustermann.de SRV", "autoconfig_nxdomain", {}, 22),
        ("srv", "_submissions._tcp.mustermann.de SRV", "autoconfig_nxdomain", {}, 20),
        ("srv", "_submission._tcp.mustermann.de SRV", "autoconfig_nxdomain", {}, 21),
        (
            "mx",
            "mustermann.de MX",
            "autoconfig_mx",
            {"host": "mx00.ionos.de", "domain": "ionos.de"},
            19,
        ),
        (
            "mx",
            ispdb + "ionos.de",
            "autoconfig_found",
            {"pop3": "pop.ionos.de:995 (ssl)", "smtp": "smtp.ionos.de:465 (ssl)"},
            131,
        ),
        (
            "probe",
            "POP3 pop.ionos.de:995 (ssl)",
            "autoconfig_answers",
            {"greeting": "+OK POP3 server ready"},
            64,
        ),
        (
            "probe",
            "SMTP smtp.ionos.de:465 (ssl)",
            "autoconfig_answers",
            {"greeting": "kundenserver.de (mreue009) Nemesis ESMTP Service ready"},
            71,
        ),
    ]
    tried = [
        Attempt(i, source, query, code, params, ms)
        for i, (source, query, code, params, ms) in enumerate(rows)
    ]
    proposal = Proposal(
        "mx",
        ispdb + "ionos.de",
        Pop3Proposal("pop.ionos.de", 995, "ssl", address),
        SmtpProposal("smtp.ionos.de", 465, "ssl", True, "login", address),
    )

    def lookup(address: str, **options: Any) -> Result:
        for attempt in tried:
            options["listener"](attempt)
        return Result(address, proposal, tried)

    dialog = AutoconfigDialog(ctx, address, lambda _: None, parent, lookup=lookup)
    dialog.show()
    dialog.start()
    while dialog.running:
        QApplication.processEvents()
    return dialog


def settle(widget: QWidget) -> None:
    for _ in range(5):
        QApplication.processEvents()
    widget.repaint()


def save(widget: QWidget, name: str) -> None:
    settle(widget)
    widget.grab().save(str(OUT / f"{name}.png"))
    print(OUT / f"{name}.png")


def main() -> int:
    os.environ["TZ"] = "Europe/Berlin"  # runs are recorded in UTC, shown in local time
    time.tzset()
    app = QApplication(sys.argv[:1])
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "accounts.sqlite3"
        keyring = SampleKeyring()
        sample_store(store, keyring)
        sample_fetches(store)
        ctx = GuiContext.open(store, keyring, Path("/home/admin/.local/share/mailaccounts/mail"))
        for language in ("de", "en"):
            translators = install_translators(app, language)
            window = MainWindow(ctx)
            window.show()
            save(window, f"list-{language}")

            fetch = sample_fetch_dialog(ctx, window)
            save(fetch, f"fetch-{language}")
            fetch.running = False
            fetch.done(0)

            stored = ctx.service.find("1000")
            dialog = AccountDialog(ctx, stored, parent=window)
            dialog.show()
            save(dialog, f"account-{language}")
            dialog.tabs.setCurrentWidget(dialog.cards["fetch"])
            save(dialog, f"account-fetch-{language}")
            dialog.tabs.setCurrentIndex(0)

            auth = dialog.open_auth_dialog()
            save(auth, f"auth-{language}")
            auth.reject()

            test = sample_test_dialog(ctx, dialog)
            save(test, f"test-{language}")
            test.done(0)

            found = sample_autoconfig_dialog(ctx, dialog)
            save(found, f"autoconfig-{language}")
            found.done(0)

            oauth2 = AccountDialog(ctx, ctx.service.find("1040"), parent=window)
            oauth2.show()
            oauth2.tabs.setCurrentWidget(oauth2.cards["oauth2"])
            save(oauth2, f"account-oauth2-{language}")
            oauth2.done(QDialog.DialogCode.Rejected)

            provider = AccountDialog(ctx, ctx.service.find("1050"), parent=window)
            provider.show()
            save(provider, f"account-provider-{language}")
            provider.done(QDialog.DialogCode.Rejected)

            exchange = AccountDialog(ctx, ctx.service.find("3000"), parent=window)
            exchange.show()
            for index, name in ((1, "exchange-access"), (2, "exchange-sync")):
                exchange.tabs.setCurrentIndex(index)
                save(exchange, f"{name}-{language}")
            for widget in (exchange, dialog):
                widget.done(QDialog.DialogCode.Rejected)
            window.close()
            remove_translators(app, translators)
        ctx.close()
        empty = GuiContext.open(Path(tmp) / "empty.sqlite3", keyring)
        translators = install_translators(app, "de")
        window = MainWindow(empty)
        window.show()
        save(window, "list-empty-de")
        window.close()
        remove_translators(app, translators)
        empty.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
