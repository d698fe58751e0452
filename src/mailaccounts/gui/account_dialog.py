"""The account dialog: the "Zugangsdaten" card in the seed's order, the
Exchange cards, the authentication dialog, validation as you type and a save
that never blocks the window (the keyring is written on a worker thread)."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..model.core import (
    POP3_DEFAULT_PORTS,
    SMTP_DEFAULT_PORTS,
    empty_account,
    empty_exchange_settings,
    follow_port,
    get_path,
    secret_problem,
    set_path,
)
from ..model.problems import AccountInvalid, Problem
from ..records import DirectoryEntry
from ..secrets import Secret, SecretsError
from ..store import AccountNotFound, ConflictError, StoredAccount
from . import texts
from .auth_dialog import AuthDialog, password_placeholder
from .binding import Binding, plain, translated
from .form import (
    CREDENTIALS_CARD,
    EXCHANGE_ACCESS,
    EXCHANGE_SYNC,
    EXCHANGE_SYNC_AREAS,
    SMTP_AUTH,
    Area,
)
from .layout import add_rows, align_label_columns
from .picker import CodePicker

if TYPE_CHECKING:
    from ..net.report import CertificateInfo
    from ..services import SaveResult
    from .connection_test_dialog import ConnectionTestDialog
    from .context import GuiContext

_SMTP_OWN = ("smtp.server", "smtp.server_name", "smtp.port", "smtp.security")
_PASSWORD_FIELDS = {"pop3.password": "pop3", "exchange_settings.password": "exchange"}


def _ignore(error: Exception) -> None:
    """A keyring that cannot be asked leaves the fields as they are."""


def problem_text(problem: Problem) -> str:
    return texts.problem_text(problem.code, problem.params)


class AccountDialog(QDialog):
    saved = Signal(str)

    def __init__(
        self,
        ctx: GuiContext,
        stored: StoredAccount | None = None,
        template_data: dict[str, Any] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("accountDialog")
        self.ctx = ctx
        self.stored = stored
        self.is_new = stored is None
        base = copy.deepcopy(stored.data if stored else template_data or empty_account())
        self._base: dict[str, Any] = base
        self._revision = stored.revision if stored else None
        self._secret_refs = dict(stored.secret_refs) if stored else {}
        self._missing: set[str] = set()
        """Secrets the store refers to but the keyring does not hold."""
        self._auth: dict[str, Any] = dict(get_path(base, "smtp.auth") or {})
        self._smtp_password: Secret | None = None
        self._directory = {
            "operators": ctx.service.directory("operator"),
            "workgroups": ctx.service.directory("workgroup"),
        }
        self._taken = {s.number for s in ctx.service.summaries()} if self.is_new else set()
        self._errors: list[Problem] = []
        self._saving = False
        self._discard_confirmed = False

        self.bindings: dict[str, Binding] = {}
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("accountTabs")
        self.credentials_card = self._build_credentials_card()
        self.tabs.addTab(self.credentials_card, self.tr("Access data"))
        self.exchange_cards: list[QWidget] = []  # built when first shown
        self._build_bottom()
        self._fill(list(self.bindings))
        self._initial = self.current_data()
        for binding in self.bindings.values():
            binding.on_change(self._changed)
        self._update_states()
        self._revalidate()
        title = (
            self.tr("New e-mail account")
            if self.is_new
            else self.tr("E-mail account {number}").format(number=base.get("number", ""))
        )
        self.setWindowTitle(title)
        self._check_secrets()

    # -- building -----------------------------------------------------------

    def _area(self, area: Area, parent: QWidget) -> QGroupBox:
        box = QGroupBox(translated(area.title), parent)
        grid = QGridLayout(box)
        codes = {k: [e.code for e in v] for k, v in self._directory.items()}
        bindings = []
        for spec in area.fields:
            binding = Binding(spec, box, codes.get(spec.path))
            self.bindings[spec.path] = binding
            bindings.append(binding)
        add_rows(grid, bindings)
        return box

    def _card(self, *areas: Area) -> QWidget:
        card = QWidget(self)
        card.hide()
        layout = QVBoxLayout(card)
        for area in areas:
            box = self._area(area, card)
            box.setMaximumWidth(640)
            layout.addWidget(box)
        layout.addStretch(1)
        return card

    def _build_credentials_card(self) -> QWidget:
        identity, pop3, smtp, smtp_auth, assignment = CREDENTIALS_CARD
        card = QWidget()
        columns = QHBoxLayout(card)
        left, right = QVBoxLayout(), QVBoxLayout()
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        self.areas = {}
        for column, areas in ((left, (identity, pop3)), (right, (smtp, smtp_auth, assignment))):
            boxes = [self._area(area, card) for area in areas]
            align_label_columns(boxes)
            for area, box in zip(areas, boxes, strict=True):
                self.areas[area.title] = box
                column.addWidget(box)
            column.addStretch(1)
        auth_box = self.areas[SMTP_AUTH.title]
        grid = auth_box.layout()
        assert isinstance(grid, QGridLayout)
        self.auth_button = QPushButton(self.tr("Aut&hentication settings…"), auth_box)
        self.auth_button.setObjectName("authSettingsButton")
        self.auth_button.clicked.connect(self.open_auth_dialog)
        self.auth_problem = QLabel(auth_box)
        self.auth_problem.setObjectName("smtp.auth.problem")
        self.auth_problem.setTextFormat(Qt.TextFormat.PlainText)
        self.auth_problem.setWordWrap(True)
        self.auth_problem.setStyleSheet("color: #b00020;")
        self.auth_problem.hide()
        row = grid.rowCount()
        grid.addWidget(self.auth_button, row, 1, Qt.AlignmentFlag.AlignLeft)
        grid.addWidget(self.auth_problem, row + 1, 1)
        for path in ("operators", "workgroups"):
            widget = self.bindings[path].widget
            widget.pick_requested.connect(lambda p=path: self.open_picker(p))  # type: ignore[attr-defined]
            widget.setToolTip(self.tr("Codes separated by “;”. F5 opens the list."))
        return card

    def _build_bottom(self) -> None:
        self.status = QLabel(self)
        self.status.setObjectName("saveStatus")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        self.save_button = QPushButton(self.tr("Save"), self)
        self.save_button.setObjectName("saveButton")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.test_button = QPushButton(self.tr("Test account settin&gs…"), self)
        self.test_button.setObjectName("testButton")
        self.test_button.clicked.connect(self.open_connection_test)
        self.test_dialog: ConnectionTestDialog | None = None
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.setObjectName("cancelButton")
        self.cancel_button.clicked.connect(self.reject)
        QShortcut(QKeySequence(Qt.Key.Key_F10), self, self.save)
        row = QHBoxLayout()
        row.addWidget(self.test_button)
        row.addWidget(self.status, 1)
        row.addWidget(self.save_button)
        row.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addLayout(row)
        self.save_button.setToolTip(self.tr("Save and close (F10)"))

    def _build_exchange_cards(self) -> None:
        before = set(self.bindings)
        self.exchange_cards = [
            self._card(EXCHANGE_ACCESS),
            self._card(EXCHANGE_SYNC_AREAS, EXCHANGE_SYNC),
        ]
        self.exchange_cards[0].setObjectName("exchangeAccessCard")
        self.exchange_cards[1].setObjectName("exchangeSyncCard")
        added = [path for path in self.bindings if path not in before]
        self._fill(added)
        for path in added:
            self.bindings[path].on_change(self._changed)

    def _fill(self, paths: list[str]) -> None:
        data = self._base
        exchange = data.get("exchange_settings") or empty_exchange_settings()
        for path in paths:
            binding = self.bindings[path]
            if path in _PASSWORD_FIELDS:
                state = self._secret_state(_PASSWORD_FIELDS[path])
                binding.widget.setPlaceholderText(password_placeholder(state))  # type: ignore[attr-defined]
                continue
            if path.startswith("exchange_settings."):
                value = get_path(exchange, path.split(".", 1)[1])
            else:
                value = get_path(data, path)
            binding.set_value(value)
        if "number" not in paths:
            return
        self.bindings["number"].widget.setReadOnly(not self.is_new)  # type: ignore[attr-defined]
        self._security = {
            "pop3": self.bindings["pop3.security"].value(),
            "smtp": self.bindings["smtp.security"].value(),
        }

    def _secret_state(self, name: str) -> str | None:
        if name not in self._secret_refs:
            return None
        return "missing" if name in self._missing else "stored"

    def _check_secrets(self) -> None:
        """Ask the keyring (on a worker, without unlocking it) whether the
        stored passwords are really there: a missing one is never shown as
        stored."""
        if not self._secret_refs or self.stored is None:
            return
        refs = dict(self._secret_refs)
        stored = self.stored._replace(secret_refs=refs)

        def known(states: dict[str, str]) -> None:
            if refs != self._secret_refs:
                return  # reloaded meanwhile; that reload asked again
            self._missing = {name for name, state in states.items() if state == "missing"}
            self._fill([p for p in _PASSWORD_FIELDS if p in self.bindings])

        self.ctx.tasks.run(lambda service: service.secret_states(stored), known, _ignore, self)

    # -- state --------------------------------------------------------------

    def current_data(self) -> dict[str, Any]:
        data = copy.deepcopy(self._base)
        for path, binding in self.bindings.items():
            if path not in _PASSWORD_FIELDS:
                set_path(data, path, binding.value())
        set_path(data, "smtp.auth", {**(get_path(data, "smtp.auth") or {}), **self._auth})
        if not self.exchange_cards:  # never shown: the Exchange settings are as loaded
            return data
        untouched = get_path(data, "exchange_settings") == empty_exchange_settings()
        if not data["exchange"] and self._base.get("exchange_settings") is None and untouched:
            data["exchange_settings"] = None
        return data

    def secret_changes(self) -> dict[str, Secret | None]:
        changes: dict[str, Secret | None] = {}
        for path, name in _PASSWORD_FIELDS.items():
            binding = self.bindings.get(path)
            text = binding.widget.text() if binding else ""  # type: ignore[attr-defined]
            if text:
                changes[name] = Secret(text)
        if self._smtp_password is not None:
            changes["smtp"] = self._smtp_password
        return changes

    def is_dirty(self) -> bool:
        return self.current_data() != self._initial or bool(self.secret_changes())

    def _changed(self) -> None:
        self._follow_ports()
        self._update_states()
        self._revalidate()

    def _follow_ports(self) -> None:
        for section, defaults in (("pop3", POP3_DEFAULT_PORTS), ("smtp", SMTP_DEFAULT_PORTS)):
            new = self.bindings[f"{section}.security"].value()
            old = self._security[section]
            if new != old:
                port = self.bindings[f"{section}.port"]
                port.set_value(follow_port(defaults, old, new, port.value()))
                self._security[section] = new

    def _update_states(self) -> None:
        exchange = bool(self.bindings["exchange"].value())
        for title, box in self.areas.items():
            if title in (CREDENTIALS_CARD[1].title, CREDENTIALS_CARD[2].title, SMTP_AUTH.title):
                box.setEnabled(not exchange)
        separate = bool(self.bindings["smtp.separate"].value())
        for path in _SMTP_OWN:
            self.bindings[path].set_enabled(separate)
        self.auth_button.setEnabled(bool(self.bindings["smtp.auth.required"].value()))
        self._show_exchange_cards(exchange)

    def _show_exchange_cards(self, show: bool) -> None:
        if show and not self.exchange_cards:
            self._build_exchange_cards()
        present = bool(self.exchange_cards) and self.tabs.indexOf(self.exchange_cards[0]) >= 0
        if show and not present:
            titles = (self.tr("Exchange – access data"), self.tr("Exchange – synchronisation"))
            for card, title in zip(self.exchange_cards, titles, strict=True):
                self.tabs.addTab(card, title)
        elif not show and present:
            for card in self.exchange_cards:
                self.tabs.removeTab(self.tabs.indexOf(card))

    # -- validation ---------------------------------------------------------

    def _revalidate(self) -> list[Problem]:
        from ..model.validation import validate_account

        def known(entries: list[DirectoryEntry]) -> Any:
            codes = {e.code.casefold() for e in entries}
            return lambda code: code.casefold() in codes

        data = self.current_data()
        _, problems = validate_account(
            data, known(self._directory["operators"]), known(self._directory["workgroups"])
        )
        if self.is_new and data["number"] in self._taken:
            problems.append(Problem("number_taken", "number", {"value": data["number"]}))
        problems.extend(self._password_problems())
        self.show_problems(problems)
        return problems

    def _password_problems(self) -> list[Problem]:
        """Typed (or pasted) passwords that cannot be sent: line breaks or NUL."""
        typed = {
            path: binding.widget.text()  # type: ignore[attr-defined]
            for path, binding in self.bindings.items()
            if path in _PASSWORD_FIELDS
        }
        if self._smtp_password is not None:
            typed["smtp.auth.password"] = self._smtp_password.reveal()
        found = (secret_problem(text, path) for path, text in typed.items())
        return [problem for problem in found if problem is not None]

    def show_problems(self, problems: list[Problem]) -> None:
        by_path: dict[str, list[Problem]] = {}
        for problem in problems:
            path = problem.path
            if path not in self.bindings:
                path = "smtp.auth" if path.startswith("smtp.auth.") else path.split(".")[0]
            by_path.setdefault(path, []).append(problem)
        for path, binding in self.bindings.items():
            found = by_path.get(path, [])
            text = "\n".join(problem_text(p) for p in found)
            binding.show_problem(text, warning=all(not p.is_error for p in found))
        auth = by_path.get("smtp.auth", [])
        self.auth_problem.setText("\n".join(problem_text(p) for p in auth))
        self.auth_problem.setVisible(bool(auth))
        self._errors = [p for p in problems if p.is_error]
        self._update_save_state()

    def _field_label(self, path: str) -> str:
        binding = self.bindings.get(path)
        if binding is not None:
            return plain(translated(binding.spec.label))
        return path

    def _update_save_state(self) -> None:
        self.save_button.setEnabled(not self._errors and not self._saving)
        exchange = bool(self.bindings["exchange"].value())
        self.test_button.setEnabled(not self._errors and not self._saving and not exchange)
        if exchange:
            self.test_button.setToolTip(self.tr("Testing Exchange accounts is not available yet."))
        elif self._errors:
            self.test_button.setToolTip(self.tr("Correct the marked fields first."))
        else:
            self.test_button.setToolTip(
                self.tr("Log in to the POP3 and SMTP servers with these settings.")
            )
        if self._errors:
            lines = [f"{self._field_label(p.path)}: {problem_text(p)}" for p in self._errors]
            reason = self.tr("Cannot save yet:") + "\n" + "\n".join(lines)
            self.save_button.setToolTip(texts.plain_tooltip(reason))
            summary = lines[0]
            if len(lines) > 1:
                summary = self.tr("{count} problems, first: {first}").format(
                    count=len(lines), first=lines[0]
                )
            self.status.setText(self.tr("Cannot save: {reason}").format(reason=summary))
            self.status.setStyleSheet("color: #b00020;")
        else:
            self.save_button.setToolTip(self.tr("Save and close (F10)"))
            self.status.setText("")

    # -- sub-dialogs ----------------------------------------------------------

    def open_auth_dialog(self) -> AuthDialog:
        dialog = AuthDialog(self._auth, self._secret_state("smtp"), self)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)

        def apply() -> None:
            self._auth = dialog.values()
            typed = dialog.typed_password()
            if typed is not None:
                self._smtp_password = typed
            self._revalidate()

        dialog.accepted.connect(apply)
        dialog.open()
        return dialog

    def open_picker(self, path: str) -> CodePicker:
        binding = self.bindings[path]
        title = self.tr("Choose operators") if path == "operators" else self.tr("Choose workgroups")
        picker = CodePicker(title, self._directory[path], binding.value(), self)

        def apply() -> None:
            binding.set_value(picker.codes())
            self._changed()

        picker.accepted.connect(apply)
        picker.open()
        return picker

    def open_connection_test(self) -> ConnectionTestDialog | None:
        from .connection_test_dialog import ConnectionTestDialog

        self._revalidate()
        if self._errors:
            return None
        dialog = ConnectionTestDialog(
            self.ctx,
            self.current_data(),
            dict(self._secret_refs),
            self.secret_changes(),
            self._trust_certificate,
            self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.test_dialog = dialog
        dialog.open()
        dialog.start()
        return dialog

    def _trust_certificate(self, server: str, cert: CertificateInfo) -> None:
        """Trust exactly this certificate for this server of this account (saved
        with the account)."""
        section = dict(self._base.get(server) or {})
        section["trusted_certificate"] = {"host": cert.host, "sha256": cert.sha256}
        self._base[server] = section
        self._revalidate()

    # -- saving and closing ---------------------------------------------------

    def save(self) -> None:
        if self._saving:
            return
        self._revalidate()
        if self._errors:
            return
        data, secrets = self.current_data(), self.secret_changes()
        number, revision = data["number"], self._revision
        self._set_saving(True)

        def work(service: Any) -> SaveResult:
            if revision is None:
                return service.create(data, secrets)  # type: ignore[no-any-return]
            return service.update(number, data, revision, secrets)  # type: ignore[no-any-return]

        self.ctx.tasks.run(work, self._saved, self._save_failed, owner=self)

    def _set_saving(self, saving: bool) -> None:
        self._saving = saving
        self.tabs.setEnabled(not saving)
        self.cancel_button.setEnabled(not saving)
        self._update_save_state()
        if saving:
            self.status.setStyleSheet("")
            self.status.setText(self.tr("Saving…"))

    def _saved(self, result: SaveResult) -> None:
        self._set_saving(False)
        self._discard_confirmed = True
        self.saved.emit(result.stored.number)
        self.accept()

    def _save_failed(self, error: Exception) -> None:
        self._set_saving(False)
        if isinstance(error, AccountInvalid):
            self.show_problems(error.problems)
            return
        if isinstance(error, ConflictError):
            self._ask_conflict()
            return
        if isinstance(error, AccountNotFound):
            text = self.tr(
                "Another administrator has deleted this account. Your input is still "
                "here; copy what you need, or close the dialog."
            )
        elif isinstance(error, SecretsError):
            text = (
                self.tr("The password could not be stored in the keyring, so nothing was saved.")
                + "\n\n"
                + str(error)
            )
        else:
            text = self.tr("Nothing was saved.") + "\n\n" + str(error)
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("Not saved"),
            text,
            QMessageBox.StandardButton.Ok,
            self,
        )
        box.setTextFormat(Qt.TextFormat.PlainText)  # the reason comes from the keyring or store
        box.setObjectName("saveErrorBox")
        box.open()

    def _ask_conflict(self) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("Changed by someone else"),
            self.tr(
                "Another administrator saved this account after you opened it.\n\n"
                "Reload shows their version (your changes are lost); Overwrite saves "
                "yours over theirs."
            ),
            QMessageBox.StandardButton.NoButton,
            self,
        )
        box.setObjectName("conflictBox")
        reload_button = box.addButton(self.tr("Reload"), QMessageBox.ButtonRole.AcceptRole)
        overwrite = box.addButton(self.tr("Overwrite"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(self.tr("Cancel"), QMessageBox.ButtonRole.RejectRole)

        def decided() -> None:
            fresh = self.ctx.service.find(str(self._base["number"]))
            if fresh is None:
                self._save_failed(AccountNotFound(str(self._base["number"])))
            elif box.clickedButton() is reload_button:
                self._reload(fresh)
            elif box.clickedButton() is overwrite:
                self._revision = fresh.revision
                self._secret_refs = dict(fresh.secret_refs)
                self.save()

        box.finished.connect(decided)
        box.open()

    def _reload(self, fresh: StoredAccount) -> None:
        self._base = copy.deepcopy(fresh.data)
        self._revision = fresh.revision
        self._secret_refs = dict(fresh.secret_refs)
        self._missing = set()
        self.stored = fresh
        self._check_secrets()
        self._auth = dict(get_path(self._base, "smtp.auth") or {})
        self._smtp_password = None
        for path in _PASSWORD_FIELDS:
            if path in self.bindings:
                self.bindings[path].widget.clear()  # type: ignore[attr-defined]
        self._fill(list(self.bindings))
        self._initial = self.current_data()
        self._update_states()
        self._revalidate()

    def reject(self) -> None:
        if self._saving:
            return
        if self._discard_confirmed or not self.is_dirty():
            super().reject()
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Discard changes?"),
            self.tr("Discard changes?")
            + "\n\n"
            + self.tr("Your changes to this account have not been saved."),
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setObjectName("discardBox")
        box.button(QMessageBox.StandardButton.Discard).setText(self.tr("Discard"))
        box.button(QMessageBox.StandardButton.Cancel).setText(self.tr("Keep editing"))
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)

        def decided(result: int) -> None:
            if box.clickedButton() is box.button(QMessageBox.StandardButton.Discard):
                self._discard_confirmed = True
                super(AccountDialog, self).reject()

        box.finished.connect(decided)
        box.open()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._discard_confirmed or (not self._saving and not self.is_dirty()):
            event.accept()
            return
        event.ignore()
        self.reject()

    def password_field(self, path: str) -> QLineEdit:
        widget = self.bindings[path].widget
        assert isinstance(widget, QLineEdit)
        return widget
