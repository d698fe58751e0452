"""Fetching under faults, against a real Dovecot (or a scripted server where
Dovecot cannot misbehave as needed): killed processes, a connection cut in
the middle of a message, a full disk under an inbox or where messages
arrive, a server that refuses DELE, has no UIDL or repeats an id, runs at
the same time, a 50 MB message, a cancel.

Every test checks the same promise (tests/support/fetching.py): each message
sent ends up exactly once in each of the three inboxes (operators ADM and
MUE, workgroup VERTRIEB), and a message leaves the server only once it is in
all of them."""

from __future__ import annotations

import collections
import json
import os
import random
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import POP3_USERS
from tests.support.certs import Authority
from tests.support.faults import Proxy, remount, run_measured, tmpfs
from tests.support.fetching import (
    INBOXES,
    USER,
    FetchWorld,
    check_exactly_once,
    digest,
    dovecot_uids,
    mail,
    mixed,
    server_digests,
)
from tests.support.pop3_box import Pop3Box
from tests.support.servers import Dovecot


@pytest.fixture
def server() -> Iterator[Dovecot]:
    dovecot = Dovecot(POP3_USERS, Authority.shared().issue(["localhost", "127.0.0.1"])).start()
    yield dovecot
    dovecot.stop()


@pytest.fixture
def world(tmp_path: Path, trusted_ca: Path) -> FetchWorld:
    return FetchWorld(tmp_path)


def on_server(server: Dovecot) -> collections.Counter[str]:
    return server_digests(server.base / "mail" / USER)


@pytest.fixture
def certificate():  # type: ignore[no-untyped-def]
    return Authority.shared().issue(["localhost", "127.0.0.1"])


@pytest.fixture(params=[False, True], ids=["one-at-a-time", "pipelined"])
def pipelining(request: pytest.FixtureRequest) -> bool:
    """Whether the scripted server offers PIPELINING (RFC 2449): every
    promise holds with commands in flight as well."""
    return bool(request.param)


def box_digests(box: Pop3Box) -> collections.Counter[str]:
    return collections.Counter(digest(m) for m in box.mailbox)


# -- killed processes --------------------------------------------------------------


KILLS = 100
WAVE = 3
"""Messages that arrive whenever the server has nothing new left."""


def connected(pid: int) -> bool:
    """Whether the process has a socket open: it is talking to the server."""
    folder = Path(f"/proc/{pid}/fd")
    try:
        return any(os.readlink(folder / fd).startswith("socket:") for fd in os.listdir(folder))
    except FileNotFoundError:
        return True  # it has ended already


