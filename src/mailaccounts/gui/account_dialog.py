"""The account dialog: the cards the form description lists (the
"Zugangsdaten" card in the CRM's order, the Exchange cards), the
authentication dialog, validation as you type and a save that never blocks
the window (the keyring is written on a worker thread)."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..keyring.backend import SecretsError
from ..model import form
from ..model.core import (
    SECRET_PATHS,
    get_path,
    secret_problem,
    set_path,
)
from ..model.problems import AccountInvalid, Problem
from ..model.providers import PROVIDER_KEYS, oauth2_switch, password_notices
from ..model.records import DirectoryEntry, StoredAccount
from ..model.rules import follow_port
from ..model.secret import Secret
from ..model.upgrade import empty_account, optional_sections
from ..model.validation import address_problem, validate_account
from ..store import AccountNotFound, ConflictError
from . import style, texts
from .auth_dialog import AuthDialog, password_placeholder
from .autoconfig_dialog import AutoconfigDialog
from .binding import Binding, PasswordBinding, TextBinding, bind, translated
from .connection_test_dialog import ConnectionTestDialog
from .layout import add_rows, align_label_columns
from .oauth2_panel import OAuth2Panel
from .picker import CodePicker

if TYPE_CHECKING:
    from ..net.report import CertificateInfo
    from ..services.accounts import SaveResult
    from .autoconfig_dialog import AutoconfigDialog
    from .connection_test_dialog import ConnectionTestDialog
    from .oauth2_panel import OAuth2Panel
    from .running_dialog import RunningDialog
    from .tasks import Job
    from .window_context import GuiContext

Running = TypeVar("Running", bound="RunningDialog")
"""A dialog that runs a task as it opens."""

_SECRET_OF = {path: name for name, path in SECRET_PATHS.items()}
"""Password field path → the name of its secret."""


def _ignore(error: Exception) -> None:
    """A keyring that cannot be asked leaves the fields as they are."""


def _card_name(card: form.Card) -> str:
    """``exchange_access`` → ``exchangeAccessCard``."""
    first, *rest = card.id.split("_")
    return first + "".join(part.title() for part in rest) + "Card"


class WrappedLabel(QLabel):
    """A word-wrapped label that keeps the height its lines need: inside a
    tab page Qt's layouts lose the height-for-width and would clip it."""

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.setMinimumHeight(self.heightForWidth(self.width()))


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
        optional = optional_sections()
        self._optional_sections = tuple(optional)
        """Sections that are none until something is typed in them."""
        self._defaults = {**empty_account(), **optional}
        """Where the account has no value for a field: the optional sections'
        defaults too."""
        self._revision = stored.revision if stored else None
        self._secret_refs = dict(stored.secret_refs) if stored else {}
        self._missing: set[str] = set()
        """Secrets the store refers to but the keyring does not hold."""
        self._directory = {
            "operators": ctx.service.directory("operator"),
            "workgroups": ctx.service.directory("workgroup"),
        }
        self._taken = {s.number for s in ctx.service.summaries()} if self.is_new else set()
        self._errors: list[Problem] = []
        self._saving = False
        self._discard_confirmed = False
        self._security = {
            "pop3": get_path(base, "pop3.security"),
            "smtp": get_path(base, "smtp.security"),
        }

        self.bindings: dict[str, Binding[Any]] = {}
        self._specs = {spec.path: spec for spec in form.fields()}
        """Every field by path, built or not: for the labels in messages."""
        self.boxes: dict[str, tuple[form.Area, QGroupBox]] = {}
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("accountTabs")
        self.cards: dict[str, QWidget] = {}
        """The cards built so far, by id; the Exchange cards when first shown."""
        self.credentials_card = self._build_card(form.CREDENTIALS)
        self.tabs.addTab(self.credentials_card, translated(form.CREDENTIALS.title))
        self._decorate_credentials()
        self.auth_dialog: AuthDialog | None = None
        self.oauth2_panel: OAuth2Panel | None = None
        self._build_bottom()
        self._initial = self.current_data()
        self._revalidate(self._update_states())
        title = (
            self.tr("New e-mail account")
            if self.is_new
            else self.tr("E-mail account {number}").format(number=base.get("number", ""))
        )
        self.setWindowTitle(title)
        self._check_secrets()

    # -- building -----------------------------------------------------------

    def _area(self, area: form.Area, parent: QWidget) -> QGroupBox:
        box = QGroupBox(translated(area.title), parent)
        box.setObjectName(f"{area.id}Area")
        codes = {k: [e.code for e in v] for k, v in self._directory.items()}
        bindings = [bind(spec, box, codes.get(spec.path)) for spec in area.fields]
        add_rows(QGridLayout(box), bindings)
        self._adopt(bindings)
        self.boxes[area.id] = (area, box)
        return box

    def _build_card(self, card: form.Card) -> QWidget:
        widget = QWidget(self)
        widget.setObjectName(_card_name(card))
        row = QHBoxLayout(widget)
        for areas in card.columns:
            column = QVBoxLayout()
            row.addLayout(column, 1)
            boxes = [self._area(area, widget) for area in areas]
            align_label_columns(boxes)
            for box in boxes:
                if len(card.columns) == 1:
                    box.setMaximumWidth(style.AREA_MAX_WIDTH)
                column.addWidget(box)
            column.addStretch(1)
        self.cards[card.id] = widget
        return widget

    def _adopt(self, bindings: list[Binding[Any]]) -> None:
        """Fill new bindings from the account and follow their changes."""
        for binding in bindings:
            self.bindings[binding.spec.path] = binding
        self._fill(bindings)
        for binding in bindings:
            binding.connect(self._changed)

    def _decorate_credentials(self) -> None:
        """What the credentials card has beyond fields: the button that opens
        the authentication dialog, its problems, and the pickers."""
        _, auth_box = self.boxes[form.SMTP_AUTH.id]
        grid = auth_box.layout()
        assert isinstance(grid, QGridLayout)
        self.auth_button = QPushButton(self.tr("Aut&hentication settings…"), auth_box)
        self.auth_button.setObjectName("authSettingsButton")
        self.auth_button.clicked.connect(self.open_auth_dialog)
        self.auth_problem = QLabel(auth_box)
        self.auth_problem.setObjectName("smtp.auth.problem")
        self.auth_problem.setTextFormat(Qt.TextFormat.PlainText)
        self.auth_problem.setWordWrap(True)
        self.auth_problem.setStyleSheet(style.colour(style.ERROR))
        self.auth_problem.hide()
        row = grid.rowCount()
        grid.addWidget(self.auth_button, row, 1, Qt.AlignmentFlag.AlignLeft)
        grid.addWidget(self.auth_problem, row + 1, 1)
        _, identity_box = self.boxes[form.IDENTITY.id]
        identity = identity_box.layout()
        assert isinstance(identity, QGridLayout)
        address = self.bindings["address"].widget
        row = next(
            r
            for r in range(identity.rowCount())
            if (item := identity.itemAtPosition(r, 1)) is not None and item.widget() is address
        )
        self.autoconfig_button = QPushButton(self.tr("&Find settings…"), identity_box)
        self.autoconfig_button.setObjectName("autoconfigButton")
        self.autoconfig_button.setToolTip(
            self.tr(
                "Find the POP3 and SMTP settings of this address: the domain's own "
                "configuration, the ISPDB, its DNS records. Passwords are never filled in."
            )
        )
        self.autoconfig_button.clicked.connect(self.find_settings)
        identity.addWidget(self.autoconfig_button, row, 2)
        for path in ("operators", "workgroups"):
            widget = self.bindings[path].widget
            widget.pick_requested.connect(lambda p=path: self.open_picker(p))
            widget.setToolTip(self.tr("Codes separated by “;”. F5 opens the list."))
        number = self.bindings["number"]
        assert isinstance(number, TextBinding)
        number.widget.setReadOnly(not self.is_new)
        self._add_password_warning()

    def _add_password_warning(self) -> None:
        """Below the POP3 fields: which servers log in with a password at a
        provider that has stopped that (``model/providers.py``), and the
        switch to OAuth2. A warning: saving stays allowed."""
        _, box = self.boxes[form.POP3.id]
        grid = box.layout()
        assert isinstance(grid, QGridLayout)
        self.password_warning = QWidget(box)
        self.password_warning.setObjectName("providerPasswordWarning")
        self.password_warning_text = WrappedLabel(self.password_warning)
        self.password_warning_text.setObjectName("providerPasswordText")
        self.password_warning_text.setTextFormat(Qt.TextFormat.PlainText)  # it names hosts
        self.password_warning_text.setWordWrap(True)
        self.password_warning_text.setStyleSheet(style.colour(style.WARNING))
        self.switch_button = QPushButton(self.tr("Switch to OAuth&2…"), self.password_warning)
        self.switch_button.setObjectName("switchToOAuth2Button")
        self.switch_button.setToolTip(
            self.tr(
                "Sets the account to sign in with OAuth2 at the provider and opens the OAuth2 "
                "card. Nothing is saved until you save."
            )
        )
        self.switch_button.clicked.connect(lambda: self.switch_to_oauth2())
        layout = QVBoxLayout(self.password_warning)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.password_warning_text)
        layout.addWidget(self.switch_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.password_warning.hide()
        grid.addWidget(self.password_warning, grid.rowCount(), 0, 1, grid.columnCount())

    def _show_password_warning(self, data: dict[str, Any]) -> None:
        notices = password_notices(data)
        hosts: dict[str, list[str]] = {}  # one line per message: its hosts together
        for notice in notices:
            if notice.host not in (found := hosts.setdefault(notice.code, [])):
                found.append(notice.host)
        params = {n.code: n.params for n in notices}
        lines = [
            texts.problem_text(Problem(code, params={**params[code], "host": ", ".join(names)}))
            for code, names in hosts.items()
        ]
        self.password_warning_text.setText("\n".join(lines))
        self.password_warning.setVisible(bool(notices))

    def switch_to_oauth2(self, provider_key: str | None = None) -> None:
        """Switch the servers at the provider (*provider_key*, else the
        first one warned of) to OAuth2 with its settings, and show the OAuth2
        card for the client ID and the sign-in. Saved only with the account."""
        data = self.current_data()
        notices = password_notices(data)
        provider = PROVIDER_KEYS.get(provider_key or "") or (
            notices[0].provider if notices else None
        )
        if provider is None:
            return
        self.apply_settings(oauth2_switch(data, provider))
        self.show_oauth2_sign_in()

    def _add_oauth2_panel(self) -> None:
        """Sign in, check, sign out: below the OAuth2 fields."""
        _, box = self.boxes[form.OAUTH2.id]
        grid = box.layout()
        assert isinstance(grid, QGridLayout)
        self.oauth2_panel = OAuth2Panel(
            self.ctx, self.current_data, lambda: dict(self._secret_refs), box, self.secret_changes
        )
        self.oauth2_panel.changed.connect(self._changed)
        # a sign-in waiting for the browser ends with the dialog
        self.finished.connect(self.oauth2_panel.cancel)
        grid.addWidget(self.oauth2_panel, grid.rowCount(), 0, 1, 2)

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
        self.autoconfig_dialog: AutoconfigDialog | None = None
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

    def _fill(self, bindings: list[Binding[Any]]) -> None:
        for binding in bindings:
            path = binding.spec.path
            if isinstance(binding, PasswordBinding):
                binding.set_placeholder(password_placeholder(self._secret_state(_SECRET_OF[path])))
                continue
            value = get_path(self._base, path)
            binding.set_value(get_path(self._defaults, path) if value is None else value)

    def _secret_state(self, name: str) -> str | None:
        if name not in self._secret_refs:
            return None
        return "missing" if name in self._missing else "stored"

    def _password_bindings(self) -> list[PasswordBinding]:
        return [b for b in self.bindings.values() if isinstance(b, PasswordBinding)]

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
            self._fill(list(self._password_bindings()))

        self.ctx.tasks.run(lambda job: job.service.secret_states(stored), known, _ignore, self)

    # -- state --------------------------------------------------------------

    def current_data(self) -> dict[str, Any]:
        """The account as the form shows it; fields of cards or dialogs never
        built are as loaded."""
        data = copy.deepcopy(self._base)
        for path, binding in self.bindings.items():
            if not isinstance(binding, PasswordBinding):
                set_path(data, path, binding.value())
        for section in self._optional_sections:
            untouched = data.get(section) in (None, self._defaults[section])
            if self._base.get(section) is None and untouched:
                data[section] = None  # a card looked at, nothing typed: still none
        return data

    def secret_changes(self) -> dict[str, Secret | None]:
        """Typed passwords, and a sign-in or sign-out waiting to be saved."""
        changes: dict[str, Secret | None] = {
            _SECRET_OF[b.spec.path]: Secret(b.value())
            for b in self._password_bindings()
            if b.value()
        }
        if self.oauth2_panel is not None:
            changes.update(self.oauth2_panel.secret_change())
        return changes

    def is_dirty(self) -> bool:
        return self.current_data() != self._initial or bool(self.secret_changes())

    def _changed(self) -> None:
        self._follow_ports()
        self._revalidate(self._update_states())

    def _follow_ports(self) -> None:
        for section in ("pop3", "smtp"):
            new = self.bindings[f"{section}.security"].value()
            old = self._security[section]
            if new != old:
                port = self.bindings[f"{section}.port"]
                port.set_value(follow_port(section, old, new, port.value()))
                self._security[section] = new

    def _update_states(self) -> dict[str, Any]:
        """Show and enable what the form description says for these values;
        a card shown for the first time is built first, so that its fields
        are enabled as they should be from the start. Returns the form's
        data for validation: the copy read here, read again only when a card
        was built (its fields join it)."""
        data = self.current_data()
        built = False
        for card in form.optional_cards():
            built |= self._show_card(card, all(c.holds(data) for c in card.shown_when))
        for area, box in self.boxes.values():
            box.setEnabled(area.enabled(data))
        for binding in self.bindings.values():
            binding.set_enabled(binding.spec.enabled(data))
        self.auth_button.setEnabled(all(c.holds(data) for c in form.AUTH_SETTINGS_ENABLED))
        self.autoconfig_button.setEnabled(not data["exchange"] and "@" in str(data["address"]))
        return self.current_data() if built else data

    def _show_card(self, card: form.Card, show: bool) -> bool:
        """Show or hide *card*; True when it had to be built for that."""
        built = show and card.id not in self.cards
        if built:
            self._build_card(card)  # its fields are filled from the account, as in data
            if card is form.OAUTH2_CARD:
                self._add_oauth2_panel()
        widget = self.cards.get(card.id)
        if widget is None:
            return built
        present = self.tabs.indexOf(widget) >= 0
        if show and not present:
            self.tabs.addTab(widget, translated(card.title))
        elif not show and present:
            self.tabs.removeTab(self.tabs.indexOf(widget))
        return built

    # -- validation ---------------------------------------------------------

    def _revalidate(self, data: dict[str, Any] | None = None) -> list[Problem]:
        """Validate *data*, the form's ``current_data()`` (read here unless
        the caller has it), and show the problems."""

        def known(entries: list[DirectoryEntry]) -> Any:
            codes = {e.code.casefold() for e in entries}
            return lambda code: code.casefold() in codes

        if data is None:
            data = self.current_data()
        _, problems = validate_account(
            data, known(self._directory["operators"]), known(self._directory["workgroups"])
        )
        if self.is_new and data["number"] in self._taken:
            problems.append(Problem("number_taken", "number", {"value": data["number"]}))
        problems.extend(self._password_problems())
        self.show_problems(problems)
        self._show_password_warning(data)
        return problems

    def _password_problems(self) -> list[Problem]:
        """Typed (or pasted) passwords that cannot be sent: line breaks or NUL."""
        found = (secret_problem(b.value(), b.spec.path) for b in self._password_bindings())
        return [problem for problem in found if problem is not None]

    def show_problems(self, problems: list[Problem]) -> None:
        by_path: dict[str, list[Problem]] = {}
        for problem in problems:
            path = problem.path
            if path not in self.bindings and not path.startswith("smtp.auth."):
                path = path.split(".")[0]
            by_path.setdefault(path, []).append(problem)
        for path, binding in self.bindings.items():
            found = by_path.get(path, [])
            text = "\n".join(texts.problem_text(p) for p in found)
            binding.show_problem(text, warning=all(not p.is_error for p in found))
        # the authentication dialog is closed mostly: its problems show here too
        auth = [p for p in problems if p.path.startswith("smtp.auth.")]
        self.auth_problem.setText("\n".join(texts.problem_text(p) for p in auth))
        self.auth_problem.setVisible(bool(auth))
        self._errors = [p for p in problems if p.is_error]
        self._update_save_state()

    def _field_label(self, path: str) -> str:
        spec = self._specs.get(path)
        return form.plain(translated(spec.label)) if spec is not None else path

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
            lines = [f"{self._field_label(p.path)}: {texts.problem_text(p)}" for p in self._errors]
            reason = self.tr("Cannot save yet:") + "\n" + "\n".join(lines)
            self.save_button.setToolTip(texts.plain_tooltip(reason))
            summary = lines[0]
            if len(lines) > 1:
                summary = self.tr("{count} problems, first: {first}").format(
                    count=len(lines), first=lines[0]
                )
            self.status.setText(self.tr("Cannot save: {reason}").format(reason=summary))
            self.status.setStyleSheet(style.colour(style.ERROR))
        else:
            self.save_button.setToolTip(self.tr("Save and close (F10)"))
            self.status.setText("")

    # -- sub-dialogs ----------------------------------------------------------

    def open_auth_dialog(self) -> AuthDialog:
        """Its fields are bound like every other: built on first use, filled
        from the account; Cancel puts back what they held when it opened."""
        if self.auth_dialog is None:
            self.auth_dialog = AuthDialog(self)
            self.auth_dialog.setWindowModality(Qt.WindowModality.WindowModal)
            self._adopt(list(self.auth_dialog.bindings.values()))
            self.auth_dialog.rejected.connect(self._auth_cancelled)
        dialog = self.auth_dialog
        self._auth_before = {path: b.value() for path, b in dialog.bindings.items()}
        self._update_states()
        dialog.open()
        return dialog

    def _auth_cancelled(self) -> None:
        assert self.auth_dialog is not None
        for path, value in self._auth_before.items():
            self.auth_dialog.bindings[path].set_value(value)
        self._changed()

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
            switch_to_oauth2=self.switch_to_oauth2,
        )
        self.test_dialog = dialog
        return self._open_running(dialog)

    def find_settings(self) -> AutoconfigDialog | None:
        """ "Einstellungen ermitteln": the lookup runs in its own dialog, which
        fills the POP3 and SMTP fields through ``apply_settings`` (a guess
        only when the admin says so)."""
        address = str(self.bindings["address"].value()).strip()
        if address_problem(address) is not None:
            self.bindings["address"].widget.setFocus()
            self._revalidate()  # the address field says what is wrong
            return None
        dialog = AutoconfigDialog(
            self.ctx,
            address,
            lambda proposal: self.apply_settings(proposal.fields()),
            self,
            sign_in=self.show_oauth2_sign_in,
        )
        self.autoconfig_dialog = dialog
        return self._open_running(dialog)

    def _open_running(self, dialog: Running) -> Running:
        """Show *dialog* over this one (modal to it alone, gone when closed)
        and start its work."""
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.open()
        dialog.start()
        return dialog

    def apply_settings(self, values: dict[str, Any]) -> None:
        """Fill fields (path → value) as if typed, passwords never: those of
        the authentication dialog too, built or not."""
        if any(path.startswith("oauth2.") for path in values) and self._base.get("oauth2") is None:
            self._base["oauth2"] = {}  # filled in: no longer an untouched card, whatever its values
        for path, value in values.items():
            if path in SECRET_PATHS.values():
                continue
            binding = self.bindings.get(path)
            if binding is not None:
                binding.set_value(value)
            else:
                set_path(self._base, path, value)
        for section in ("pop3", "smtp"):  # the port was set with its mode
            self._security[section] = self.bindings[f"{section}.security"].value()
        self._changed()

    def show_oauth2_sign_in(self) -> None:
        """The OAuth2 card, at its client ID while that is empty, else at "Sign in…"."""
        card = self.cards.get(form.OAUTH2_CARD.id)
        if card is None or self.tabs.indexOf(card) < 0 or self.oauth2_panel is None:
            return
        self.tabs.setCurrentWidget(card)
        client_id = self.bindings["oauth2.client_id"]
        target = client_id.widget if not client_id.value() else self.oauth2_panel.sign_in_button
        target.setFocus()

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

        def work(job: Job[None]) -> SaveResult:
            if revision is None:
                return job.service.create(data, secrets)
            return job.service.update(number, data, revision, secrets)

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
        for binding in self._password_bindings():
            binding.set_value("")
        if self.oauth2_panel is not None:
            self.oauth2_panel.pending = False
            self.oauth2_panel.show_stored()
        self._fill(list(self.bindings.values()))
        self._initial = self.current_data()
        self._revalidate(self._update_states())

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
