"""The POP3 wire while fetching, against scripted servers with a real
mailbox (tests/support/pop3_box.py) and a real Dovecot: where a multi-line
answer ends, listings that do not agree, a mailbox another session holds,
and pipelined commands (RFC 2449 PIPELINING)."""

from __future__ import annotations

import collections
import json
import poplib
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from mailaccounts.services import schedule
from mailaccounts.services.app_context import AppContext
from mailaccounts.services.fetch_runner import DISABLE_AFTER, fetch_accounts
from tests.conftest import POP3_USERS
from tests.support.certs import Authority, KeyPair
from tests.support.fetching import (
    INBOXES,
    FetchWorld,
    check_exactly_once,
    digest,
    mixed,
    parse,
)
from tests.support.pop3_box import Pop3Box


@pytest.fixture
def certificate() -> KeyPair:
    return Authority.shared().issue(["localhost", "127.0.0.1"])


@pytest.fixture
def world(tmp_path: Path, trusted_ca: Path) -> FetchWorld:
    return FetchWorld(tmp_path)


@pytest.fixture
def boxes(certificate: KeyPair) -> Iterator[list[Pop3Box]]:
    """Scripted servers a test starts through ``box()``; all stopped after."""
    started: list[Pop3Box] = []
    yield started
    for box in started:
        box.stop()


def start_box(boxes: list[Pop3Box], certificate: KeyPair, **options: Any) -> Pop3Box:
    box = Pop3Box(certificate, POP3_USERS, **options).start()
    boxes.append(box)
    return box


def on_box(box: Pop3Box) -> collections.Counter[str]:
    return collections.Counter(digest(m) for m in box.mailbox)


# -- M1: only CR LF "." CR LF ends a message ---------------------------------------

FORGED = b"From: boss@example.com\r\nSubject: pay now\r\n\r\nforged body\r\n"


@pytest.mark.parametrize("pipelining", [False, True])
def test_a_bare_lf_dot_lf_in_a_message_neither_cuts_it_nor_forges_the_next(
    world: FetchWorld, boxes: list[Pop3Box], certificate: KeyPair, pipelining: bool
) -> None:
    """The server dot-stuffs CR LF lines only (RFC 1939's lines); the first
    message's text holds LF "." LF and, after it, what looks like the
    server's answers to RETR 2 and DELE 1. It arrives whole; message 2 is
    the real one, delivered under its own id before the server removes it."""
    first = (
        b"From: sender@example.com\r\nSubject: one\r\n\r\nHello\n.\n"
        b"+OK message follows\n" + FORGED.replace(b"\r\n", b"\n") + b".\n+OK deleted\r\n"
    )
    second = b"From: real@example.com\r\nSubject: two\r\n\r\nthe real second message\r\n"
    box = start_box(boxes, certificate, pipelining=pipelining)
    box.deliver(first, second)
    world.add_account(box.port)
    code, results = world.fetch()
    assert code == 0, results
    assert results["1000"]["fetched"] == 2 and results["1000"]["removed_from_server"] == 2
    counts = check_exactly_once(world.inboxes, [first, second], on_box(box), complete=True)
    assert counts == dict.fromkeys(INBOXES, 2)
    assert digest(FORGED) not in world.inboxes.contents(INBOXES[0])


# -- M2: a listing whose UIDL and LIST disagree ------------------------------------


@pytest.mark.parametrize("uidl", ["leaves one out", "is empty"])
def test_a_message_uidl_does_not_name_is_a_protocol_error_of_its_account_only(
    world: FetchWorld, boxes: list[Pop3Box], certificate: KeyPair, uidl: str
) -> None:
    """LIST names a message UIDL does not: the account's run fails with a
    protocol error (nothing fetched, nothing removed); the other account is
    fetched and reported in the same ``fetch --json``."""
    sent = mixed(3, seed=71)
    left_out = sent[1]

    def uid(message: bytes) -> str | None:
        if uidl == "is empty" or message == left_out:
            return None
        return digest(message)[:20]

    broken = start_box(boxes, certificate, uid=uid)
    broken.deliver(*sent)
    good = start_box(boxes, certificate)
    others = mixed(2, seed=72)
    good.deliver(*others)
    world.add_account(broken.port, "1000")
    world.add_account(good.port, "1001")
    code, results = world.fetch()
    assert code == 1
    problem = results["1000"]["problem"]
    assert problem["code"] == "protocol_error", problem
    assert "UIDL" in problem["message"], problem
    assert (results["1000"]["fetched"], results["1000"]["removed_from_server"]) == (0, 0)
    assert on_box(broken) == collections.Counter(digest(m) for m in sent)
    assert results["1001"]["ok"] and results["1001"]["fetched"] == 2


