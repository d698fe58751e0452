"""What the front ends call: validate, save, delete, import and export
accounts, keeping the store and the keyring in step.

Write ordering (so a crash at any point leaves store and keyring agreeing):
1. record the new keyring keys in the store's trash, owned by this save (a
   lease of the store that dies with the process: ``Store.pending_keys``);
2. write the new secrets under those new keys;
3. commit the account, its new key references, and the replaced keys into the
   trash, in one transaction (the commit takes the new keys out of the trash);
4. remove the replaced keys from the keyring and then from the trash.
A crash before 3 leaves the save's own keys in the trash, removable once its
lock is free; a crash after 3 leaves replaced keys there. ``purge_trash``
removes both — and never the keys of a save that is still running, in this
process or another (docs/architecture.md, "Saving with secrets").
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from ..keyring import refs as secretrefs
from ..keyring.backend import KeyringSecrets, SecretsError, bundle_key
from ..model.core import CLIENT_SECRET
from ..model.problems import AccountInvalid, Problem
from ..model.providers import PasswordNotice, password_notices, provider_of
from ..model.records import (
    AccountSummary,
    AccountWrite,
    DirectoryEntry,
    DirectoryKind,
    StoredAccount,
)
from ..model.rules import signs_in_with_oauth2, smtp_login_of
from ..model.secret import Secret
from ..model.upgrade import DOCUMENT_VERSION, DocumentTooNew, upgrade
from ..model.validation import directory_spelling, validate_account
from ..net.check import run_test
from ..net.report import NetError
from ..oauth2.grant import Grant
from ..oauth2.tokens import AccountTokens
from ..store import (
    AccountNotFound,
    AccountTooNew,
    ExportIncomplete,
    SecretsChanged,
    Store,
    StoreError,
)
from .documents import EXPORT_FORMAT, EXPORT_VERSION, dumps, dumps_list
from .transfer import ImportPlan, directory_entry

if TYPE_CHECKING:
    from ..model.account import Account
    from ..model.validation import KnownCodes, Spellings
    from ..net.report import ConnectionReport
    from ..net.sasl import Credential
    from ..net.transport import CancelToken

RETRIES = 3
"""Saves planned again when an account's secrets changed meanwhile."""
SecretChanges = Mapping[str, Secret | None]
"""Secret name → new value, or None to remove it. Names not given are kept."""
Progress = Callable[[int, int], None]
"""Called with (done, total) while secrets are written."""
_T = TypeVar("_T")


class SaveResult(NamedTuple):
    stored: StoredAccount
    warnings: list[Problem]
    leftover: str = ""
    """Why replaced keyring entries could not be removed yet (retried later)."""


class ImportResult(NamedTuple):
    created: list[str]
    replaced: list[str]
    warnings: list[Problem]
    leftover: str = ""


