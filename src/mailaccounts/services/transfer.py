"""Import documents: checking a whole document before anything is written.
(Export and import themselves are ``AccountService`` methods.)"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from ..model.account import DirectoryEntryIn
from ..model.problems import AccountInvalid, Problem
from ..model.records import DirectoryEntry, DirectoryKind, StoredAccount
from ..model.secret import Secret
from ..model.validation import problems_from_pydantic
from .documents import EXPORT_FORMAT, EXPORT_VERSION, split_secrets

if TYPE_CHECKING:
    from ..model.account import Account
    from .accounts import AccountService


def directory_entry(raw: Any, path: str) -> DirectoryEntry:
    try:
        entry = DirectoryEntryIn.model_validate(raw)
    except ValidationError as exc:
        raise AccountInvalid(problems_from_pydantic(exc, path)) from None
    return DirectoryEntry(entry.code, entry.name)


class ImportPlan:
    """Checks a whole import document and lists what it would write."""

    def __init__(self, service: AccountService, doc: Any, replace: bool) -> None:
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []
        self.accounts: list[tuple[Account, dict[str, Secret], StoredAccount | None]] = []
        self.directory: dict[DirectoryKind, list[DirectoryEntry]] = {}
        if not isinstance(doc, dict):
            self.errors.append(Problem("wrong_type", "$", {"expected": "an object"}))
            return
        self._check_header(doc)
        for kind, key in (("operator", "operators"), ("workgroup", "workgroups")):
            self.directory[kind] = self._entries(doc.get(key, []), key)  # type: ignore[index]
        accounts = doc.get("accounts", [])
        if not isinstance(accounts, list):
            self.errors.append(Problem("wrong_type", "accounts", {"expected": "a list"}))
            return
        seen: set[str] = set()
        for index, raw in enumerate(accounts):
            self._account(service, raw, f"accounts[{index}]", seen, replace)

    def _check_header(self, doc: dict[str, Any]) -> None:
        if doc.get("format") != EXPORT_FORMAT:
            self.errors.append(Problem("invalid_choice", "format", {"choices": EXPORT_FORMAT}))
        if doc.get("version") != EXPORT_VERSION or isinstance(doc.get("version"), bool):
            self.errors.append(Problem("invalid_choice", "version", {"choices": EXPORT_VERSION}))
        for key in doc.keys() - {"format", "version", "operators", "workgroups", "accounts"}:
            self.errors.append(Problem("unknown_field", str(key)[:60]))

    def _entries(self, raw: Any, key: str) -> list[DirectoryEntry]:
        if not isinstance(raw, list):
            self.errors.append(Problem("wrong_type", key, {"expected": "a list"}))
            return []
        result = []
        for index, item in enumerate(raw):
            try:
                result.append(directory_entry(item, f"{key}[{index}]"))
            except AccountInvalid as exc:
                self.errors.extend(exc.problems)
        return result

    def _account(
        self, service: AccountService, raw: Any, path: str, seen: set[str], replace: bool
    ) -> None:
        data, secrets, problems = split_secrets(raw, path)
        self.errors.extend(problems)
        account, found = service.validate(data, path, self.directory)
        self.errors.extend(p for p in found if p.is_error)
        self.warnings.extend(p for p in found if not p.is_error)
        if account is None:
            return
        if account.number in seen:
            self.errors.append(Problem("number_taken", f"{path}.number", {"value": account.number}))
            return
        seen.add(account.number)
        existing = service.store.get(account.number)
        if existing is not None and not replace:
            self.errors.append(Problem("number_taken", f"{path}.number", {"value": account.number}))
            return
        if existing is not None:  # AccountTooNew: what a newer release saved is not replaced
            existing = service.load(account.number)
        self.accounts.append((account, secrets, existing))
