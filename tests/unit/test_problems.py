"""One problem type, worded one way (issue 17): a validation problem, a
connection test's, a fetch run's and a stored run's are all
``model.problems.Problem``; ``model.messages.describe`` words any of them in
English, and what the CLI prints and stores stays as it was."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from mailaccounts.fetch.account_run import FetchResult
from mailaccounts.model.messages import describe
from mailaccounts.model.problems import Problem, Severity
from mailaccounts.model.validation import validate_account
from mailaccounts.net.report import CertificateInfo, NetError, Step, StepStatus, certificate_of
from mailaccounts.store import AccountWrite
from mailaccounts.store.sqlite import SqliteStore
from tests.support.accounts import pop3_account

CERTIFICATE = CertificateInfo(
    "mail.example.test", "CN=mail", "CN=CA", "2026-01-01", "2027-01-01", "AB:CD"
)


def test_describe_words_every_kind_of_problem_in_english() -> None:
    assert describe(Problem("timed_out", params={"host": "h", "seconds": 5})) == (
        "no answer from h within 5 s"
    )
    assert describe(Problem("required", "pop3.server")) == "is required"  # no field path
    assert describe(Problem("timed_out")) == "no answer from {host} within {seconds} s"
    assert describe(Problem("no_such_code", params={"x": 1})) == "no_such_code"


def test_validation_problems_are_the_one_type() -> None:
    _, problems = validate_account({"number": "1", "address": "x"})
    assert problems and all(type(p) is Problem for p in problems)
    assert all(p.path for p in problems)  # a field applies to each


def test_a_net_error_carries_a_problem_with_its_certificate_as_detail() -> None:
    error = NetError("cert_untrusted", CERTIFICATE, host="mail.example.test", reason="self-signed")
    assert type(error.problem) is Problem
    assert error.problem == Problem(
        "cert_untrusted",
        "",
        {"host": "mail.example.test", "reason": "self-signed"},
        Severity.ERROR,
        CERTIFICATE,
    )
    assert certificate_of(error.problem) is CERTIFICATE
    assert certificate_of(NetError("timed_out", host="h", seconds=1).problem) is None
    assert NetError.of(error.problem).problem == error.problem


def test_a_steps_json_is_as_before() -> None:
    problem = NetError("cert_untrusted", CERTIFICATE, host="h", reason="r").problem
    step = Step("pop3", "tls", StepStatus.FAILED, 0.25, problem=problem)
    assert json.dumps(step.to_json()) == (
        '{"server": "pop3", "step": "tls", "status": "failed", "seconds": 0.25, '
        '"problem": {"code": "cert_untrusted", "host": "h", "reason": "r", "certificate": '
        '{"host": "mail.example.test", "subject": "CN=mail", "issuer": "CN=CA", '
        '"not_before": "2026-01-01", "not_after": "2027-01-01", "sha256": "AB:CD"}}}'
    )


def test_a_fetch_results_problem_is_a_problem_and_its_json_is_as_before() -> None:
    problem = Problem("inbox_full", params={"inbox": "operators/MUE"})
    result = FetchResult("1000", problem=problem)
    assert json.dumps(result.to_json(), ensure_ascii=False) == (
        '{"number": "1000", "ok": false, "fetched": 0, "copies": 0, "removed_from_server": 0, '
        '"seconds": 0.0, "problem": {"code": "inbox_full", "message": "the disk of inbox '
        'operators/MUE is full; nothing was removed from the server"}}'
    )
    assert FetchResult("1000").to_json()["problem"] is None


def test_a_stored_status_hands_out_the_problem_and_keeps_it_on_disk_as_before(
    store_path: Path,
) -> None:
    store = SqliteStore(store_path)
    store.directory_add("operator", "ADM", "Admin")
    store.save(AccountWrite(pop3_account("1000"), {}))
    problem = Problem("auth_rejected", params={"text": "-ERR nö", "count": 3})
    at = datetime(2026, 11, 28, 14, 5, tzinfo=UTC).isoformat()
    for _ in range(2):
        recorded = store.record_fetch("1000", at, problem, 0, True, 2)
    assert type(recorded.problem) is Problem and recorded.problem == problem
    status = SqliteStore(store_path).fetch_status("1000")
    assert status is not None and status.problem == problem
    assert status.switched_off_by() == (2, problem)  # two scheduled runs failed in a row
    listed = store.summaries()[0].problem_of()
    assert listed == Problem("auth_rejected", params={"text": "-ERR nö", "count": "3"})
    store.close()
    with sqlite3.connect(store_path) as db:
        stored, reason = db.execute("SELECT problem, disabled_reason FROM fetch_status").fetchone()
    assert stored == '{"code": "auth_rejected", "text": "-ERR nö", "count": 3}'
    assert reason == '{"failures": 2, "code": "auth_rejected", "text": "-ERR nö", "count": 3}'