def wait_for(child: subprocess.Popen[bytes], condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 10
    while child.poll() is None and not condition() and time.monotonic() < deadline:
        time.sleep(0.0005)


def staged(world: FetchWorld) -> set[str]:
    folder = world.mail_root / ".incoming"
    return {p.name for p in folder.rglob("*.part")} if folder.exists() else set()


def aim(
    world: FetchWorld, server: Dovecot, child: subprocess.Popen[bytes], rng: random.Random
) -> None:
    """Wait for a moment of the run to aim at, then a random while (a
    message takes some 2 ms): after it connects (TLS, login, UIDL, LIST, the
    first messages), after its first RETR began (a message's RETR, delivery,
    recording, DELE), or once every message is in every inbox (the last
    DELE, QUIT)."""
    target = rng.choices(("connect", "retr", "end"), (2, 6, 2))[0]
    wait_for(child, lambda: connected(child.pid))
    if target == "retr":
        before = staged(world)
        wait_for(child, lambda: bool(staged(world) - before))
    elif target == "end":
        wait_for(child, lambda: set(on_server(server)) <= everywhere(world))
    if target == "connect":
        time.sleep(rng.uniform(0, 0.04))
    elif rng.random() < 0.7:  # else at once: the RETR just began
        time.sleep(rng.uniform(0, 0.008))


def everywhere(world: FetchWorld) -> set[str]:
    """The messages that are in all three inboxes."""
    held = [set(world.inboxes.contents(inbox)) for inbox in INBOXES]
    return held[0] & held[1] & held[2]


def moment(world: FetchWorld, server: Dovecot, before: dict[str, int]) -> str:
    """Where a kill landed, from what it left behind; checks on the way that
    a message recorded as delivered is in every inbox."""
    copies = [set(world.inboxes.contents(inbox)) for inbox in INBOXES]
    everywhere, anywhere = copies[0] & copies[1] & copies[2], copies[0] | copies[1] | copies[2]
    listed = dovecot_uids(server.base / "mail" / USER)
    recorded = world.recorded()
    assert all(listed[uid] in everywhere for uid in recorded & set(listed))
    if sum(on_server(server).values()) < before["server"]:
        return "after QUIT"
    if any(d in anywhere and d not in everywhere for d in listed.values()):
        return "delivering"
    if any(d in everywhere and uid not in recorded for uid, d in listed.items()):
        return "delivered, not recorded"
    if len(staged(world)) > before["staged"]:
        return "RETR"
    if any(uid in recorded for uid in listed):
        return "DELE/next command"
    return "start, login, listing"


@pytest.mark.soak
def test_sigkill_at_random_moments_then_a_full_run(world: FetchWorld, server: Dovecot) -> None:
    """``mailaccounts fetch`` processes are killed with SIGKILL 100 times at
    random moments while 120 messages (200 B to 60 KB, one of 5 MB) arrive
    a few at a time; after every kill nothing is in an inbox twice, nothing
    left the server undelivered, and every message recorded as delivered is
    in every inbox. Then one whole run: every message once in every inbox,
    none on the server, no file left behind. Some 20 s."""
    started = time.monotonic()
    rng = random.Random(20261128)
    pool = mixed(119, seed=7)
    pool.insert(20, mail(4242, 5_000_000))
    sent: list[bytes] = []
    world.add_account(server.tls_port)
    moments: collections.Counter[str] = collections.Counter()
    finished = kills = 0
    while kills < KILLS:
        if pool and set(on_server(server)) <= everywhere(world):  # nothing new to fetch
            wave, pool = pool[:WAVE], pool[WAVE:]
            server.deliver(USER, *wave)
            sent += wave
        before = {"server": sum(on_server(server).values()), "staged": len(staged(world))}
        child = world.start()
        aim(world, server, child, rng)
        if child.poll() is None:
            child.send_signal(signal.SIGKILL)
        _, err = child.communicate()
        if child.returncode == -signal.SIGKILL:
            kills += 1
            moments[moment(world, server, before)] += 1
        else:  # it finished before the kill
            assert child.returncode == 0, err.decode()
            finished += 1
        # at every moment: nothing twice, nothing gone from the server undelivered
        check_exactly_once(world.inboxes, sent, on_server(server))

    server.deliver(USER, *pool)  # the rest arrives; one run takes all of it
    sent += pool
    code, results = world.fetch_process()
    assert code == 0 and results["1000"]["ok"], results
    copies = check_exactly_once(world.inboxes, sent, on_server(server), complete=True)
    assert copies == dict.fromkeys(INBOXES, len(sent))
    seconds = time.monotonic() - started
    report = {"kills": kills, "finished": finished, "messages": len(sent), "seconds": seconds}
    print("sigkill:", json.dumps({**report, "moments": dict(moments)}))
    # the kills landed everywhere that matters
    # (a copy is placed within microseconds, so few kills find a message in
    # some inboxes only; more find it in all of them, not yet recorded)
    for where in ("RETR", "delivered, not recorded", "DELE/next command", "after QUIT"):
        assert moments[where] > 0, (where, moments)
    assert world.inboxes.leftovers() == [], "files left behind by the killed runs"


def test_a_run_killed_in_retr_leaves_nothing_behind_after_the_next(
    world: FetchWorld, server: Dovecot
) -> None:
    """The part of a message a killed run was receiving is removed by the
    account's next run (it would stay for ever otherwise: up to a message's
    size per kill)."""
    sent = [mail(1, 3_000_000)]
    server.deliver(USER, *sent)
    proxy = Proxy(server.tls_port, rate=1_000_000).start()
    try:
        world.add_account(proxy.port)
        child = world.start()
        wait_for(child, lambda: bool(staged(world)))
        child.send_signal(signal.SIGKILL)
        child.communicate()
        assert child.returncode == -signal.SIGKILL
        assert len(staged(world)) == 1, "the kill did not land in RETR"
        proxy.rate = None
        code, results = world.fetch()
        assert code == 0 and results["1000"]["fetched"] == 1, results
    finally:
        proxy.stop()
    check_exactly_once(world.inboxes, sent, on_server(server), complete=True)
    assert world.inboxes.leftovers() == []


def test_a_copy_a_killed_run_left_unsynced_is_synced_before_it_is_recorded(  # type: ignore[no-untyped-def]
    world: FetchWorld, certificate, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run killed between moving a copy into ``new/`` and syncing that
    folder leaves a name a power cut may still take away. The next run
    finds the copy; before the message is recorded (and then deleted from
    the server) that folder must be synced as well."""
    import hashlib

    from mailaccounts.fetch import maildir
    from mailaccounts.store.fetching import Listing

    sent = mixed(1, seed=33)
    box = Pop3Box(certificate, POP3_USERS).start()
    try:
        box.deliver(*sent)
        world.add_account(box.port)
        adm = world.mail_root / "operators" / "ADM"
        (adm / "new").mkdir(parents=True)
        uid = hashlib.sha1(sent[0]).hexdigest()[:20]  # the box's UIDL
        name = maildir.copy_name("localhost/info", uid, adm)
        (adm / "new" / name).write_bytes(sent[0].replace(b"\r\n", b"\n"))
        steps: list[str] = []
        sync = maildir.Folder.sync
        record = Listing.delivered

        def syncing(folder: maildir.Folder) -> None:
            steps.append(str(folder.path))
            sync(folder)

        def recording(self: Listing, uids: Any) -> None:
            steps.append("record")
            record(self, uids)

        monkeypatch.setattr(maildir.Folder, "sync", syncing)
        monkeypatch.setattr(Listing, "delivered", recording)
        code, results = world.fetch()
        assert code == 0 and results["1000"]["copies"] == 2, results
    finally:
        box.stop()
    assert steps.index(str(adm / "new")) < steps.index("record"), steps
    check_exactly_once(world.inboxes, sent, box_digests(box), complete=True)


# -- a connection cut in the middle of a message ----------------------------------


def test_a_connection_cut_in_the_middle_of_a_large_message(
    world: FetchWorld, server: Dovecot
) -> None:
    small = mixed(10, seed=11)
    large = mail(99, 5_000_000)
    sent = [*small[:5], large, *small[5:]]
    server.deliver(USER, *sent)
    proxy = Proxy(server.tls_port, cut_after=1_000_000).start()  # small ones: < 600 KB
    try:
        world.add_account(proxy.port)
        code, results = world.fetch()
        assert proxy.cuts == 1
        assert code == 1
        problem = results["1000"]["problem"]
        assert problem["code"] == "connection_lost", problem
        assert problem["message"].startswith("the server closed the connection"), problem
        first = results["1000"]["fetched"]
        assert first < len(sent)
        assert results["1000"]["removed_from_server"] <= first  # and none of it committed:
        assert on_server(server) == collections.Counter(digest(m) for m in sent)
        counts = check_exactly_once(world.inboxes, sent, on_server(server))
        assert counts == dict.fromkeys(INBOXES, first)
        assert all(digest(large) not in world.inboxes.contents(i) for i in INBOXES)
        assert world.inboxes.leftovers() == []  # the part received is gone
        proxy.cut_after = None
        code, results = world.fetch()
        assert code == 0 and results["1000"]["fetched"] == len(sent) - first, results
    finally:
        proxy.stop()
    check_exactly_once(world.inboxes, sent, on_server(server), complete=True)


# -- a full disk under one inbox ---------------------------------------------------


def test_a_full_disk_under_one_inbox(world: FetchWorld, server: Dovecot) -> None:
    sent = mixed(30, seed=13, smallest=40_000, largest=80_000)  # some 1.8 MB
    server.deliver(USER, *sent)
    world.add_account(server.tls_port)
    full = world.mail_root / "operators" / "MUE"
    with tmpfs(full, "1m"):
        code, results = world.fetch()
        assert code == 1
        problem = results["1000"]["problem"]
        assert problem["code"] == "inbox_full", problem
        assert "operators/MUE" in problem["message"]
        assert "nothing was removed from the server" in problem["message"]
        assert on_server(server) == collections.Counter(digest(m) for m in sent)
        check_exactly_once(world.inboxes, sent, on_server(server))
        held = {inbox: set(world.inboxes.contents(inbox)) for inbox in INBOXES}
        assert 0 < len(held["operators/MUE"]) < len(sent)
        # the inbox before it has the message that did not fit, the one after does not
        assert held["operators/MUE"] < held["operators/ADM"]
        assert held["workgroups/VERTRIEB"] == held["operators/MUE"]
        assert world.inboxes.leftovers() == []  # no half copy in MUE/tmp
        remount(full, "16m")  # space freed
        code, results = world.fetch()
        assert code == 0 and results["1000"]["ok"], results
        assert results["1000"]["copies"] == 2 * len(sent) - len(held["operators/ADM"]) - len(
            held["operators/MUE"]
        ) + len(sent) - len(held["workgroups/VERTRIEB"])
        check_exactly_once(world.inboxes, sent, on_server(server), complete=True)


def test_a_full_disk_under_the_staging_folder(world: FetchWorld, server: Dovecot) -> None:
    sent = [*mixed(3, seed=17), mail(17, 2_000_000)]
    server.deliver(USER, *sent)
    world.add_account(server.tls_port)
    staging = world.mail_root / ".incoming"
    with tmpfs(staging, "1m"):
        code, results = world.fetch()
        assert code == 1
        problem = results["1000"]["problem"]
        assert problem["code"] == "inbox_full", problem
        assert "inbox .incoming is full" in problem["message"], problem
        assert on_server(server) == collections.Counter(digest(m) for m in sent)
        check_exactly_once(world.inboxes, sent, on_server(server))
        assert world.inboxes.leftovers() == []
        remount(staging, "16m")
        code, results = world.fetch()
        assert code == 0 and results["1000"]["ok"], results
    check_exactly_once(world.inboxes, sent, on_server(server), complete=True)


# -- faults a server repeats on every run ------------------------------------------


@dataclass(frozen=True)
class LastingFault:
    """A fault the server repeats on every run, and what each run must say."""

    seed: int
    box: Callable[[list[bytes]], dict[str, Any]]
    """Pop3Box's fault options, from the messages sent."""
    code: str
    words: tuple[str, ...]
    """What the problem's message says."""
    runs: tuple[tuple[int, int], ...]
    """(fetched, removed_from_server) of each run in turn."""
    stays: Callable[[list[bytes]], list[bytes]]
    """What is still on the server after every run."""
    delivered: Callable[[list[bytes]], list[bytes]]
    """What is in every inbox after every run."""


LASTING_FAULTS = [
    pytest.param(
        LastingFault(
            19,
            lambda sent: {"reject_dele": True},
            "delete_rejected",
            ("read-only", "not fetched again"),
            ((5, 0), (0, 0)),
            stays=lambda sent: sent,
            delivered=lambda sent: sent,
        ),
        id="dele-refused",
    ),
    pytest.param(
        LastingFault(
            21,
            lambda sent: {"reject_dele": [sent[1]]},
            "delete_rejected",
            ("read-only", "not fetched again"),
            ((5, 4), (0, 0)),  # QUIT committed the others
            stays=lambda sent: [sent[1]],
            delivered=lambda sent: sent,
        ),
        id="one-dele-refused",
    ),
    pytest.param(
        LastingFault(
            39,
            lambda sent: {"reject_retr": [sent[1]]},
            "retrieve_rejected",
            ("cannot be read",),
            ((4, 4), (0, 0)),  # the others were removed, QUIT committed it
            stays=lambda sent: [sent[1]],
            delivered=lambda sent: [m for m in sent if m != sent[1]],
        ),
        id="one-retr-refused",
    ),
]


@pytest.mark.parametrize("fault", LASTING_FAULTS)
def test_a_lasting_fault_is_reported_by_every_run_and_nothing_is_fetched_twice(  # type: ignore[no-untyped-def]
    world: FetchWorld, certificate, fault: LastingFault, pipelining: bool
) -> None:
    sent = mixed(5, seed=fault.seed)
    box = Pop3Box(certificate, POP3_USERS, pipelining=pipelining, **fault.box(sent)).start()
    try:
        box.deliver(*sent)
        world.add_account(box.port)
        for fetched, removed in fault.runs:
            code, results = world.fetch()
            assert code == 1
            problem = results["1000"]["problem"]
            assert problem["code"] == fault.code, problem
            assert all(words in problem["message"] for words in fault.words), problem
            run = (results["1000"]["fetched"], results["1000"]["removed_from_server"])
            assert run == (fetched, removed), results
            assert box.mailbox == fault.stays(sent)
            counts = check_exactly_once(world.inboxes, sent, box_digests(box))
            assert counts == dict.fromkeys(INBOXES, len(fault.delivered(sent)))
    finally:
        box.stop()


def test_a_server_that_keeps_the_messages_at_quit(  # type: ignore[no-untyped-def]
    world: FetchWorld, certificate, pipelining: bool
) -> None:
    """QUIT answered with -ERR: the server removed nothing. The run says so,
    counts nothing as removed and does not count as a failed run; the next
    run removes the messages without fetching them again."""
    sent = mixed(5, seed=23)
    box = Pop3Box(certificate, POP3_USERS, reject_quit=True, pipelining=pipelining).start()
    try:
        box.deliver(*sent)
        world.add_account(box.port)
        code, results = world.fetch()
        assert code == 1
        problem = results["1000"]["problem"]
        assert problem["code"] == "delete_not_committed", problem
        assert "some deleted messages not removed" in problem["message"]
        assert "next run removes them" in problem["message"]
        assert (results["1000"]["fetched"], results["1000"]["removed_from_server"]) == (5, 0)
        assert box_digests(box) == collections.Counter(digest(m) for m in sent)
        shown = json.loads(world.cli("show", "1000", "--json").out)
        assert shown["status"]["consecutive_failures"] == 0  # no step towards switching off
        box.reject_quit = False
        code, results = world.fetch()
        assert code == 0, results
        assert (results["1000"]["fetched"], results["1000"]["removed_from_server"]) == (0, 5)
        assert box.mailbox == []
        counts = check_exactly_once(world.inboxes, sent, box_digests(box))
        assert counts == dict.fromkeys(INBOXES, len(sent))
    finally:
        box.stop()


def test_a_message_not_handed_out_outranks_a_quit_that_kept_the_others(  # type: ignore[no-untyped-def]
    world: FetchWorld, certificate, pipelining: bool
) -> None:
    """A message not delivered at all matters more than removals the next run
    repeats: that is the problem reported; still nothing counts as removed."""
    sent = mixed(4, seed=29)
    box = Pop3Box(
        certificate, POP3_USERS, reject_retr=[sent[1]], reject_quit=True, pipelining=pipelining
    ).start()
    try:
        box.deliver(*sent)
        world.add_account(box.port)
        code, results = world.fetch()
        assert code == 1 and results["1000"]["problem"]["code"] == "retrieve_rejected"
        assert (results["1000"]["fetched"], results["1000"]["removed_from_server"]) == (3, 0)
        assert box_digests(box) == collections.Counter(digest(m) for m in sent)
    finally:
        box.stop()


# -- a message that cannot be fetched ---------------------------------------------


def test_a_message_over_the_limit_is_not_retrieved_and_holds_up_no_other(
    world: FetchWorld, server: Dovecot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mailaccounts.fetch import account_run as engine

    monkeypatch.setattr(engine, "MAX_MESSAGE", 100_000)
    small = mixed(3, seed=41)
    large = mail(41, 300_000)
    server.deliver(USER, small[0], large, *small[1:])
    world.add_account(server.tls_port)
    code, results = world.fetch()
    assert code == 1
    problem = results["1000"]["problem"]
    assert problem == {
        "code": "message_too_large",
        "message": "a message is larger than 100000 bytes and was not fetched",
    }
    assert results["1000"]["fetched"] == results["1000"]["removed_from_server"] == 3
    assert on_server(server) == collections.Counter([digest(large)])
    assert "retr=3/" in server.log()  # its RETR was never sent
    check_exactly_once(world.inboxes, [*small, large], on_server(server))
    assert all(len(world.inboxes.contents(inbox)) == 3 for inbox in INBOXES)


# -- a server without UIDL ---------------------------------------------------------


def test_a_server_without_uidl(world: FetchWorld, certificate, pipelining: bool) -> None:  # type: ignore[no-untyped-def]
    sent = mixed(6, seed=23)
    box = Pop3Box(
        certificate, POP3_USERS, uidl=False, drop_at="DELE 3", pipelining=pipelining
    ).start()
    try:
        box.deliver(*sent)
        world.add_account(box.port, "1000", leave_on_server=True)
        world.add_account(box.port, "1001")
        code, results = world.fetch("1000")
        assert code == 1
        problem = results["1000"]["problem"]
        assert problem["code"] == "uidl_not_offered", problem
        assert "no UIDL" in problem["message"]
        assert results["1000"]["fetched"] == 0
        assert not any(c.startswith("RETR") for c in box.commands)
        # with removal: the first run delivers 3 messages (more when RETRs are
        # in flight), then the server goes away at the third DELE, before
        # QUIT: nothing is removed
        code, results = world.fetch("1001")
        assert code == 1 and results["1001"]["problem"]["code"] == "connection_lost"
        first = results["1001"]["fetched"]
        assert first >= 3 if pipelining else first == 3
        assert box_digests(box) == collections.Counter(digest(m) for m in sent)
        check_exactly_once(world.inboxes, sent, box_digests(box))
        # the next run receives them again and knows them by their content
        code, results = world.fetch("1001")
        assert code == 0 and results["1001"]["fetched"] == len(sent) - first, results
        assert results["1001"]["removed_from_server"] == 6
    finally:
        box.stop()
    check_exactly_once(world.inboxes, sent, box_digests(box), complete=True)
    assert box.mailbox == []


def test_a_server_whose_uidl_gives_two_messages_one_id(world: FetchWorld, certificate) -> None:  # type: ignore[no-untyped-def]
    """RFC 1939 wants the ids unique, yet servers repeat them (Dovecot's
    ``pop3_uidl_duplicates = allow``, the default, with an id made of the
    headers): such a listing tells no message apart. Taken for one id, the
    second message would be deleted without ever being delivered."""
    sent = mixed(4, seed=27)
    twins = {sent[1], sent[2]}
    box = Pop3Box(
        certificate, POP3_USERS, uid=lambda m: "twin" if m in twins else f"id{sent.index(m)}"
    ).start()
    try:
        box.deliver(*sent)
        world.add_account(box.port, "1000", leave_on_server=True)
        world.add_account(box.port, "1001")
        code, results = world.fetch("1000")
        assert code == 1 and results["1000"]["problem"]["code"] == "uidl_not_unique"
        assert results["1000"]["fetched"] == 0
        code, results = world.fetch("1001")
        assert code == 0 and results["1001"]["fetched"] == 4, results
    finally:
        box.stop()
    check_exactly_once(world.inboxes, sent, box_digests(box), complete=True)
    assert box.mailbox == []


# -- runs of one account at the same time ------------------------------------------


def test_three_processes_fetch_one_account_at_once(world: FetchWorld, server: Dovecot) -> None:
    sent = mixed(60, seed=29)
    server.deliver(USER, *sent)
    proxy = Proxy(server.tls_port, rate=250_000).start()  # a run takes some 3 s
    try:
        world.add_account(proxy.port)
        children = [world.start() for _ in range(3)]
        outcomes = []
        for child in children:
            out, err = child.communicate(timeout=60)
            assert "Traceback" not in err.decode()
            outcomes.append(json.loads(out)["accounts"][0])
    finally:
        proxy.stop()
    print("three processes:", json.dumps([o["problem"] or o["fetched"] for o in outcomes]))
    worked = [o for o in outcomes if o["ok"]]
    busy = [o for o in outcomes if not o["ok"]]
    assert all(o["problem"]["code"] == "busy" for o in busy), busy
    assert all("being fetched already" in o["problem"]["message"] for o in busy)
    assert len(busy) >= 1 and len(worked) >= 1
    assert sum(o["fetched"] for o in worked) == len(sent)
    check_exactly_once(world.inboxes, sent, on_server(server), complete=True)


def test_window_workers_and_a_process_fetch_one_account_at_once(
    world: FetchWorld, server: Dovecot
) -> None:
    from mailaccounts.files.paths import clock
    from mailaccounts.services.fetch_runner import fetch_accounts

    sent = mixed(60, seed=31)
    server.deliver(USER, *sent)
    proxy = Proxy(server.tls_port, rate=250_000).start()  # a run takes some 3 s
    outcomes: list[dict[str, object]] = []
    try:
        world.add_account(proxy.port)
        start = threading.Barrier(3)

        def worker() -> None:
            start.wait()
            (result,) = fetch_accounts(["1000"], world.open_service(), world.mail_root, clock())
            problem = result.problem.to_json() if result.problem is not None else {}
            outcomes.append({"ok": result.ok, "fetched": result.fetched, **problem})

        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        start.wait()
        child = world.start()
        for thread in threads:
            thread.join(60)
        out, _ = child.communicate(timeout=60)
        (process,) = json.loads(out)["accounts"]
        outcomes.append(
            {"ok": process["ok"], "fetched": process["fetched"], **(process["problem"] or {})}
        )
    finally:
        proxy.stop()
    print("two workers and a process:", json.dumps(outcomes))
    assert all(o["ok"] or o["code"] == "busy" for o in outcomes), outcomes
    assert sum(1 for o in outcomes if not o["ok"]) >= 1
    assert sum(int(str(o["fetched"])) for o in outcomes) == len(sent)
    check_exactly_once(world.inboxes, sent, on_server(server), complete=True)


# -- memory ------------------------------------------------------------------------


def test_a_50_mb_message_takes_no_more_memory_than_small_ones(
    world: FetchWorld, server: Dovecot
) -> None:
    small = mixed(20, seed=37)
    large = mail(41, 50_000_000)
    world.add_account(server.tls_port)
    peaks = {}
    for name, messages in (("small", small), ("large", [large])):
        server.deliver(USER, *messages)
        run = run_measured(world.command(), world.env(), world.folder)
        assert run.code == 0, run.err
        assert json.loads(run.out)["accounts"][0]["fetched"] == len(messages)
        peaks[name] = run.peak_kb
    check_exactly_once(world.inboxes, [*small, large], on_server(server), complete=True)
    print("memory:", json.dumps({f"{k}_peak_mb": round(v / 1024, 1) for k, v in peaks.items()}))
    assert peaks["large"] <= 1.5 * peaks["small"], peaks


# -- cancel ------------------------------------------------------------------------


def test_cancel_takes_effect_within_a_second_in_a_large_retr(
    world: FetchWorld, server: Dovecot
) -> None:
    from mailaccounts.files.paths import clock
    from mailaccounts.model.problems import Problem
    from mailaccounts.net.transport import CancelToken
    from mailaccounts.services.fetch_runner import fetch_accounts

    sent = [mail(43, 20_000_000)]
    server.deliver(USER, *sent)
    proxy = Proxy(server.tls_port, rate=2_000_000).start()  # 10 s for the message
    token = CancelToken()
    results = []
    try:
        world.add_account(proxy.port)
        worker = threading.Thread(
            target=lambda: results.extend(
                fetch_accounts(
                    ["1000"], world.open_service(), world.mail_root, clock(), cancel=token
                )
            )
        )
        worker.start()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not any(
            p.stat().st_size > 2_000_000 for p in (world.mail_root / ".incoming").rglob("*.part")
        ):
            time.sleep(0.01)
        cancelled = time.monotonic()
        token.cancel()
        worker.join(10)
        took = time.monotonic() - cancelled
    finally:
        proxy.stop()
    assert not worker.is_alive()
    (result,) = results
    assert result.problem == Problem("cancelled"), result.problem
    print("cancel:", json.dumps({"seconds": round(took, 3)}))
    assert took < 1.0
    check_exactly_once(world.inboxes, sent, on_server(server))
    assert on_server(server) == collections.Counter(digest(m) for m in sent)
    assert world.inboxes.leftovers() == []