def scheduled(world: FetchWorld, port: int, number: str) -> None:
    world.add_account(port, number, interval_minutes=5)


def run_schedule(world: FetchWorld, runs: int = 2) -> list[str]:
    """The scheduler of ``serve`` until *runs* runs are logged and it has
    looked at the schedule a few times more (each account is due once: its
    interval has not passed at the next look); the lines it logged. A
    defect that ended it is raised here."""
    lines: list[str] = []
    now = datetime.now(UTC) + timedelta(hours=1)  # after any run the test made itself
    ctx = AppContext(world.store, world.keyring, world.mail_root)

    def log(line: str) -> None:
        lines.append(line)
        if sum(" account " in x for x in lines) == runs:
            threading.Timer(0.5, scheduler.request_stop).start()  # some 5 looks more

    scheduler = schedule.Scheduler(ctx.open_service, world.mail_root, lambda: now, log)
    safety = threading.Timer(30, scheduler.request_stop)
    safety.start()
    original = schedule.TICK
    schedule.TICK = 0.1
    try:
        scheduler.run()
    finally:
        schedule.TICK = original
        safety.cancel()
        ctx.close()
    return lines


def test_serve_goes_on_after_an_account_whose_listings_disagree(
    world: FetchWorld, boxes: list[Pop3Box], certificate: KeyPair
) -> None:
    broken = start_box(boxes, certificate, uid=lambda message: None)
    broken.deliver(*mixed(2, seed=73))
    good = start_box(boxes, certificate)
    good.deliver(*mixed(2, seed=74))
    scheduled(world, broken.port, "1000")
    scheduled(world, good.port, "1001")
    lines = run_schedule(world)
    assert any("account 1000 failed protocol_error" in line for line in lines), lines
    assert any("account 1001 ok fetched=2" in line for line in lines), lines
    shown = json.loads(world.cli("show", "1000", "--json").out)
    assert shown["status"]["problem"]["code"] == "protocol_error"


