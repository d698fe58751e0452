"""Fetching several accounts: what happens before any server is asked."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import NoReturn

from mailaccounts.fetch.runner import fetch_accounts
from mailaccounts.net.transport import CancelToken


def test_accounts_not_started_before_a_cancel_open_nothing(tmp_path: Path) -> None:
    cancel = CancelToken()
    cancel.cancel()

    def open_service() -> NoReturn:  # no store, no keyring, no lock
        raise AssertionError("a cancelled account opened the store")

    results = fetch_accounts(["1000", "1001"], open_service, tmp_path, datetime.now, cancel=cancel)
    assert [(r.number, r.problem, r.fetched) for r in results] == [
        ("1000", {"code": "cancelled"}, 0),
        ("1001", {"code": "cancelled"}, 0),
    ]
