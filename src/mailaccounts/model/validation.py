"""Whole-account validation: field syntax (pydantic) plus the rules that
depend on other fields, on the directory of operators and workgroups, and the
warnings that never block a save."""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from typing import Any

from pydantic import ValidationError
from pydantic_core import PydanticCustomError

from . import account as account_model  # the class is looked up per call: tests extend it
from .account import Account
from .fields import check_address, check_text
from .problems import Problem, Severity
from .rules import SmtpLogin, SmtpServer, smtp_login, smtp_server

# pydantic's own error types → our stable codes
_PYDANTIC_CODES = {
    "missing": "required",
    "extra_forbidden": "unknown_field",
    "literal_error": "invalid_choice",
    "enum": "invalid_choice",
    "model_type": "wrong_type",
    "model_attributes_type": "wrong_type",
    "dict_type": "wrong_type",
    "list_type": "wrong_type",
    "string_type": "wrong_type",
    "int_type": "wrong_type",
    "bool_type": "wrong_type",
    "int_from_float": "wrong_type",
}
_EXPECTED = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "bool_type": "true or false",
    "list_type": "a list",
    "dict_type": "an object",
    "model_type": "an object",
    "model_attributes_type": "an object",
}

KnownCodes = Callable[[str], bool]
"""Answers whether a code (compared case-insensitively) is in the directory."""
Spellings = Mapping[str, str]
"""A directory's codes by their case-folded form → the code as the directory spells it."""


def directory_spelling(codes: list[str], spellings: Spellings) -> list[str]:
    """*codes* as the directory spells them. Codes compare case-insensitively
    but also name inbox folders, so an account says ``ADM`` however it was
    typed (``adm``, ``Adm``): one code, one inbox. A code the directory
    lacks stays as it is."""
    return [spellings.get(code.casefold(), code) for code in codes]


def problems_from_pydantic(error: ValidationError, prefix: str = "") -> list[Problem]:
    result = []
    for item in error.errors(include_url=False, include_input=False):
        loc = [str(part) for part in item["loc"] if not isinstance(part, int)]
        path = ".".join(([prefix] if prefix else []) + loc)
        kind = item["type"]
        code = _PYDANTIC_CODES.get(kind, kind)
        params: dict[str, Any] = {}
        if code == "wrong_type":
            params["expected"] = _EXPECTED.get(kind, "another type")
        elif code == "invalid_choice":
            params["choices"] = (item.get("ctx") or {}).get("expected", "")
        else:
            params = {k: v for k, v in (item.get("ctx") or {}).items() if k != "error"}
        result.append(Problem(code, path, params))
    return result


def rule_problems(
    account: Account,
    operator_known: KnownCodes | None = None,
    workgroup_known: KnownCodes | None = None,
) -> list[Problem]:
    """Errors and warnings that involve more than one field or the directory."""
    found: list[Problem] = []

    def require(path: str, value: str) -> None:
        if not value:
            found.append(Problem("required", path))

    if account.exchange:
        settings = account.exchange_settings
        require("exchange_settings.server", settings.server if settings else "")
        require("exchange_settings.username", settings.username if settings else "")
    else:
        require("pop3.server", account.pop3.server)
        require("pop3.username", account.pop3.username)
        if account.smtp.separate:
            require("smtp.server", account.smtp.server)
        if _smtp_login(account).needs_own_login:
            require("smtp.auth.username", account.smtp.auth.username)
        found.extend(_cleartext_warnings(account))
        found.extend(_oauth2_problems(account))
        fetch = account.fetch
        if fetch.delete_after_days is not None and not fetch.leave_on_server:
            found.append(Problem("delete_needs_leave", "fetch.delete_after_days"))

    if not account.operators:
        found.append(Problem("operator_required", "operators"))
    found.extend(_code_problems(account.operators, "operators", "operator", operator_known))
    found.extend(_code_problems(account.workgroups, "workgroups", "workgroup", workgroup_known))
    return found


def _code_problems(
    codes: list[str], path: str, kind: str, known: KnownCodes | None
) -> list[Problem]:
    found = []
    if known is not None:
        for code in codes:
            if not known(code):
                found.append(Problem(f"{kind}_unknown", path, {"value": code}))
    if len(codes) > 1:
        found.append(Problem(f"several_{path}", path, {"count": len(codes)}, Severity.WARNING))
    return found