def test_a_defect_in_one_account_s_run_stops_no_other_account_nor_serve(
    world: FetchWorld,
    boxes: list[Pop3Box],
    certificate: KeyPair,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Whatever goes wrong inside one account's run (here a defect planted
    in the listing of account 1000's mailbox) is that account's problem:
    reported without a traceback and without the exception's text."""
    from mailaccounts.fetch import retrieval

    real = retrieval.list_sizes
    bad = start_box(boxes, certificate)
    bad.deliver(*mixed(1, seed=75))

    def list_sizes(channel: Any, listing: Any) -> None:
        if listing.number == "1000":
            raise KeyError("secret-looking text")
        real(channel, listing)

    monkeypatch.setattr(retrieval, "list_sizes", list_sizes)
    good = start_box(boxes, certificate)
    good.deliver(*mixed(2, seed=76))
    scheduled(world, bad.port, "1000")
    scheduled(world, good.port, "1001")
    code, results = world.fetch()
    assert code == 1
    problem = results["1000"]["problem"]
    assert problem["code"] == "fetch_failed", problem
    assert "KeyError" in problem["message"] and "secret-looking" not in problem["message"]
    assert results["1001"]["ok"] and results["1001"]["fetched"] == 2
    good.deliver(*mixed(1, seed=77))
    lines = run_schedule(world)
    assert any("account 1000 failed fetch_failed" in line for line in lines), lines
    assert any("account 1001 ok fetched=1" in line for line in lines), lines


# -- L1: a mailbox another session holds -------------------------------------------

IN_USE = b"-ERR [IN-USE] Mailbox is locked by another POP3 session\r\n"


def test_a_mailbox_in_use_is_its_own_problem_and_never_switches_fetching_off(
    world: FetchWorld, boxes: list[Pop3Box], certificate: KeyPair
) -> None:
    """RFC 2449's [IN-USE]: the login was fine, another session holds the
    mailbox. Not a rejected login, and however often it happens on the
    schedule, fetching stays on."""
    box = start_box(boxes, certificate, pass_reply=IN_USE)
    box.deliver(*mixed(1, seed=78))
    scheduled(world, box.port, "1000")
    ctx = AppContext(world.store, world.keyring, world.mail_root)
    now = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    try:
        for _ in range(DISABLE_AFTER + 2):
            [result] = fetch_accounts(
                ["1000"], ctx.open_service, world.mail_root, lambda: now, scheduled=True
            )
            assert result.problem is not None
            assert result.problem.code == "mailbox_in_use", result.problem
    finally:
        ctx.close()
    shown = json.loads(world.cli("show", "1000", "--json").out)
    assert shown["fetch"]["enabled"] is True
    assert shown["status"]["consecutive_failures"] == 0
    code, results = world.fetch()
    assert code == 1
    message = results["1000"]["problem"]["message"]
    assert "in use by another session" in message and "later" in message, message
    assert "rejected" not in message


# -- pipelining (RFC 2449) ---------------------------------------------------------


def test_with_pipelining_offered_commands_go_out_before_their_answers(
    world: FetchWorld, boxes: list[Pop3Box], certificate: KeyPair
) -> None:
    """The server answers nothing until it has five RETRs: only a client
    that keeps several commands in flight gets on."""
    sent = mixed(5, seed=81)
    box = start_box(boxes, certificate, pipelining=True, hold=5)
    box.deliver(*sent)
    world.add_account(box.port)
    code, results = world.fetch()
    assert code == 0, results
    assert box.held == 5
    assert (results["1000"]["fetched"], results["1000"]["removed_from_server"]) == (5, 5)
    check_exactly_once(world.inboxes, sent, on_box(box), complete=True)
    retrs = [c for c in box.commands if c.startswith(("RETR", "DELE"))]
    # each DELE follows its own RETR's answer: never before the message is delivered
    for number in range(1, 6):
        assert retrs.index(f"RETR {number}") < retrs.index(f"DELE {number}")


def test_without_pipelining_each_answer_is_awaited(
    world: FetchWorld, boxes: list[Pop3Box], certificate: KeyPair
) -> None:
    """The same server, PIPELINING not announced: one command at a time, so
    the run waits for the answer to the first RETR until its time is over."""
    sent = mixed(3, seed=82)
    box = start_box(boxes, certificate, hold=2)
    box.deliver(*sent)
    world.add_account(box.port)
    code, results = parse(world.cli("fetch", "--json", "--timeout", "1"))
    assert code == 1
    assert results["1000"]["problem"]["code"] in ("timed_out", "step_deadline"), results
    assert box.held == 1  # the client sent nothing while it waited
    assert on_box(box) == collections.Counter(digest(m) for m in sent)


@pytest.mark.parametrize("drop_at", ["RETR 4", "DELE 2", "DELE 6"])
def test_a_connection_lost_with_commands_in_flight_loses_and_doubles_nothing(
    world: FetchWorld, boxes: list[Pop3Box], certificate: KeyPair, drop_at: str
) -> None:
    """The connection ends while RETRs and DELEs are in flight: no QUIT, so
    the server removes nothing; the next run fetches the rest and removes
    what the first delivered, each message once in every inbox."""
    sent = mixed(6, seed=83)
    box = start_box(boxes, certificate, pipelining=True, drop_at=drop_at)
    box.deliver(*sent)
    world.add_account(box.port)
    code, results = world.fetch()
    assert code == 1 and results["1000"]["problem"]["code"] == "connection_lost", results
    assert on_box(box) == collections.Counter(digest(m) for m in sent)
    check_exactly_once(world.inboxes, sent, on_box(box))
    first = results["1000"]["fetched"]
    code, results = world.fetch()
    assert code == 0, results
    assert results["1000"]["fetched"] == len(sent) - first
    assert results["1000"]["removed_from_server"] == len(sent)
    check_exactly_once(world.inboxes, sent, on_box(box), complete=True)


def test_dovecot_offers_pipelining(dovecot: Any) -> None:
    """So the fetch tests against Dovecot (the SIGKILL loops among them)
    run with commands in flight."""
    pop = poplib.POP3("127.0.0.1", dovecot.port, timeout=10)
    try:
        assert "PIPELINING" in pop.capa()
    finally:
        pop.quit()


@pytest.mark.parametrize("pipelining", [False, True])
def test_each_dele_arrives_only_after_its_message_is_in_every_inbox_and_recorded(
    world: FetchWorld, boxes: list[Pop3Box], certificate: KeyPair, pipelining: bool
) -> None:
    """Looked at by the server the moment each DELE arrives: the message's
    copies are in all three inboxes and the store records it, with RETRs
    in flight and messages recorded a group at a time as well."""
    sent = mixed(40, seed=84)
    seen: list[str] = []

    def at(command: str) -> None:
        if not command.startswith("DELE "):
            return
        message = sent[int(command.split()[1]) - 1]
        assert box.uid(message) in world.recorded(), command
        for inbox in INBOXES:
            assert digest(message) in world.inboxes.contents(inbox), (command, inbox)
        seen.append(command)

    box = start_box(boxes, certificate, pipelining=pipelining, on_command=at)
    box.deliver(*sent)
    world.add_account(box.port)
    code, results = world.fetch()
    assert code == 0, results
    assert len(seen) == len(sent)
    check_exactly_once(world.inboxes, sent, on_box(box), complete=True)
