"""Fetching under a hostile tester's findings (issue 16): links or folders
planted among the program's own folders (a fetch never deletes, and never
writes, outside the mail root through a link, and says which path is in
the way and what to do about it); a server that lists an empty mailbox for
a session (what was delivered is not forgotten, so nothing comes twice);
an account deleted while it is fetched (said as such, the JSON printed).

Against a scripted POP3 server (tests/support/pop3_box.py) over TLS on
127.0.0.1; the CLI as in every fetch test (tests/support/fetching.py)."""

from __future__ import annotations

import collections
import os
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from mailaccounts.services.fetch_runner import fetch_accounts
from mailaccounts.store.fetching import Listing
from tests.conftest import POP3_USERS
from tests.support.certs import Authority
from tests.support.fetching import INBOXES, FetchWorld, check_exactly_once, digest, mixed
from tests.support.pop3_box import Pop3Box


@pytest.fixture
def world(tmp_path: Path, trusted_ca: Path) -> FetchWorld:
    return FetchWorld(tmp_path)


@pytest.fixture
def box() -> Iterator[Pop3Box]:
    server = Pop3Box(Authority.shared().issue(["localhost", "127.0.0.1"]), POP3_USERS).start()
    yield server
    server.stop()


def on_box(box: Pop3Box) -> collections.Counter[str]:
    return collections.Counter(digest(m) for m in box.mailbox)


def victim(folder: Path) -> dict[str, bytes]:
    """A folder outside the mail root with files someone wants to keep."""
    folder.mkdir()
    files = {f"keep-{n}.txt": f"precious {n}\n".encode() for n in range(3)}
    for name, content in files.items():
        (folder / name).write_bytes(content)
    (folder / "sub").mkdir()
    (folder / "sub" / "deeper.txt").write_bytes(b"deeper\n")
    return files


def untouched(folder: Path, files: dict[str, bytes]) -> None:
    found = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    assert found == files, f"{folder} changed"
    assert (folder / "sub" / "deeper.txt").read_bytes() == b"deeper\n"


# -- H1: a link among the program's own folders ----------------------------------

OWN_FOLDERS = [
    ".incoming/1000",
    ".incoming",
    "operators",
    "operators/MUE",
    "operators/MUE/tmp",
    "operators/MUE/new",
    "operators/MUE/cur",
    "workgroups/VERTRIEB",
]


@pytest.mark.parametrize("linked", OWN_FOLDERS)
def test_a_link_among_the_programs_folders_is_refused_and_nothing_behind_it_touched(
    world: FetchWorld, box: Pop3Box, tmp_path: Path, linked: str
) -> None:
    sent = mixed(3, seed=51)
    box.deliver(*sent)
    world.add_account(box.port)
    # a killed run's leftover makes the staging clean-up run with a file in it
    staging = world.mail_root / ".incoming" / "1000"
    staging.mkdir(parents=True)
    (staging / "left-by-a-killed-run.part").write_bytes(b"half a message")
    elsewhere = tmp_path / "elsewhere"
    files = victim(elsewhere)
    link = world.mail_root / linked
    if link.exists():
        shutil.rmtree(link)
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(elsewhere, target_is_directory=True)

    code, results = world.fetch()

    assert code == 1, results
    problem = results["1000"]["problem"]
    assert problem["code"] == "mail_folder_link", problem
    assert str(link) in problem["message"] and "Remove the link" in problem["message"]
    assert (results["1000"]["fetched"], results["1000"]["removed_from_server"]) == (0, 0)
    untouched(elsewhere, files)
    assert on_box(box) == collections.Counter(digest(m) for m in sent)
    shown = world.cli("show", "1000", "--json")
    assert '"mail_folder_link"' in shown.out  # recorded as the last run's result

    link.unlink()  # what the message says: the next run makes a folder there
    code, results = world.fetch()
    assert code == 0 and results["1000"]["ok"], results
    check_exactly_once(world.inboxes, sent, on_box(box), complete=True)
    untouched(elsewhere, files)


