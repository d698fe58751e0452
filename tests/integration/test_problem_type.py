"""One problem type end to end (issue 17): a login a real POP3 server on
127.0.0.1 refuses is a ``Problem`` in the connection test's step, in the
fetch run's result, in the status the store hands out and in the list's
summary; ``fetch --json`` and ``show --json`` word it as before."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from mailaccounts.model.messages import describe
from mailaccounts.model.problems import Problem
from mailaccounts.model.secret import Secret
from mailaccounts.net.check import run_test
from mailaccounts.net.report import StepStatus
from mailaccounts.services.fetch_runner import fetch_accounts
from mailaccounts.store.sqlite import SqliteStore
from tests.conftest import POP3_USERS
from tests.support.certs import Authority
from tests.support.fetching import FetchWorld
from tests.support.pop3_box import Pop3Box


@pytest.fixture
def world(tmp_path: Path, trusted_ca: Path) -> FetchWorld:
    return FetchWorld(tmp_path)


@pytest.fixture
def box() -> Iterator[Pop3Box]:
    server = Pop3Box(Authority.shared().issue(["localhost", "127.0.0.1"]), POP3_USERS).start()
    yield server
    server.stop()


def test_a_refused_login_is_one_problem_type_everywhere(world: FetchWorld, box: Pop3Box) -> None:
    world.add_account(box.port, password="not the password")
    stored = SqliteStore(world.store)
    account = stored.get("1000")
    assert account is not None
    report = run_test(account.data, {"pop3": Secret("not the password")}, timeout=5)
    [failed] = [s for s in report.steps if s.server == "pop3" and s.status is StepStatus.FAILED]
    assert type(failed.problem) is Problem and failed.problem.code == "auth_rejected"

    [result] = fetch_accounts(["1000"], world.open_service(), world.mail_root, _now)
    assert type(result.problem) is Problem and result.problem.code == "auth_rejected"
    status = stored.fetch_status("1000")
    assert status is not None and type(status.problem) is Problem
    assert status.problem == result.problem
    listed = stored.summaries()[0].problem_of()
    assert type(listed) is Problem and listed.code == "auth_rejected"
    stored.close()

    code, results = world.fetch()
    assert code == 1
    assert results["1000"]["problem"] == {
        "code": "auth_rejected",
        "message": describe(result.problem),
    }
    assert results["1000"]["problem"]["message"].startswith("the server rejected the login: ")
    shown = json.loads(world.cli("show", "1000", "--json").out)
    assert shown["status"]["problem"] == results["1000"]["problem"]


def _now() -> datetime:
    return datetime.now(UTC)