class AccountService:
    def __init__(self, store: Store, secrets: KeyringSecrets) -> None:
        self.store = store
        self.secrets = secrets

    def close(self) -> None:
        self.store.close()

    # -- validation ---------------------------------------------------------

    def _spellings(self, kind: DirectoryKind, extra: Sequence[DirectoryEntry] = ()) -> Spellings:
        """The directory's codes (and *extra* ones an import adds), each as
        the directory spells it; the stored spelling wins, as an import
        keeps it (``save_many``)."""
        spelled: dict[str, str] = {}
        for entry in [*self.store.directory(kind), *extra]:
            spelled.setdefault(entry.code.casefold(), entry.code)
        return spelled

    def validate(
        self,
        data: Mapping[str, Any],
        prefix: str = "",
        directory: Mapping[DirectoryKind, list[DirectoryEntry]] | None = None,
    ) -> tuple[Account | None, list[Problem]]:
        """Validate *data*; a valid account names its codes as the directory
        spells them, so every save stores that spelling."""
        directory = directory or {}
        operators = self._spellings("operator", directory.get("operator", []))
        workgroups = self._spellings("workgroup", directory.get("workgroup", []))
        account, problems = validate_account(data, _known(operators), _known(workgroups), prefix)
        if account is not None:
            account = _spelled(account, operators, workgroups)
        return account, problems

    def _checked(self, data: Mapping[str, Any]) -> tuple[Account, list[Problem]]:
        account, problems = self.validate(data)
        if account is None:
            raise AccountInvalid([p for p in problems if p.is_error])
        return account, problems

    # -- reading: accounts in the current shape (model/upgrade.py) ----------

    def summaries(self) -> list[AccountSummary]:
        """What the account list shows: a few columns, no model needed."""
        return self.store.summaries()

    def password_notices(self, summaries: list[AccountSummary]) -> dict[str, list[PasswordNotice]]:
        """Per listed account that logs in with a password at a provider that
        stops that, the notices (model/providers.py). Only the accounts whose
        listed servers are a provider's are read; the keyring never is."""
        found: dict[str, list[PasswordNotice]] = {}
        for summary in summaries:
            if summary.exchange or not (
                provider_of(summary.incoming) or provider_of(summary.outgoing)
            ):
                continue
            stored = self.find(summary.number)
            if notices := password_notices(stored.data) if stored is not None else []:
                found[summary.number] = notices
        return found

    def find(self, number: str) -> StoredAccount | None:
        """The account, or None; AccountTooNew when a newer release saved it."""
        stored = self.store.get(number)
        if stored is None:
            return None
        data = self._in_shape(number, stored.data, stored.version)
        return stored._replace(data=data, version=DOCUMENT_VERSION)

    def _in_shape(self, number: str, data: dict[str, Any], version: int) -> dict[str, Any]:
        """A stored document as every reader gets it: in the current shape,
        its codes as the directory spells them (accounts saved before a
        save did that may say ``adm`` for ``ADM``: fetching delivers into the
        directory's folder all the same)."""
        current = _upgraded(number, data, version)
        return _codes_spelled(current, self._spellings("operator"), self._spellings("workgroup"))

    def load(self, number: str) -> StoredAccount:
        stored = self.find(number)
        if stored is None:
            raise AccountNotFound(number)
        return stored

    def accounts(
        self, unreadable: Callable[[AccountTooNew], None] | None = None
    ) -> Iterator[dict[str, Any]]:
        """Every account's JSON form, in number order, one at a time. An
        account a newer release saved, in a shape this one does not know, is
        handed to *unreadable* instead; without it, left out (fetching cannot
        use it either)."""
        operators, workgroups = self._spellings("operator"), self._spellings("workgroup")
        for number, data, version in self.store.account_documents():
            try:
                current = _upgraded(number, data, version)
            except AccountTooNew as exc:
                if unreadable is not None:
                    unreadable(exc)
                continue
            yield _codes_spelled(current, operators, workgroups)

    def unreadable(self) -> list[AccountTooNew]:
        """The accounts this release cannot read: a newer one saved them."""
        newer = self.store.documents_newer_than(DOCUMENT_VERSION)
        return [AccountTooNew(number, version, DOCUMENT_VERSION) for number, version in newer]

    def directory(self, kind: DirectoryKind) -> list[DirectoryEntry]:
        return self.store.directory(kind)

    # -- saving -------------------------------------------------------------

    def create(self, data: Mapping[str, Any], secrets: SecretChanges | None = None) -> SaveResult:
        account, problems = self._checked(data)
        if self.store.get(account.number) is not None:
            raise AccountInvalid([Problem("number_taken", "number", {"value": account.number})])
        return self._save(account, None, {}, secrets or {}, problems)

    def update(
        self,
        number: str,
        data: Mapping[str, Any],
        expected_revision: int,
        secrets: SecretChanges | None = None,
    ) -> SaveResult:
        if data.get("number") != number:
            raise AccountInvalid([Problem("number_readonly", "number")])
        account, problems = self._checked(data)
        current = self.load(number)
        return self._save(account, expected_revision, current.secret_refs, secrets or {}, problems)

    def _save(
        self,
        account: Account,
        expected_revision: int | None,
        current_refs: Mapping[str, str],
        changes: SecretChanges,
        warnings: list[Problem],
    ) -> SaveResult:
        def commit(plan: _SecretPlan, refs: Mapping[str, str]) -> StoredAccount:
            expected = None if expected_revision is None else dict(refs)
            write = _write(account, plan.refs, expected_revision, expected)
            return self.store.save(write, plan.trash)

        stored, leftover = self._with_secrets(account.number, current_refs, changes, commit)
        return SaveResult(stored, warnings, leftover)

    def set_secret(self, number: str, name: str, value: Secret | None) -> None:
        """Store (or with None remove) one secret of an account — a new
        OAuth2 grant — leaving the account and its revision as they are."""

        def commit(plan: _SecretPlan, refs: Mapping[str, str]) -> None:
            self.store.replace_secret_refs(number, dict(refs), plan.refs, plan.trash)

        self._with_secrets(number, None, {name: value}, commit)

    def _with_secrets(
        self,
        number: str,
        refs: Mapping[str, str] | None,
        changes: SecretChanges,
        commit: Callable[[_SecretPlan, Mapping[str, str]], _T],
    ) -> tuple[_T, str]:
        """Steps 1 to 4 for one account: plan its secrets from *refs* (None:
        as the store has them), write them, ``commit(plan, refs)`` and purge
        what it replaced. When the commit finds the references changed
        meanwhile (a token refresh in between), they are read again and the
        save planned again, at most RETRIES times. Returns what the commit
        returned and why replaced entries remain, if they do."""
        if changes:
            self.secrets.check()  # before anything is recorded
        for _ in range(RETRIES):
            current = self.load(number).secret_refs if refs is None else refs
            with self.secrets.session():
                plan = _SecretPlan(number, current, changes, self.secrets.get)
                try:
                    with self._secrets_written(plan.bundles):
                        result = commit(plan, current)
                except SecretsChanged:
                    refs = None
                    continue
                leftover = self.purge(plan.trash)
            return result, leftover
        raise SecretsChanged(number)

    @contextmanager
    def _secrets_written(
        self, bundles: Mapping[str, Mapping[str, Secret]], progress: Progress | None = None
    ) -> Iterator[None]:
        """Steps 1 and 2, and step 3's safety net: the bundles' keys are
        pending, the secrets are in the keyring (one entry per account) when
        the block runs; if writing or the block fails, the entries begun are
        removed from the keyring again, the others only from the trash."""
        keys = list(bundles)
        started: list[str] = []
        with self.store.pending_keys(keys):
            try:
                for done, (key, secrets) in enumerate(bundles.items(), start=1):
                    started.append(key)
                    try:
                        self.secrets.set_bundle(key, secrets)
                    except SecretsError as exc:
                        if exc.nothing_written:
                            started.pop()  # nothing to remove from the keyring
                        raise
                    if progress is not None:
                        progress(done, len(bundles))
                yield
            except BaseException:
                self._discard(started, [key for key in keys if key not in started])
                raise

    def _discard(self, keys: list[str], never_written: list[str]) -> None:
        """Undo keyring writes of a save that did not commit."""
        gone = list(never_written)
        for key in keys:
            try:
                self.secrets.delete(key)
                gone.append(key)
            except SecretsError:
                break  # stays in the trash; a later purge removes it
        if gone:
            self.store.trash_clear(gone)

    def purge(self, keys: list[str]) -> str:
        """Step 4: remove keyring entries the store no longer references.
        Stops at the first failure: a locked or missing keyring would refuse
        every other key too (each after a delay)."""
        removed, problem = [], ""
        with self.secrets.session():
            for key in keys:
                try:
                    self.secrets.delete(key)
                except SecretsError as exc:
                    problem = str(exc)
                    break
                removed.append(key)
        if removed:
            self.store.trash_clear(removed)
        return problem

    def purge_trash(self) -> str:
        """Clean up after a crash or an earlier keyring failure."""
        keys = self.store.removable_trash()
        return self.purge(keys) if keys else ""

    def secret_states(self, stored: StoredAccount) -> dict[str, str]:
        """For each referenced secret: "stored", "missing" (the keyring has
        no such entry: it must be entered again) or why it cannot be told.
        Never unlocks the keyring where the backend can tell without."""
        states = {}
        try:
            with self.secrets.session():
                for name, ref in stored.secret_refs.items():
                    states[name] = "stored" if self.secrets.exists(ref) else "missing"
        except SecretsError as exc:
            return {name: f"unknown: {exc}" for name in stored.secret_refs}
        return states

    def delete(self, number: str, expected_revision: int | None = None) -> str:
        """Delete an account and its secrets; returns why secrets remain, if they do."""
        keys = self.store.delete(number, expected_revision)
        return self.purge(keys)

    def pop3_credential(
        self, stored: StoredAccount, cancel: CancelToken | None = None
    ) -> Credential:
        """What POP3 logs in with: the password from the keyring, or the
        account's OAuth2 tokens, whose refresh *cancel* ends (never on the
        GUI thread)."""
        if stored.data["pop3"].get("oauth2"):
            return self.tokens(stored.data, stored.secret_refs, cancel=cancel)
        ref = stored.secret_refs.get("pop3")
        return None if ref is None else self.secrets.get(ref)

    def grant(self, refs: Mapping[str, str]) -> Grant | None:
        """The OAuth2 grant stored for an account, if any."""
        ref = refs.get("oauth2")
        secret = None if ref is None else self.secrets.get(ref)
        return None if secret is None else Grant.from_secret(secret)

    def client_secret(
        self, refs: Mapping[str, str], typed: SecretChanges | None = None
    ) -> Secret | None:
        """The account's OAuth2 client secret (``oauth2.client_secret``): as
        typed, else from the keyring; None when it has none. Only the token
        endpoint is ever sent it (``oauth2/flow.py``)."""
        value = (typed or {}).get(CLIENT_SECRET)
        if value is not None and value.reveal():
            return value
        ref = refs.get(CLIENT_SECRET)
        return None if ref is None else self.secrets.get(ref)

    def check_sign_in(
        self,
        data: Mapping[str, Any],
        refs: Mapping[str, str],
        typed: Grant | None = None,
        *,
        cancel: CancelToken | None = None,
        typed_secrets: SecretChanges | None = None,
    ) -> Grant:
        """Prove the sign-in still works: a new access token from the provider.
        The grant afterwards (refreshed; a stored one is kept at once, one
        not saved yet is the caller's to keep); ``oauth2_signin_required``
        when there is none or the provider refuses it."""
        tokens = self.tokens(data, refs, typed, cancel=cancel, typed_secrets=typed_secrets)
        tokens.token(fresh=True)
        grant = tokens.grant()
        if grant is None:
            raise NetError("oauth2_signin_required")
        return grant

    def tokens(
        self,
        data: Mapping[str, Any],
        refs: Mapping[str, str],
        typed: Grant | None = None,
        *,
        cancel: CancelToken | None = None,
        typed_secrets: SecretChanges | None = None,
    ) -> AccountTokens:
        """The account's OAuth2 access tokens: from *typed* (a sign-in not
        saved yet) or the keyring; a refreshed grant is stored at once when
        the account is. The client secret is read when a refresh needs it
        (typed, else stored); *cancel* ends a running refresh."""
        number = str(data["number"])

        def load() -> Grant | None:
            return typed if typed is not None else self.grant(refs)

        def keep(grant: Grant) -> None:
            if typed is not None or self.store.get(number) is None:
                return  # not saved yet: the dialog saves the grant with the account
            try:
                self.set_secret(number, "oauth2", grant.to_secret())
            except (SecretsError, StoreError) as exc:
                raise NetError("keyring_failed", reason=str(exc)) from None

        def client_secret() -> Secret | None:
            try:
                return self.client_secret(refs, typed_secrets)
            except SecretsError as exc:
                raise NetError("keyring_failed", reason=str(exc)) from None

        settings = dict(data.get("oauth2") or {})
        return AccountTokens(settings, load, keep, client_secret=client_secret, cancel=cancel)

    # -- connection test ------------------------------------------------------

    def secrets_for_test(
        self,
        data: Mapping[str, Any],
        refs: Mapping[str, str],
        typed: SecretChanges,
        cancel: CancelToken | None = None,
    ) -> dict[str, Credential]:
        """The passwords the test needs: as typed, else from the keyring — the
        one place a secret is read back (never call it on the GUI thread) —
        and the OAuth2 tokens where the account signs in with OAuth2."""
        needed = ["pop3"]
        if smtp_login_of(data).needs_own_login:
            needed.append("smtp")
        found: dict[str, Credential] = {}
        for name in needed:
            typed_value = typed.get(name)
            if typed_value is not None and typed_value.reveal():
                found[name] = typed_value
            elif name in refs:
                found[name] = self.secrets.get(refs[name])
        if signs_in_with_oauth2(data):
            signed_in = typed.get("oauth2")
            grant = Grant.from_secret(signed_in) if signed_in is not None else None
            found["oauth2"] = self.tokens(data, refs, grant, cancel=cancel, typed_secrets=typed)
        return found

    def test_account(
        self,
        data: Mapping[str, Any],
        refs: Mapping[str, str],
        typed: SecretChanges | None = None,
        **options: Any,
    ) -> ConnectionReport:
        """Test *data* (a validated account's JSON form) against its servers;
        options go to ``net.check.run_test``."""
        if data.get("exchange"):
            raise AccountInvalid([Problem("exchange_not_testable", "exchange")])
        secrets = self.secrets_for_test(data, refs, typed or {}, options.get("cancel"))
        return run_test(data, secrets, **options)

    # -- directory ----------------------------------------------------------

    def directory_add(self, kind: DirectoryKind, code: str, name: str) -> DirectoryEntry:
        entry = directory_entry({"code": code, "name": name}, "")
        self.store.directory_add(kind, entry.code, entry.name)
        return entry

    def directory_remove(self, kind: DirectoryKind, code: str) -> None:
        self.store.directory_remove(kind, code)

    # -- export and import --------------------------------------------------

    def export_document(self, accounts: bool = True) -> dict[str, Any]:
        def entries(kind: DirectoryKind) -> list[dict[str, str]]:
            return [{"code": e.code, "name": e.name} for e in self.store.directory(kind)]

        doc: dict[str, Any] = {
            "format": EXPORT_FORMAT,
            "version": EXPORT_VERSION,
            "operators": entries("operator"),
            "workgroups": entries("workgroup"),
        }
        if accounts:
            self._export_complete()
            doc["accounts"] = list(self.accounts(_export_lacks))
        return doc

    def _export_complete(self) -> None:
        """An export holds every account or is refused: one that silently
        lacked the accounts of a newer release would look complete when it
        is imported elsewhere."""
        unreadable = self.unreadable()
        if unreadable:
            raise ExportIncomplete(unreadable)

    def import_document(
        self, doc: Any, replace: bool = False, progress: Progress | None = None
    ) -> ImportResult:
        """Validate everything first; then all or nothing in one transaction.
        The secrets are written in one keyring session before the commit."""
        plan = ImportPlan(self, doc, replace)
        if plan.errors:
            raise AccountInvalid(plan.errors)
        if any(secrets for _, secrets, _ in plan.accounts):
            self.secrets.check()  # before anything is recorded
        with self.secrets.session():
            bundles: dict[str, Mapping[str, Secret]] = {}
            trash: list[str] = []
            writes = []
            for account, secrets, existing in plan.accounts:
                current = existing.secret_refs if existing else {}
                secret_plan = _SecretPlan(account.number, current, secrets, self.secrets.get)
                bundles.update(secret_plan.bundles)
                trash.extend(secret_plan.trash)
                revision = existing.revision if existing else None
                expected = dict(current) if existing else None
                writes.append(_write(account, secret_plan.refs, revision, expected))
            with self._secrets_written(bundles, progress):
                self.store.save_many(writes, plan.directory, trash)
            leftover = self.purge(trash)
        return ImportResult(
            created=[a.number for a, _, e in plan.accounts if e is None],
            replaced=[a.number for a, _, e in plan.accounts if e is not None],
            warnings=plan.warnings,
            leftover=leftover,
        )

    def export_chunks(self) -> Iterator[str]:
        """The export document as text, piece by piece (the same text as
        ``documents.dumps(export_document())``), never all of it in memory."""
        self._export_complete()  # before the first piece: nothing is written
        head = dumps(self.export_document(accounts=False)).rstrip()
        yield head[:-2] + ',\n  "accounts": '
        yield from dumps_list(self.accounts(_export_lacks), depth=1, end="\n}\n")