def test_the_real_program_leaves_a_folder_linked_as_the_staging_folder_as_it_was(
    world: FetchWorld, box: Pop3Box, tmp_path: Path
) -> None:
    """The finding as reported: ``.incoming/<number>`` a link to another
    folder, ``mailaccounts fetch`` in a process of its own."""
    box.deliver(*mixed(2, seed=53))
    world.add_account(box.port)
    elsewhere = tmp_path / "elsewhere"
    files = victim(elsewhere)
    (world.mail_root / ".incoming").mkdir(parents=True)
    (world.mail_root / ".incoming" / "1000").symlink_to(elsewhere)
    code, results = world.fetch_process()
    assert code == 1 and results["1000"]["problem"]["code"] == "mail_folder_link", results
    untouched(elsewhere, files)


def test_a_folder_swapped_for_a_link_during_the_run_takes_no_copy_elsewhere(
    world: FetchWorld, box: Pop3Box, tmp_path: Path
) -> None:
    """The folders are held open from the start of the run: ``new/`` of an
    inbox replaced by a link once the run has begun still receives the
    copies itself, and the link's target gets nothing."""
    sent = mixed(3, seed=55)
    box.deliver(*sent)
    world.add_account(box.port)
    elsewhere = tmp_path / "elsewhere"
    files = victim(elsewhere)
    new = world.mail_root / "operators" / "MUE" / "new"
    moved = new.with_name("new.moved")

    def swap(number: str, done: int, total: int) -> None:
        if done == 0:  # logged in and listed: the folders are open
            new.rename(moved)
            new.symlink_to(elsewhere)

    results = fetch_accounts(
        ["1000"], world.open_service(), world.mail_root, lambda: datetime.now(UTC), progress=swap
    )
    assert results[0].ok and results[0].copies == 3 * len(sent), results
    untouched(elsewhere, files)
    assert {digest(p.read_bytes()) for p in moved.iterdir()} == {digest(m) for m in sent}


def test_a_staging_folder_swapped_for_a_link_during_the_run_delivers_nothing_from_there(
    world: FetchWorld, box: Pop3Box, tmp_path: Path
) -> None:
    """RETR writes its file by path, so it lands behind the link; the copy
    is taken through the staging folder held open, which lacks it: nothing
    is delivered, nothing removed from the server, and the link's target
    is as it was once the run is over."""
    sent = mixed(2, seed=63)
    box.deliver(*sent)
    world.add_account(box.port)
    elsewhere = tmp_path / "elsewhere"
    files = victim(elsewhere)
    staging = world.mail_root / ".incoming" / "1000"

    def swap(number: str, done: int, total: int) -> None:
        if done == 0:
            staging.rename(staging.with_name("1000.moved"))
            staging.symlink_to(elsewhere)

    results = fetch_accounts(
        ["1000"], world.open_service(), world.mail_root, lambda: datetime.now(UTC), progress=swap
    )
    assert results[0].problem is not None and results[0].problem.code == "inbox_failed"
    assert (results[0].copies, results[0].removed_from_server) == (0, 0)
    untouched(elsewhere, files)
    assert on_box(box) == collections.Counter(digest(m) for m in sent)
    check_exactly_once(world.inboxes, sent, on_box(box))


# -- L2: what is in the way is named, with what to do -----------------------------


def test_a_folder_in_the_staging_folder_is_named_and_nothing_removed(
    world: FetchWorld, box: Pop3Box
) -> None:
    sent = mixed(2, seed=57)
    box.deliver(*sent)
    world.add_account(box.port)
    staging = world.mail_root / ".incoming" / "1000"
    (staging / "stray").mkdir(parents=True)
    (staging / "stray" / "inside.txt").write_bytes(b"kept\n")
    (staging / "left.part").write_bytes(b"half a message")
    for _ in range(2):  # every run says the same, none fails differently
        code, results = world.fetch()
        assert code == 1
        problem = results["1000"]["problem"]
        assert problem["code"] == "staging_foreign", problem
        assert str(staging / "stray") in problem["message"], problem
        assert "Remove that folder" in problem["message"], problem
        assert (staging / "stray" / "inside.txt").read_bytes() == b"kept\n"
        assert (staging / "left.part").exists()  # nothing removed before it is cleared up
    shutil.rmtree(staging / "stray")
    code, results = world.fetch()
    assert code == 0 and results["1000"]["ok"], results
    check_exactly_once(world.inboxes, sent, on_box(box), complete=True)
    assert world.inboxes.leftovers() == []


