"""The window "E-Mail-Konten": the account list with filter, and the actions
on it. It needs a few columns from SQLite and nothing else to appear; the
model, the dialogs and the keyring load when first used. Like the table
model, it touches ``PySide6.QtCore.Qt`` only after the first paint."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from .account_table import AccountTable

if TYPE_CHECKING:
    from PySide6.QtGui import QKeyEvent, QPaintEvent
    from PySide6.QtWidgets import QMessageBox

    from ..store import AccountTooNew, StoreError
    from .account_dialog import AccountDialog
    from .directory_dialog import DirectoryDialog
    from .fetch_dialog import FetchDialog
    from .tasks import Running
    from .window_context import GuiContext


def _preload_model() -> None:
    """Import what the account dialog validates with (pydantic, e-mail and IDN
    rules: ≈ 0.3 s) while the admin is still looking at the list."""
    import mailaccounts.model.validation  # noqa: F401


class AccountView(QTableView):
    open_requested = Signal()
    first_painted = Signal()
    _painted = False

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            self.first_painted.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        from PySide6.QtCore import Qt

        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.open_requested.emit()
            return
        super().keyPressEvent(event)


class MainWindow(QMainWindow):
    def __init__(self, ctx: GuiContext) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.ctx = ctx
        self.dialog: AccountDialog | None = None
        self.fetch_dialog: FetchDialog | None = None
        self.preload: Running | None = None
        self.setWindowTitle(self.tr("E-mail accounts"))

        self.filter = QLineEdit(self)
        self.filter.setObjectName("filter")
        self.filter.setPlaceholderText(self.tr("Filter by number, address, server, operator…"))
        self.filter.setAccessibleName(self.tr("Filter"))
        filter_label = QLabel(self.tr("&Filter:"), self)
        filter_label.setBuddy(self.filter)

        self.buttons: dict[str, QPushButton] = {}
        actions = (
            ("newButton", self.tr("&New…"), self.new_account),
            ("editButton", self.tr("&Edit…"), self.edit_selected),
            ("duplicateButton", self.tr("D&uplicate…"), self.duplicate_selected),
            ("deleteButton", self.tr("&Delete"), self.delete_selected),
            ("fetchButton", self.tr("Fe&tch now"), self.fetch_selected),
            ("operatorsButton", self.tr("&Operators…"), lambda: self.open_directory("operator")),
            ("workgroupsButton", self.tr("&Workgroups…"), lambda: self.open_directory("workgroup")),
        )
        toolbar = QHBoxLayout()
        toolbar.addWidget(filter_label)
        toolbar.addWidget(self.filter, 1)
        for name, text, slot in actions:
            button = QPushButton(self)  # (text, parent) would load QIcon's types: 1.5 ms
            button.setText(text)
            button.setObjectName(name)
            if name == "fetchButton":
                button.setToolTip(self.tr("Fetch the mail of the selected accounts now"))
            button.clicked.connect(slot)
            self.buttons[name] = button
            toolbar.addWidget(button)
            if name in ("deleteButton", "fetchButton"):
                toolbar.addSpacing(12)

        self.model = AccountTable(self)
        self.table = AccountView(self)
        self.table.setObjectName("accountTable")
        self.table.setAccessibleName(self.tr("E-mail accounts"))
        self.table.setModel(self.model)
        self.table.horizontalHeader().setModel(self.model.header_model(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # several rows for "Fetch now"; Enter and a double click open the current one
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate((70, 220, 160, 160, 110, 80)):
            self.table.setColumnWidth(column, width)
        self.table.doubleClicked.connect(lambda _: self.edit_selected())
        self.table.open_requested.connect(self.edit_selected)
        self.filter.textChanged.connect(self._filter_changed)
        self._following_selection = False
        """The buttons follow the selection from the first paint on: the
        selection model's Python type costs 1 ms (its enums) before it."""

        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.table)
        self.empty_state: QWidget | None = None

        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.addLayout(toolbar)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.resize(1100, 560)
        self.refresh()
        if self.model.total:
            self.table.first_painted.connect(lambda: QTimer.singleShot(0, self._after_first_paint))
        else:  # the empty state shows instead of the list, which then never paints
            QTimer.singleShot(0, self._after_first_paint)

    def _after_first_paint(self) -> None:
        from PySide6.QtCore import Qt

        if self.ctx.closed:
            return
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self._following_selection = True
        self._update_buttons()
        self.filter.setClearButtonEnabled(True)  # loads an icon (1 ms); not seen before typing
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.preload = self.ctx.tasks.run(lambda job: _preload_model(), _ignore, _ignore, self)
        self._mark_password_logins()
        # keyring leftovers of a crash: removed off the GUI thread
        self.ctx.tasks.run(
            lambda job: job.service.purge_trash(), self._cleaned, self._cleaned, owner=self
        )

    def _cleaned(self, problem: object) -> None:
        if problem:
            self.statusBar().showMessage(
                self.tr(
                    "Some old passwords could not be removed from the keyring yet: {why}"
                ).format(why=problem)
            )

    def _empty_state(self) -> QWidget:
        from PySide6.QtCore import Qt

        page = QWidget(self)
        page.setObjectName("emptyState")
        title = QLabel(self.tr("No e-mail accounts yet"), page)
        title.setStyleSheet("font-size: 16pt;")
        text = QLabel(
            self.tr(
                "Set up the first mail account: where mail is fetched from (POP3), "
                "where it is sent through (SMTP), and which operators receive it."
            ),
            page,
        )
        text.setWordWrap(True)
        text.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        text.setFixedSize(460, text.heightForWidth(460))  # centred, it would get one line
        button = QPushButton(self.tr("New e-mail account…"), page)
        button.setObjectName("emptyNewButton")
        button.clicked.connect(self.new_account)
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        for widget in (title, text, button):
            layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        return page

    # -- list ---------------------------------------------------------------

    def refresh(self, select: str | list[str] | None = None) -> None:
        """Read the list again; *select* the account(s) with these numbers."""
        self.model.set_accounts(self.ctx.service.summaries())
        if self._following_selection:  # from the first paint on
            self._mark_password_logins()
        empty = self.model.total == 0
        if empty and self.empty_state is None:
            self.empty_state = self._empty_state()
            self.stack.addWidget(self.empty_state)
        self.stack.setCurrentWidget(self.empty_state if empty and self.empty_state else self.table)
        self.filter.setEnabled(not empty)
        numbers = [select] if isinstance(select, str) else select or []
        rows = [row for row in map(self.model.row_of, numbers) if row >= 0]
        if rows:
            self._select_rows(rows)
        elif not empty and not self.table.currentIndex().isValid():
            self.table.selectRow(0)
        self._update_buttons()
        self._show_count()

    def _mark_password_logins(self) -> None:
        """Mark the accounts that log in with a password at a provider that
        stops that, once a worker has read them (never the keyring)."""
        summaries = self.model.accounts()

        def done(found: dict[str, dict[int, list[str]]]) -> None:
            if self.model.accounts() is summaries:  # not read again meanwhile
                self.model.set_password_notices(found)

        self.ctx.tasks.run(
            lambda job: _password_logins(job.service, summaries), done, _ignore, owner=self
        )

    def _select_rows(self, rows: list[int]) -> None:
        self.table.selectRow(rows[0])
        if len(rows) > 1:
            from PySide6.QtCore import QItemSelectionModel

            flags = QItemSelectionModel.SelectionFlag
            selection = self.table.selectionModel()
            for row in rows[1:]:
                selection.select(self.model.index(row, 0), flags.Select | flags.Rows)

    def _update_buttons(self) -> None:
        """Edit, Duplicate and Delete take one account; Fetch now takes the
        selected POP3 accounts (Exchange accounts are not fetched)."""
        if self._following_selection:
            rows = self._selected_rows()
        else:  # the list as it opens: its first row, if any
            rows = [0] if self.stack.currentWidget() is self.table and self.model.rowCount() else []
        for name in ("editButton", "duplicateButton", "deleteButton"):
            self.buttons[name].setEnabled(len(rows) == 1)
        pop3 = any(not self.model.summary_at(row).exchange for row in rows)
        self.buttons["fetchButton"].setEnabled(pop3)

    def _filter_changed(self, text: str) -> None:
        self.model.set_filter(text)
        if self.model.rowCount() and not self.table.currentIndex().isValid():
            self.table.selectRow(0)
        self._show_count()

    def _show_count(self) -> None:
        shown, total = self.model.rowCount(), self.model.total
        text = self.tr("%n e-mail account(s)", "", total)
        if shown != total:
            text = self.tr("{shown} of %n e-mail account(s)", "", total).format(shown=shown)
        self.statusBar().showMessage(text)

    def selected_number(self) -> str | None:
        index = self.table.currentIndex()
        return self.model.number_at(index.row()) if index.isValid() else None

    def selected_numbers(self) -> list[str]:
        """The selected accounts, in the list's order."""
        return [self.model.number_at(row) for row in self._selected_rows()]

    def _selected_rows(self) -> list[int]:
        if self.stack.currentWidget() is not self.table:
            return []
        return sorted(index.row() for index in self.table.selectionModel().selectedRows())

    # -- actions --------------------------------------------------------------

    def _open_dialog(
        self, stored: Any = None, template: dict[str, Any] | None = None
    ) -> AccountDialog:
        from PySide6.QtCore import Qt

        from .account_dialog import AccountDialog

        dialog = AccountDialog(self.ctx, stored, template, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(lambda number: self.refresh(select=number))
        self.dialog = dialog
        dialog.open()
        return dialog

    def new_account(self) -> AccountDialog:
        return self._open_dialog()

    def _find(self, number: str | None) -> Any:
        """The stored account *number*, or None: not there any more, or saved
        by a newer release (which a message box then says)."""
        from ..store import AccountTooNew

        try:
            return self.ctx.service.find(number) if number else None
        except AccountTooNew as exc:
            self._too_new(exc)
            return None

    def _too_new(self, error: AccountTooNew) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("E-mail account not readable"),
            self.tr(
                "E-mail account {number} was saved by a newer release of mailaccounts "
                "(document version {version}; this release knows versions up to "
                "{supported}). Open it with the newer release."
            ).format(number=error.number, version=error.version, supported=error.supported),
            QMessageBox.StandardButton.Ok,
            self,
        )
        box.setObjectName("accountTooNewBox")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def edit_selected(self) -> AccountDialog | None:
        stored = self._find(self.selected_number())
        if stored is None:
            self.refresh()
            return None
        return self._open_dialog(stored)

    def duplicate_selected(self) -> AccountDialog | None:
        stored = self._find(self.selected_number())
        if stored is None:
            return None
        import copy

        template = copy.deepcopy(stored.data)
        template["number"] = ""
        dialog = self._open_dialog(template=template)
        dialog.status.setText(self.tr("Passwords are not copied; enter them for the new account."))
        return dialog

    def delete_selected(self) -> QMessageBox | None:
        from PySide6.QtWidgets import QMessageBox

        number = self.selected_number()
        stored = self._find(number)
        if number is None or stored is None:
            return None
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Delete e-mail account"),
            self.tr(
                "Delete e-mail account {number} ({address})?\n\nIts stored passwords are "
                "removed from the keyring as well."
            ).format(number=number, address=stored.data.get("address", "")),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setObjectName("deleteBox")
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("Delete"))
        box.button(QMessageBox.StandardButton.No).setText(self.tr("Keep"))
        box.setDefaultButton(QMessageBox.StandardButton.No)

        def decided() -> None:
            if box.clickedButton() is box.button(QMessageBox.StandardButton.Yes):
                self.ctx.tasks.run(
                    lambda job: job.service.delete(number, stored.revision),
                    lambda leftover: self._deleted(number, leftover),
                    self._delete_failed,
                    owner=self,
                )

        box.finished.connect(decided)
        box.open()
        return box

    def _deleted(self, number: str, leftover: str) -> None:
        self.refresh()
        message = self.tr("E-mail account {number} deleted.").format(number=number)
        if leftover:
            message += " " + self.tr(
                "Some passwords stay in the keyring until the next start: {why}"
            ).format(why=leftover)
        self.statusBar().showMessage(message)

    def _delete_failed(self, error: Exception) -> None:
        from PySide6.QtWidgets import QMessageBox

        self.refresh()
        QMessageBox.warning(self, self.tr("Not deleted"), str(error))

    def fetch_selected(self) -> FetchDialog | None:
        """Fetch the mail of the selected accounts now, in a dialog that
        shows each one's progress; the list shows the results afterwards."""
        from PySide6.QtCore import Qt

        from .fetch_dialog import FetchDialog

        rows = self._selected_rows()
        if not rows or self._fetching() is not None:
            return None
        dialog = FetchDialog(self.ctx, [self.model.summary_at(row) for row in rows], self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fetched.connect(lambda _: self.refresh(select=self.selected_numbers()))
        self.fetch_dialog = dialog
        dialog.open()
        dialog.start()
        return dialog

    def _fetching(self) -> FetchDialog | None:
        """The fetch dialog, while it runs."""
        import shiboken6

        dialog = self.fetch_dialog
        if dialog is None or not shiboken6.isValid(dialog) or not dialog.running:
            return None
        return dialog

    def open_directory(self, kind: str) -> DirectoryDialog:
        from PySide6.QtCore import Qt

        from .directory_dialog import DirectoryDialog

        dialog = DirectoryDialog(self.ctx, kind, self)  # type: ignore[arg-type]
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def closeEvent(self, event: Any) -> None:
        if (fetching := self._fetching()) is not None:
            fetching.stop()  # cancels the fetch and waits for it to end: a second at most
        self.ctx.wait_for_tasks()
        super().closeEvent(event)


RESUME_COLLECTOR_MS = 3000


def _ignore(outcome: object) -> None:
    """The list shows no marks when the accounts cannot be read for them;
    the preload's outcome does not matter (the dialog imports what it needs)."""


def _password_logins(service: Any, summaries: list[Any]) -> dict[str, dict[int, list[str]]]:
    """Per account at a provider that stops password login: the server
    column (incoming, outgoing) → the notices' texts. Only accounts whose
    listed servers are a provider's are read."""
    from ..model.providers import POP3, password_notices, provider_of
    from .account_table import SERVERS
    from .texts import problem_text

    found: dict[str, dict[int, list[str]]] = {}
    for summary in summaries:
        if summary.exchange or not (provider_of(summary.incoming) or provider_of(summary.outgoing)):
            continue
        stored = service.find(summary.number)
        for notice in password_notices(stored.data) if stored is not None else []:
            column = SERVERS[0] if notice.server == POP3 else SERVERS[1]
            text = problem_text(notice.problem)
            found.setdefault(summary.number, {}).setdefault(column, []).append(text)
    return found


def run(opened: GuiContext | StoreError, language: str | None = None) -> int:
    """Show the window over an opened store, or why the store could not be
    opened (``start.start_window`` opens it); the exit code."""
    from .i18n import choose_language, install_translators, remove_translators

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("mailaccounts")
    app.setDesktopFileName("mailaccounts")  # Wayland: name and icon from mailaccounts.desktop
    translators = install_translators(app, choose_language(language))
    try:
        return _show(app, opened)
    finally:
        remove_translators(app, translators)  # for a caller that goes on (a test)


def _show(app: QApplication, opened: GuiContext | StoreError) -> int:
    from .app import resume_collector
    from .window_context import GuiContext

    def set_icon() -> None:
        from .icon import window_icon

        app.setWindowIcon(window_icon())  # every window, the shown one too

    if not isinstance(opened, GuiContext):
        from PySide6.QtWidgets import QMessageBox

        set_icon()
        QMessageBox.critical(None, "mailaccounts", str(opened))
        return 1
    ctx = opened
    window = MainWindow(ctx)
    # The collector comes back as soon as the list has painted, before the
    # work queued for after the paint starts; the icon (≈ 2 ms with QIcon's
    # first use) waits until then too. The empty state does not wait.
    QTimer.singleShot(RESUME_COLLECTOR_MS, resume_collector)  # should it never paint
    if window.model.total:
        window.table.first_painted.connect(resume_collector)
        window.table.first_painted.connect(lambda: QTimer.singleShot(0, set_icon))
    else:
        resume_collector()
        QTimer.singleShot(0, set_icon)
    window.show()
    code = app.exec()
    ctx.close()
    return code
