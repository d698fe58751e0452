"""Hostile input never raises anything but our own, explained errors.

At least 10,000 hypothesis examples in all in the ci profile (CI runs every
one; the quick profile a tenth): each property test counts the examples it
ran, and the last test checks the sum."""

from __future__ import annotations

import contextlib
import copy
import functools
import json
import tempfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from mailaccounts.keyring.backend import KeyringSecrets
from mailaccounts.model.problems import AccountInvalid
from mailaccounts.model.validation import validate_account
from mailaccounts.services.accounts import AccountService
from mailaccounts.services.documents import JsonInputError, loads, split_secrets
from mailaccounts.store.sqlite import SqliteStore
from tests.support.accounts import pop3_account
from tests.support.examples import examples, scaled
from tests.support.keyrings import MemoryKeyring

RAN: Counter[str] = Counter()
"""How many examples each property test of this module ran in this session."""


def counted(test: Callable[..., None]) -> Callable[..., None]:
    """*test*, counting its runs in RAN (hypothesis calls it once an example)."""

    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        RAN[test.__name__] += 1
        test(*args, **kwargs)

    return run


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=8,
)
LEAF_PATHS = [
    "number",
    "address",
    "exchange",
    "pop3.server",
    "pop3.port",
    "pop3.username",
    "pop3.spa",
    "pop3.security",
    "pop3.password",
    "pop3.trusted_certificate",
    "smtp.separate",
    "smtp.server",
    "smtp.server_name",
    "smtp.port",
    "smtp.security",
    "smtp.auth",
    "smtp.auth.method",
    "smtp.auth.username",
    "smtp.auth.required",
    "operators",
    "workgroups",
    "exchange_settings",
    "exchange_settings.server",
    "exchange_settings.sync",
    "pop3",
    "smtp",
]


def mutate(data: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    data = copy.deepcopy(data)
    *parents, leaf = path.split(".")
    node: Any = data
    for part in parents:
        if not isinstance(node.get(part), dict):
            node[part] = {}
        node = node[part]
    node[leaf] = value
    return data


@examples(3000)
@given(data=json_values)
@counted
def test_model_accepts_or_explains_any_json(data: Any) -> None:
    account, problems = validate_account(data if isinstance(data, dict) else {"x": data})
    assert account is not None or problems


@examples(3000)
@given(path=st.sampled_from(LEAF_PATHS), value=json_values)
@counted
def test_model_with_one_field_replaced(path: str, value: Any) -> None:
    data, _, _ = split_secrets(mutate(pop3_account("1000"), path, value))
    account, problems = validate_account(data, lambda c: True, lambda c: True)
    assert account is not None or any(p.is_error for p in problems)


@examples(2000)
@given(
    text=st.text(max_size=300),
    path=st.sampled_from(
        [
            "number",
            "address",
            "pop3.server",
            "smtp.server_name",
            "pop3.username",
            "operators",
            "exchange_settings.server",
            "exchange_settings.sync.client_number",
            "pop3.trusted_certificate.sha256",
            "pop3.trusted_certificate.host",
        ]
    ),
)
@counted
def test_field_validators_with_arbitrary_unicode(text: str, path: str) -> None:
    value: Any = [text] if path == "operators" else text
    data = mutate(pop3_account("1000", exchange=path.startswith("exchange")), path, value)
    validate_account(data)


@examples(1500)
@given(raw=st.binary(max_size=400) | st.text(max_size=400).map(str.encode))
@counted
def test_json_reader_raises_only_its_own_error(raw: bytes) -> None:
    with contextlib.suppress(JsonInputError):
        loads(raw)


@examples(1500)
@given(
    accounts=st.lists(json_values, max_size=3),
    header=st.fixed_dictionaries(
        {},
        optional={
            "format": st.just("mailaccounts-export") | st.text(max_size=5),
            "version": st.just(1) | json_values,
            "operators": json_values,
            "workgroups": json_values,
        },
    ),
)
@counted
def test_import_validates_or_explains(accounts: list[Any], header: dict[str, Any]) -> None:
    document = {"accounts": accounts, **header}
    try:
        _service().import_document(json.loads(json.dumps(document)))
    except AccountInvalid as exc:
        assert exc.problems


_SERVICE: list[AccountService] = []


def _service() -> AccountService:
    """One store for all examples (hypothesis runs many; a store each is slow)."""
    if not _SERVICE:
        store = SqliteStore(Path(tempfile.mkdtemp()) / "s.sqlite3")
        _SERVICE.append(AccountService(store, KeyringSecrets(store.store_id, MemoryKeyring())))
    return _SERVICE[0]


PROPERTY_TESTS = [
    "test_model_accepts_or_explains_any_json",
    "test_model_with_one_field_replaced",
    "test_field_validators_with_arbitrary_unicode",
    "test_json_reader_raises_only_its_own_error",
    "test_import_validates_or_explains",
]


def test_at_least_ten_thousand_examples() -> None:
    """What the property tests above ran (pytest runs this module in order);
    10,000 in the ci profile, a tenth in quick."""
    missing = [name for name in PROPERTY_TESTS if not RAN[name]]
    assert not missing, f"these did not run before this test (run the whole module): {missing}"
    assert set(RAN) == set(PROPERTY_TESTS), "PROPERTY_TESTS names every counted test"
    assert sum(RAN.values()) >= scaled(10_000), dict(RAN)