def test_a_dangling_link_as_an_inbox_is_named(world: FetchWorld, box: Pop3Box) -> None:
    box.deliver(*mixed(1, seed=59))
    world.add_account(box.port)
    inbox = world.mail_root / "operators" / "MUE"
    inbox.parent.mkdir(parents=True)
    inbox.symlink_to(world.mail_root / "nowhere")
    code, results = world.fetch()
    assert code == 1
    problem = results["1000"]["problem"]
    assert problem["code"] == "mail_folder_link", problem
    assert f"{inbox} is a link" in problem["message"], problem
    assert not (world.mail_root / "nowhere").exists()  # nothing made behind it


def test_a_file_where_a_folder_belongs_is_named(world: FetchWorld, box: Pop3Box) -> None:
    sent = mixed(1, seed=61)
    box.deliver(*sent)
    world.add_account(box.port)
    workgroups = world.mail_root / "workgroups"
    workgroups.parent.mkdir(parents=True)
    workgroups.write_bytes(b"not a folder\n")
    code, results = world.fetch()
    assert code == 1
    problem = results["1000"]["problem"]
    assert problem["code"] == "mail_folder_not_folder", problem
    assert f"{workgroups} is not a folder" in problem["message"], problem
    assert workgroups.read_bytes() == b"not a folder\n"
    os.unlink(workgroups)
    code, results = world.fetch()
    assert code == 0, results
    check_exactly_once(world.inboxes, sent, on_box(box), complete=True)
    assert set(INBOXES) <= {f"{p.parent.name}/{p.name}" for p in world.mail_root.glob("*/*")}


# -- L9: one empty listing forgets nothing -----------------------------------------


def test_a_session_that_lists_an_empty_mailbox_makes_nothing_come_twice(
    world: FetchWorld, box: Pop3Box
) -> None:
    sent = mixed(3, seed=65)
    box.deliver(*sent)
    world.add_account(box.port, leave_on_server=True)
    code, results = world.fetch()
    assert code == 0 and results["1000"]["fetched"] == 3, results
    read = next((world.mail_root / "operators" / "ADM" / "new").iterdir())
    read.unlink()  # the operator deleted one copy
    held, box.mailbox = box.mailbox, []  # one session the server shows nothing
    code, results = world.fetch()
    assert code == 0 and results["1000"]["fetched"] == 0, results
    box.mailbox = held  # and then the messages are back
    code, results = world.fetch()
    assert code == 0, results
    assert (results["1000"]["fetched"], results["1000"]["copies"]) == (0, 0), results
    assert not (world.mail_root / "operators" / "ADM" / "new" / read.name).exists()
    assert len(world.recorded()) == 3


def fetch_at(world: FetchWorld, monkeypatch: pytest.MonkeyPatch, at: datetime) -> None:
    monkeypatch.setenv("MAILACCOUNTS_NOW", at.isoformat())
    code, results = world.fetch()
    assert code == 0 and results["1000"]["ok"], results


