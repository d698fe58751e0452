"""Errors the store raises. Messages name the account or code, never a secret."""

from __future__ import annotations


class StoreError(Exception):
    """The store could not do what was asked; nothing was changed."""


class StoreUnreadable(StoreError):
    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path} cannot be used as a mailaccounts store: {reason}")


class StoreTooNew(StoreError):
    def __init__(self, path: str, version: int, supported: int) -> None:
        super().__init__(
            f"{path} has schema version {version}; this program knows versions up to "
            f"{supported}. Use a newer mailaccounts."
        )


class AccountTooNew(StoreError):
    """An account document of a shape this release does not know: a newer
    release saved it. Nothing reads or changes it here."""

    def __init__(self, number: str, version: int, supported: int) -> None:
        self.number = number
        self.version = version
        self.supported = supported
        super().__init__(
            f"account {number} was saved by a newer mailaccounts (document version {version}; "
            f"this one knows versions up to {supported}): use the newer release for it"
        )


class ExportIncomplete(StoreError):
    """An export would lack accounts this release cannot read."""

    def __init__(self, unreadable: list[AccountTooNew]) -> None:
        self.unreadable = unreadable
        versions = ", ".join(f"{e.number} (document version {e.version})" for e in unreadable)
        super().__init__(
            f"not exported: account(s) {versions} were saved by a newer mailaccounts (this one "
            f"knows document versions up to {unreadable[0].supported}), and an export without "
            "them would be incomplete; export with the newer release"
        )


class AccountNotFound(StoreError):
    def __init__(self, number: str) -> None:
        self.number = number
        super().__init__(f"account {number} does not exist (another admin may have deleted it)")


class AccountDeleted(StoreError):
    """The account was deleted while it was being fetched: what its run did
    can no longer be recorded."""

    def __init__(self, number: str) -> None:
        self.number = number
        super().__init__(f"account {number} was deleted while it was being fetched")


class NumberTaken(StoreError):
    def __init__(self, number: str) -> None:
        self.number = number
        super().__init__(f"number: account {number} exists already")


class ConflictError(StoreError):
    def __init__(self, number: str, expected: int, actual: int) -> None:
        self.number = number
        self.expected = expected
        self.actual = actual
        super().__init__(
            f"account {number} was changed by someone else since it was loaded "
            f"(revision {expected}, now {actual}); reload it and apply your changes again"
        )


class CodeInUse(StoreError):
    def __init__(self, kind: str, code: str, numbers: list[str]) -> None:
        self.kind = kind
        self.code = code
        self.numbers = numbers
        super().__init__(
            f"{kind} {code} is still assigned to account(s) {', '.join(numbers)}; "
            "remove it from them first"
        )


class CodeExists(StoreError):
    def __init__(self, kind: str, code: str, spelled: str = "") -> None:
        """*spelled*: how the directory spells the code, when otherwise (codes
        compare case-insensitively)."""
        self.kind = kind
        self.code = code
        also = f" (as {spelled})" if spelled and spelled != code else ""
        super().__init__(f"{kind} {code} exists already{also}")


class CodeNotFound(StoreError):
    def __init__(self, kind: str, code: str) -> None:
        self.kind = kind
        self.code = code
        super().__init__(f"{kind} {code} is not in the directory")


class CodeGone(StoreError):
    def __init__(self, kind: str, code: str, number: str) -> None:
        super().__init__(
            f"account {number}: {kind} {code} is no longer in the directory (someone removed "
            "it meanwhile); add it again or change the account"
        )


class SecretsChanged(StoreError):
    """The account's keyring references changed since they were read (a
    token refresh, another save): the caller plans again."""

    def __init__(self, number: str) -> None:
        self.number = number
        super().__init__(f"account {number}: its stored secrets changed meanwhile; try again")