def _oauth2_problems(account: Account) -> list[Problem]:
    found = []
    uses = account.pop3.oauth2 or _smtp_login(account).with_oauth2
    if account.pop3.oauth2 and account.pop3.spa:
        found.append(Problem("oauth2_not_with_spa", "pop3.oauth2"))
    settings = account.oauth2
    if uses and settings is None:
        path = "pop3.oauth2" if account.pop3.oauth2 else "smtp.auth.method"
        found.append(Problem("oauth2_settings_required", path))
    if settings is None:
        return found
    if not settings.client_id:
        found.append(Problem("required", "oauth2.client_id"))
    if settings.provider == "custom":
        for key in ("authorization_url", "token_url"):
            if not getattr(settings, key):
                found.append(Problem("required", f"oauth2.{key}"))
        if not settings.scopes:
            found.append(Problem("required", "oauth2.scopes"))
    return found


def _cleartext_warnings(account: Account) -> list[Problem]:
    found = []
    if account.pop3.security == "none" and not account.pop3.spa:
        found.append(Problem("cleartext_password", "pop3.security", {}, Severity.WARNING))
    server = _smtp_server(account)
    auth = account.smtp.auth
    if auth.required and auth.method == "login" and server.security == "none":
        path = "smtp.security" if server.separate else "smtp.auth.method"
        found.append(Problem("cleartext_password", path, {}, Severity.WARNING))
    return found


def _smtp_server(account: Account) -> SmtpServer:
    pop3, smtp = account.pop3, account.smtp
    return smtp_server(
        smtp.separate,
        pop3.server,
        pop3.security,
        smtp.server,
        smtp.port,
        smtp.security,
        smtp.server_name,
    )


def _smtp_login(account: Account) -> SmtpLogin:
    auth = account.smtp.auth
    return smtp_login(
        auth.required, auth.method, auth.same_as_incoming, account.pop3.username, auth.username
    )


def validate_account(
    data: Mapping[str, Any],
    operator_known: KnownCodes | None = None,
    workgroup_known: KnownCodes | None = None,
    prefix: str = "",
) -> tuple[Account | None, list[Problem]]:
    """Validate JSON-shaped *data*; returns the account (None if invalid) and
    every problem found, errors and warnings alike."""
    if not isinstance(data, Mapping):
        return None, [Problem("wrong_type", prefix, {"expected": "an object"})]
    try:
        account = account_model.Account.model_validate(dict(data))
    except ValidationError as exc:
        return None, _with_rules_of_the_rest(data, exc, operator_known, workgroup_known, prefix)
    found = _prefixed(rule_problems(account, operator_known, workgroup_known), prefix)
    if any(p.is_error for p in found):
        return None, found
    return account, found


def _prefixed(problems: list[Problem], prefix: str) -> list[Problem]:
    if not prefix:
        return problems
    return [Problem(p.code, f"{prefix}.{p.path}", p.params, p.severity) for p in problems]


_FILLERS = {"number": "0001", "address": "filler@example.com"}


def _with_rules_of_the_rest(
    data: Mapping[str, Any],
    error: ValidationError,
    operator_known: KnownCodes | None,
    workgroup_known: KnownCodes | None,
    prefix: str,
) -> list[Problem]:
    """Field errors, plus the rule problems of the fields that are valid, so a
    form shows every problem at once rather than one layer at a time."""
    problems = problems_from_pydantic(error, prefix)
    patched = copy.deepcopy(dict(data))
    for item in error.errors(include_url=False, include_input=False):
        _drop(patched, list(item["loc"]))
    try:
        account = account_model.Account.model_validate(patched)
    except ValidationError:
        return problems
    # a value dropped above must not be reported again as missing
    reported = {p.path for p in problems}
    rules = _prefixed(rule_problems(account, operator_known, workgroup_known), prefix)
    missing = ("required", "operator_required")
    return problems + [p for p in rules if not (p.path in reported and p.code in missing)]


def _drop(data: Any, loc: list[str | int]) -> None:
    """Remove the value at *loc* so its default (or a filler) stands in."""
    *parents, leaf = loc
    node = data
    for part in parents:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return
    if isinstance(node, dict) and leaf in node:
        if leaf in _FILLERS and len(loc) == 1:
            node[leaf] = _FILLERS[str(leaf)]
        else:
            del node[leaf]
    elif isinstance(node, list) and isinstance(leaf, int) and leaf < len(node):
        node[leaf] = None  # removed below
        node[:] = [v for v in node if v is not None]
    elif isinstance(node, dict) and len(loc) == 1 and leaf in _FILLERS:
        node[leaf] = _FILLERS[str(leaf)]


def address_problem(address: str) -> Problem | None:
    """Why *address* is no e-mail address the model accepts, or None."""
    try:
        check_address(check_text(address))
    except PydanticCustomError as exc:
        return Problem(exc.type, "address", dict(exc.context or {}))
    return None