def _export_lacks(unreadable: AccountTooNew) -> None:
    """Saved by a newer release while the export ran."""
    raise ExportIncomplete([unreadable])


def _upgraded(number: str, data: dict[str, Any], version: int) -> dict[str, Any]:
    """*data* of shape *version* in the current shape (model/upgrade.py);
    AccountTooNew when a newer release saved it."""
    try:
        return upgrade(data, version)
    except DocumentTooNew:
        raise AccountTooNew(number, version, DOCUMENT_VERSION) from None


def _known(spellings: Spellings) -> KnownCodes:
    return lambda code: code.casefold() in spellings


def _spelled(account: Account, operators: Spellings, workgroups: Spellings) -> Account:
    return account.model_copy(
        update={
            "operators": directory_spelling(account.operators, operators),
            "workgroups": directory_spelling(account.workgroups, workgroups),
        }
    )


def _codes_spelled(
    data: dict[str, Any], operators: Spellings, workgroups: Spellings
) -> dict[str, Any]:
    """An account's JSON form with its codes as the directory spells them."""
    spelled = dict(data)
    for key, spellings in (("operators", operators), ("workgroups", workgroups)):
        codes = data.get(key)
        if isinstance(codes, list) and all(isinstance(code, str) for code in codes):
            spelled[key] = directory_spelling(codes, spellings)
    return spelled


