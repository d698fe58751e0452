"""Fetching several accounts: what happens before any server is asked, and
what the per-account hooks are told."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import NoReturn

import pytest

from mailaccounts.model.problems import Problem
from mailaccounts.net.transport import CancelToken
from mailaccounts.services.fetch_runner import Outcome, fetch_accounts


def test_accounts_not_started_before_a_cancel_open_nothing(tmp_path: Path) -> None:
    cancel = CancelToken()
    cancel.cancel()

    def open_service() -> NoReturn:  # no store, no keyring, no lock
        raise AssertionError("a cancelled account opened the store")

    started: list[str] = []
    told: list[tuple[str, Outcome]] = []
    results = fetch_accounts(
        ["1000", "1001"],
        open_service,
        tmp_path,
        datetime.now,
        cancel=cancel,
        on_start=started.append,
        on_result=lambda number, outcome: told.append((number, outcome)),
    )
    assert [(r.number, r.problem, r.fetched) for r in results] == [
        ("1000", Problem("cancelled"), 0),
        ("1001", Problem("cancelled"), 0),
    ]
    assert started == []  # they never started
    assert sorted(told, key=lambda t: t[0]) == [("1000", results[0]), ("1001", results[1])]


def test_with_on_result_an_account_that_cannot_run_stops_no_other(tmp_path: Path) -> None:
    def open_service() -> NoReturn:
        raise OSError("the store is gone")

    started: list[str] = []
    told: list[tuple[str, Outcome]] = []
    with pytest.raises(OSError, match="the store is gone") as raised:
        fetch_accounts(
            ["1000", "1001", "1002"],
            open_service,
            tmp_path,
            datetime.now,
            workers=1,
            on_start=started.append,
            on_result=lambda number, outcome: told.append((number, outcome)),
        )
    assert started == ["1000", "1001", "1002"]
    assert [(number, str(outcome)) for number, outcome in told] == [
        ("1000", "the store is gone"),
        ("1001", "the store is gone"),
        ("1002", "the store is gone"),
    ]
    assert raised.value is told[0][1]  # the first account's, once all have ended