def test_a_record_is_forgotten_only_after_several_listings_and_days_without_it(
    world: FetchWorld, box: Pop3Box, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rule: missing from at least 3 full listings and for at least 7 days."""
    start = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
    box.deliver(*mixed(2, seed=67))
    world.add_account(box.port, leave_on_server=True)
    fetch_at(world, monkeypatch, start)
    assert len(world.recorded()) == 2
    kept = box.mailbox[0]
    box.mailbox = []
    # missing from many listings, but for less than 7 days: kept
    for hours in range(0, 6 * 24, 12):
        fetch_at(world, monkeypatch, start + timedelta(hours=hours))
    assert len(world.recorded()) == 2
    # listed again in time: no longer missing
    box.mailbox = [kept]
    fetch_at(world, monkeypatch, start + timedelta(days=6, hours=12))
    box.mailbox = []
    # the other one: missing for 7 days now, but its count went on: it goes;
    # the one listed again starts counting afresh
    fetch_at(world, monkeypatch, start + timedelta(days=7))
    assert len(world.recorded()) == 1
    # missing for 9 days but from only 2 listings since it was last seen: kept
    fetch_at(world, monkeypatch, start + timedelta(days=16, hours=12))
    assert len(world.recorded()) == 1
    fetch_at(world, monkeypatch, start + timedelta(days=16, hours=13))  # the third: it goes
    assert world.recorded() == set()


# -- L10: an account deleted while it is fetched ------------------------------------


@pytest.mark.parametrize("deleted_after", [1, 3], ids=["mid-run", "after-the-last"])
def test_an_account_deleted_while_it_is_fetched_is_said_and_the_json_printed(
    world: FetchWorld, trusted_ca: Path, monkeypatch: pytest.MonkeyPatch, deleted_after: int
) -> None:
    """Another admin deletes account 1000 while its messages arrive (after
    the first is recorded, or after the last); account 1001, on a server
    of its own, is fetched as usual."""
    certificate = Authority.shared().issue(["localhost", "127.0.0.1"])
    boxes = [Pop3Box(certificate, POP3_USERS).start() for _ in range(2)]
    try:
        sent = [mixed(3, seed=69), mixed(3, seed=71)]
        for box, messages, number in zip(boxes, sent, ("1000", "1001"), strict=True):
            box.deliver(*messages)
            world.add_account(box.port, number=number)
        record = Listing.delivered
        recorded = collections.Counter[str]()

        def delivered(self: Listing, uids: Any) -> None:
            record(self, uids)
            recorded[self.number] += 1
            if self.number == "1000" and recorded["1000"] == deleted_after:
                gone = world.cli("delete", "1000", "--yes")
                assert gone.code == 0, gone.err

        monkeypatch.setattr(Listing, "delivered", delivered)
        code, results = world.fetch()

        assert code == 1, results
        assert results["1001"]["ok"] and results["1001"]["fetched"] == 3, results
        deleted = results["1000"]
        assert deleted["ok"] is False
        assert deleted["problem"]["code"] == "account_deleted", deleted
        assert "deleted while it was being fetched" in deleted["problem"]["message"]
        assert deleted["fetched"] == deleted_after, deleted
        # what was delivered stays delivered, and was counted
        copies = [m for m in sent[0] if digest(m) in world.inboxes.contents(INBOXES[0])]
        assert deleted["copies"] == 3 * len(copies) and len(copies) >= deleted_after
        if deleted_after < 3:  # the run ended without QUIT: nothing left the server
            assert deleted["removed_from_server"] == 0
            assert on_box(boxes[0]) == collections.Counter(digest(m) for m in sent[0])
        else:
            assert deleted["removed_from_server"] == 3 and boxes[0].mailbox == []
        check_exactly_once(world.inboxes, sent[0] + sent[1], on_box(boxes[0]) + on_box(boxes[1]))
        assert world.cli("show", "1000").code != 0  # gone, and no status was left behind
    finally:
        for box in boxes:
            box.stop()


def test_a_file_where_the_mail_root_belongs_is_named(world: FetchWorld, box: Pop3Box) -> None:
    box.deliver(*mixed(1, seed=73))
    world.add_account(box.port)
    world.mail_root.write_bytes(b"not a folder\n")
    code, results = world.fetch()
    assert code == 1
    problem = results["1000"]["problem"]
    assert problem["code"] == "mail_folder_not_folder", problem
    assert f"{world.mail_root} is not a folder" in problem["message"], problem