def _write(
    account: Account,
    refs: dict[str, str],
    revision: int | None,
    expected_refs: dict[str, str] | None = None,
) -> AccountWrite:
    return AccountWrite(account.to_json(), refs, revision, DOCUMENT_VERSION, expected_refs)


class _SecretPlan:
    """What a save does with an account's secrets. The passwords share one
    keyring entry, the OAuth2 grant (which changes with every token refresh)
    has one of its own. Any change to a group writes one new entry with every
    secret of the group the account keeps, so no replaced or removed secret
    lingers in an entry still in use (nor in one borrowed from another
    store); entries no reference points into go to the trash. *read* fetches
    a kept secret (inside the save's session)."""

    def __init__(
        self,
        number: str,
        current: Mapping[str, str],
        changes: SecretChanges,
        read: Callable[[str], Secret | None],
    ) -> None:
        to_set = {name: s for name, s in changes.items() if s is not None and s.reveal()}
        cleared = {name for name, s in changes.items() if s is None and name in current}
        self.refs = dict(current)
        self.bundles: dict[str, Mapping[str, Secret]] = {}
        for group in {_group(name) for name in [*to_set, *cleared]}:
            self._rewrite(number, group, to_set, cleared, read)
        still_used = secretrefs.items(self.refs.values())
        self.trash = sorted(secretrefs.items(current.values()) - still_used)

    def _rewrite(
        self,
        number: str,
        group: str,
        to_set: dict[str, Secret],
        cleared: set[str],
        read: Callable[[str], Secret | None],
    ) -> None:
        bundle: dict[str, Secret] = {}
        for name, ref in list(self.refs.items()):
            if _group(name) != group:
                continue
            del self.refs[name]
            if name in to_set or name in cleared:
                continue
            value = read(ref)
            if value is None:
                self.refs[name] = ref  # missing: stays as it is, and is reported
            else:
                bundle[name] = value
        bundle.update({n: s for n, s in to_set.items() if _group(n) == group})
        if bundle:
            key = bundle_key(number, bundle)
            self.bundles[key] = bundle
            self.refs.update({name: secretrefs.bundled(key, name) for name in bundle})


def _group(name: str) -> str:
    return "grant" if name == "oauth2" else "passwords"
