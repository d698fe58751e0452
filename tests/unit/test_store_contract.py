"""The store's contract (store/base.py), checked against every store there
is: each test gets a place for a store (``place``) and opens it only through
``open_store``, so a second implementation adds itself to ``place`` and runs
the same tests. Today there is the SQLite store."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import pytest

from mailaccounts.model.problems import Problem
from mailaccounts.model.records import DirectoryEntry, DirectoryKind
from mailaccounts.store import (
    AccountNotFound,
    AccountWrite,
    CodeExists,
    CodeGone,
    CodeInUse,
    CodeNotFound,
    ConflictError,
    NumberTaken,
    SecretsChanged,
    Store,
    StoredAccount,
    open_store,
)
from mailaccounts.store.errors import AccountDeleted
from tests.support.accounts import pop3_account
from tests.support.cli import REPO

Found = TypeVar("Found")
MAILBOX = "pop.mustermann.de/info1000"
T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


class Place:
    """Where a store is: ``open`` gives a new connection (as another thread
    or process would have), ``location`` what ``open_store`` takes."""

    def __init__(self, location: str) -> None:
        self.location = location
        self._opened: list[Store] = []

    def open(self) -> Store:
        store = open_store(self.location)
        self._opened.append(store)
        return store

    def close(self) -> None:
        for store in self._opened:
            store.close()


@pytest.fixture(params=["sqlite"])
def place(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Place]:
    if request.param == "sqlite":
        found = Place(str(tmp_path / "store" / "accounts.sqlite3"))
    else:  # pragma: no cover - a new kind of store adds its place above
        raise AssertionError(request.param)
    yield found
    found.close()


@pytest.fixture
def store(place: Place) -> Store:
    """A connection to a store whose directory knows ADM (operator) and
    VERTRIEB (workgroup)."""
    opened = place.open()
    opened.directory_add("operator", "ADM", "Admin")
    opened.directory_add("workgroup", "VERTRIEB", "Vertrieb")
    return opened


def saved(store: Store, number: str = "1000", **fields: Any) -> StoredAccount:
    return store.save(AccountWrite(pop3_account(number, **fields), {}))


def present(found: Found | None) -> Found:
    assert found is not None
    return found


# -- revisions and conflicts ------------------------------------------------


def test_a_new_account_has_revision_one_and_each_save_adds_one(store: Store) -> None:
    first = saved(store)
    assert first.revision == 1 and first.data == pop3_account("1000")
    second = store.save(AccountWrite(pop3_account(address="neu@mustermann.de"), {}, 1))
    assert second.revision == 2
    assert present(store.get("1000")).data["address"] == "neu@mustermann.de"
    assert [s.revision for s in store.summaries()] == [2]


def test_a_new_account_under_a_number_taken_is_refused(store: Store) -> None:
    saved(store)
    with pytest.raises(NumberTaken):
        store.save(AccountWrite(pop3_account(address="zweites@mustermann.de"), {}))
    assert present(store.get("1000")).data == pop3_account("1000")


def test_a_save_based_on_an_older_revision_conflicts_and_writes_nothing(
    store: Store, place: Place
) -> None:
    saved(store)
    other = place.open()  # another admin
    other.save(AccountWrite(pop3_account(address="anderer@mustermann.de"), {}, 1))
    with pytest.raises(ConflictError) as raised:
        store.save(AccountWrite(pop3_account(address="meiner@mustermann.de"), {}, 1))
    assert (raised.value.expected, raised.value.actual) == (1, 2)
    kept = present(store.get("1000"))
    assert (kept.revision, kept.data["address"]) == (2, "anderer@mustermann.de")


def test_saving_or_deleting_an_account_someone_deleted_says_so(store: Store, place: Place) -> None:
    saved(store)
    place.open().delete("1000")
    with pytest.raises(AccountNotFound):
        store.save(AccountWrite(pop3_account(), {}, 1))
    with pytest.raises(AccountNotFound):
        store.delete("1000")
    assert store.get("1000") is None


def test_a_delete_based_on_an_older_revision_conflicts(store: Store) -> None:
    saved(store)
    store.save(AccountWrite(pop3_account(), {}, 1))
    with pytest.raises(ConflictError):
        store.delete("1000", expected_revision=1)
    assert present(store.get("1000")).revision == 2
    store.delete("1000", expected_revision=2)
    assert store.summaries() == []


def test_an_import_is_all_or_nothing(store: Store) -> None:
    saved(store, "1001")
    writes = [AccountWrite(pop3_account("1000"), {}), AccountWrite(pop3_account("1001"), {})]
    directory: dict[DirectoryKind, list[DirectoryEntry]] = {
        "operator": [DirectoryEntry("MUE", "Müller")]
    }
    with pytest.raises(NumberTaken):
        store.save_many(writes, directory, trash=["verworfen"])
    assert [s.number for s in store.summaries()] == ["1001"]
    assert [e.code for e in store.directory("operator")] == ["ADM"]
    assert store.trash_keys() == []


def test_an_import_writes_directory_accounts_and_trash_together(store: Store) -> None:
    writes = [
        AccountWrite(pop3_account("1000", operators=["MUE"]), {"pop3": "k1#pop3"}),
        AccountWrite(pop3_account("1001"), {}),
    ]
    directory: dict[DirectoryKind, list[DirectoryEntry]] = {
        "operator": [DirectoryEntry("adm", "Neu benannt"), DirectoryEntry("MUE", "M")]
    }
    store.save_many(writes, directory, trash=["alt"])
    assert [(s.number, s.revision) for s in store.summaries()] == [("1000", 1), ("1001", 1)]
    # a code there in another case is renamed, not added twice
    assert store.directory("operator") == [
        DirectoryEntry("ADM", "Neu benannt"),
        DirectoryEntry("MUE", "M"),
    ]
    assert present(store.get("1000")).secret_refs == {"pop3": "k1#pop3"}
    assert store.trash_keys() == ["alt"]


def test_every_connection_sees_the_same_store(store: Store, place: Place) -> None:
    other = place.open()
    assert other.store_id == store.store_id and len(store.store_id) == 32
    int(store.store_id, 16)
    saved(store)
    assert present(other.get("1000")).revision == 1
    assert [a.number for a in other.all_accounts()] == ["1000"]
    assert [(n, v) for n, _, v in other.account_documents()] == [("1000", 1)]


def test_documents_newer_than_a_shape(store: Store) -> None:
    store.save(AccountWrite(pop3_account("1000"), {}, version=1))
    store.save(AccountWrite(pop3_account("1001"), {}, version=7))
    assert store.documents_newer_than(1) == [("1001", 7)]
    assert store.documents_newer_than(7) == []


# -- the directory ----------------------------------------------------------


def test_codes_compare_case_insensitively_and_keep_their_spelling(store: Store) -> None:
    store.directory_add("operator", "Mue", "Müller")
    store.directory_add("operator", "bec", "Becker")
    with pytest.raises(CodeExists) as raised:
        store.directory_add("operator", "adm", "zweiter")
    assert "as ADM" in str(raised.value)
    assert [e.code for e in store.directory("operator")] == ["ADM", "bec", "Mue"]
    store.directory_add("workgroup", "ADM", "a workgroup of the same code is another")
    assert [e.code for e in store.directory("workgroup")] == ["ADM", "VERTRIEB"]


def test_a_code_an_account_names_stays_until_no_account_names_it(store: Store) -> None:
    saved(store, "1000", operators=["adm"], workgroups=["Vertrieb"])
    saved(store, "1001")
    with pytest.raises(CodeInUse) as raised:
        store.directory_remove("operator", "Adm")
    assert raised.value.numbers == ["1000", "1001"]
    with pytest.raises(CodeInUse):
        store.directory_remove("workgroup", "VERTRIEB")
    store.delete("1000")
    store.directory_remove("workgroup", "vertrieb")
    assert store.directory("workgroup") == []
    with pytest.raises(CodeNotFound):
        store.directory_remove("workgroup", "VERTRIEB")


def test_a_save_naming_a_code_not_in_the_directory_writes_nothing(
    store: Store, place: Place
) -> None:
    saved(store, "1000", operators=["ADM"])
    place.open().directory_add("operator", "MUE", "")
    place.open().directory_remove("operator", "MUE")  # removed meanwhile
    with pytest.raises(CodeGone):
        store.save(AccountWrite(pop3_account(operators=["MUE"]), {}, 1))
    with pytest.raises(CodeGone):
        store.save(AccountWrite(pop3_account("1001", workgroups=["NIEMAND"]), {"pop3": "k"}), ["x"])
    assert present(store.get("1000")).revision == 1
    assert store.get("1001") is None
    assert store.trash_keys() == []


# -- secret references and the trash ----------------------------------------


def test_secret_references_and_the_keys_they_replace(store: Store) -> None:
    refs = {"pop3": "k1#pop3", "smtp": "k1#smtp"}
    store.save(AccountWrite(pop3_account(), refs))
    assert present(store.get("1000")).secret_refs == refs
    store.save(AccountWrite(pop3_account(), {"pop3": "k2#pop3"}, 1), trash=["k1"])
    assert store.trash_keys() == store.removable_trash() == ["k1"]
    store.trash_clear(["k1"])
    assert store.trash_keys() == []


def test_a_key_a_save_references_leaves_the_trash(store: Store) -> None:
    store.save(AccountWrite(pop3_account("1001"), {}), trash=["k2", "k3"])
    store.save(AccountWrite(pop3_account(), {"pop3": "k2#pop3", "smtp": "k2#smtp"}))
    assert store.trash_keys() == ["k3"]


def test_a_deleted_account_leaves_its_keys_in_the_trash(store: Store) -> None:
    store.save(AccountWrite(pop3_account(), {"pop3": "k1#pop3", "smtp": "k1#smtp", "x": "k9"}))
    assert store.delete("1000") == ["k1", "k9"]
    assert store.removable_trash() == ["k1", "k9"]


def test_replacing_references_keeps_the_revision_and_checks_what_was_read(
    store: Store,
) -> None:
    store.save(AccountWrite(pop3_account(), {"pop3": "k1"}))
    store.replace_secret_refs("1000", {"pop3": "k1"}, {"pop3": "k2"}, trash=["k1"])
    after = present(store.get("1000"))
    assert (after.revision, after.secret_refs) == (1, {"pop3": "k2"})
    assert store.trash_keys() == ["k1"]
    with pytest.raises(SecretsChanged):
        store.replace_secret_refs("1000", {"pop3": "k1"}, {"pop3": "k3"})
    with pytest.raises(SecretsChanged):
        store.save(AccountWrite(pop3_account(), {"pop3": "k3"}, 1, expected_refs={"pop3": "k1"}))
    with pytest.raises(AccountNotFound):
        store.replace_secret_refs("9999", {}, {"pop3": "k3"})
    assert present(store.get("1000")).secret_refs == {"pop3": "k2"}


def test_the_keys_of_a_running_save_are_not_removable_until_it_is_over(
    store: Store, place: Place
) -> None:
    purging = place.open()
    with store.pending_keys(["neu-1", "neu-2"]):
        assert purging.trash_keys() == ["neu-1", "neu-2"]
        assert purging.removable_trash() == []
        store.save(AccountWrite(pop3_account(), {"pop3": "neu-1"}))
        assert purging.trash_keys() == ["neu-2"]
        assert purging.removable_trash() == []
    assert purging.removable_trash() == ["neu-2"]  # the save is over without committing it


def in_a_process(place: Place, body: str) -> subprocess.Popen[str]:
    """A process with a connection ``store`` to *place* running *body*,
    which prints ``ready`` and then waits to be killed."""
    script = f"from mailaccounts.store import open_store\nstore = open_store({place.location!r})\n"
    script += textwrap.dedent(body)
    process = subprocess.Popen(
        [sys.executable, "-c", script], cwd=REPO, stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None and process.stdout.readline() == "ready\n"
    return process


def killed(process: subprocess.Popen[str]) -> None:
    process.kill()
    process.wait(timeout=30)
    assert process.stdout is not None
    process.stdout.close()


def test_the_keys_of_a_killed_save_become_removable(store: Store, place: Place) -> None:
    saving = in_a_process(
        place,
        """
        import time
        with store.pending_keys(["halb"]):
            print("ready", flush=True)
            time.sleep(60)
        """,
    )
    try:
        assert store.trash_keys() == ["halb"] and store.removable_trash() == []
    finally:
        killed(saving)
    assert store.removable_trash() == ["halb"]


# -- fetching: leases -------------------------------------------------------


def test_one_fetch_per_account_at_a_time(store: Store, place: Place) -> None:
    mine, theirs = store.fetch_lock("1000"), place.open().fetch_lock("1000")
    assert mine.try_acquire()
    try:
        assert not theirs.try_acquire()
        other_account = place.open().fetch_lock("1001")
        assert other_account.try_acquire()
        other_account.release()
    finally:
        mine.release()
    assert theirs.try_acquire()
    theirs.release()


def test_the_fetch_lease_of_a_killed_process_is_free(store: Store, place: Place) -> None:
    fetching = in_a_process(
        place,
        """
        import time
        held = store.fetch_lock("1000")
        assert held.try_acquire()
        print("ready", flush=True)
        time.sleep(60)
        """,
    )
    lease = store.fetch_lock("1000")
    try:
        assert not lease.try_acquire()
    finally:
        killed(fetching)
    assert lease.try_acquire()
    lease.release()


# -- fetching: what was delivered -------------------------------------------


def listed(
    store: Store, uids: dict[int, str], at: datetime = T0, mailbox: str = MAILBOX
) -> Callable[[], None]:
    """A full listing of *uids* at *at* that forgets what is gone."""

    def run() -> None:
        with store.fetch_listing("1000", mailbox, at) as listing:
            listing.add_uids(uids.items())
            listing.forget_gone()

    return run


def deliver(store: Store, *uids: str, mailbox: str = MAILBOX) -> None:
    with store.fetch_listing("1000", mailbox, T0) as listing:
        listing.delivered([(uid, T0.isoformat()) for uid in uids])


def test_a_listing_tells_what_was_delivered_before(store: Store) -> None:
    saved(store)
    deliver(store, "b")
    with store.fetch_listing("1000", MAILBOX, T0) as listing:
        listing.add_uids([(1, "a"), (2, "b"), (3, "c")])
        listing.add_sizes([(1, 100), (2, 20), (3, 3)])
        listing.add_uids([(3, "c2")])  # listed again: the new id
        assert listing.count() == (3, 123)
        assert listing.batch(0) == [
            (1, "a", 100, None),
            (2, "b", 20, T0.isoformat()),
            (3, "c2", 3, None),
        ]
        assert [m.msgno for m in listing.batch(1, limit=1)] == [2]
        assert listing.batch(3) == []
        listing.delivered([("a", "später"), ("b", "später")])
        assert listing.batch(0)[1].delivered_at == T0.isoformat()  # the first time stays
        assert listing.was_delivered("a") and not listing.was_delivered("c2")
    with store.fetch_listing("1000", MAILBOX, T0) as again:
        assert again.count() == (0, 0)  # a listing's messages are its own


def test_another_mailbox_starts_a_list_of_its_own(store: Store) -> None:
    saved(store)
    deliver(store, "a")
    with store.fetch_listing("1000", "pop.neu.de/info1000", T0) as listing:
        listing.add_uids([(1, "a")])
        assert not listing.was_delivered("a")
        assert listing.batch(0)[0].delivered_at is None


def test_ids_the_server_repeats_are_dropped(store: Store) -> None:
    saved(store)
    deliver(store, "x")
    with store.fetch_listing("1000", MAILBOX, T0) as listing:
        listing.add_uids([(1, "a"), (2, "b")])
        assert not listing.drop_repeated_uids()
        listing.add_uids([(3, "x"), (4, "x")])
        assert listing.drop_repeated_uids()
        assert [m.delivered_at for m in listing.batch(0)] == [None] * 4


def test_a_delivery_for_a_deleted_account_says_so(store: Store, place: Place) -> None:
    saved(store)
    with store.fetch_listing("1000", MAILBOX, T0) as listing:
        place.open().delete("1000")
        with pytest.raises(AccountDeleted):
            listing.delivered([("a", T0.isoformat())])


def is_remembered(store: Store, uid: str, mailbox: str = MAILBOX) -> bool:
    with store.fetch_listing("1000", mailbox, T0) as listing:
        return listing.was_delivered(uid)


def test_a_record_goes_once_missing_from_three_listings_for_seven_days(store: Store) -> None:
    saved(store)
    deliver(store, "a", "b")
    first_missed = T0 + timedelta(days=1)
    for day in (1, 2, 3):  # three listings, but over two days only
        listed(store, {1: "b"}, T0 + timedelta(days=day))()
    assert is_remembered(store, "a")
    week = timedelta(days=7)
    listed(store, {1: "b"}, first_missed + week - timedelta(seconds=1))()
    assert is_remembered(store, "a")
    listed(store, {1: "b"}, first_missed + week)()
    assert not is_remembered(store, "a")
    assert is_remembered(store, "b")


def test_a_record_missing_long_but_from_few_listings_stays(store: Store) -> None:
    saved(store)
    deliver(store, "a")
    listed(store, {}, T0 + timedelta(days=1))()
    listed(store, {}, T0 + timedelta(days=30))()
    assert is_remembered(store, "a")
    listed(store, {}, T0 + timedelta(days=31))()
    assert not is_remembered(store, "a")


def test_a_message_listed_again_starts_its_count_again(store: Store) -> None:
    saved(store)
    deliver(store, "a")
    deliver(store, "a", mailbox="pop.neu.de/info1000")
    for day in (1, 2):
        listed(store, {}, T0 + timedelta(days=day))()
    listed(store, {1: "a"}, T0 + timedelta(days=3))()
    for day in (30, 40):  # two listings missed since: three in all, over ten days
        listed(store, {}, T0 + timedelta(days=day))()
    assert is_remembered(store, "a")
    # the other mailbox's record was never part of these listings
    for day in (40, 41, 42):
        listed(store, {}, T0 + timedelta(days=day), mailbox="pop.anders.de/x")()
    assert is_remembered(store, "a", mailbox="pop.neu.de/info1000")


# -- fetching: how the runs went --------------------------------------------

PROBLEM = Problem("login_failed", params={"reason": "-ERR nein"})


def record(store: Store, problem: Problem | None, scheduled: bool = True) -> Any:
    return store.record_fetch("1000", T0.isoformat(), problem, 2, scheduled, 3)


def test_a_run_is_recorded_and_listed(store: Store, place: Place) -> None:
    saved(store)
    saved(store, "1001")
    assert store.fetch_status("1000") is None and store.fetch_statuses() == {}
    status = record(store, None)
    assert (status.ok, status.problem, status.fetched, status.failures) == (True, None, 2, 0)
    assert place.open().fetch_status("1000") == status
    assert store.fetch_statuses() == {"1000": status}
    record(store, PROBLEM)
    summary = store.summaries()[0]
    assert (summary.last_fetch, summary.fetched, summary.fetch_failures) == (T0.isoformat(), 2, 1)
    assert summary.problem_of() == PROBLEM
    assert store.summaries()[1].last_fetch is None


def test_failed_scheduled_runs_switch_fetching_off(store: Store) -> None:
    saved(store)
    assert [record(store, PROBLEM).failures for _ in range(2)] == [1, 2]
    assert present(store.get("1000")).revision == 1
    third = record(store, PROBLEM)
    assert third.failures == 3
    assert json.loads(third.disabled_reason) == {"failures": 3, **PROBLEM.to_json()}
    account = present(store.get("1000"))
    assert account.data["fetch"]["enabled"] is False
    assert account.revision == 2  # an edit opened before now conflicts
    assert (store.summaries()[0].fetch_on, store.summaries()[0].fetch_disabled) == (0, 3)
    assert record(store, PROBLEM).disabled_reason == third.disabled_reason  # switched off once
    assert present(store.get("1000")).revision == 2


def test_runs_an_admin_started_count_but_never_switch_anything_off(store: Store) -> None:
    saved(store)
    assert [record(store, PROBLEM, scheduled=False).failures for _ in range(4)] == [1, 2, 3, 4]
    assert record(store, PROBLEM, scheduled=False).disabled_reason == ""
    assert present(store.get("1000")).data.get("fetch", {}).get("enabled", True)


def test_problems_with_single_messages_start_the_count_again(store: Store) -> None:
    saved(store)
    record(store, PROBLEM)
    record(store, PROBLEM)
    for code in ("retrieve_rejected", "message_too_large", "delete_rejected"):
        status = record(store, Problem(code))
        assert (status.ok, status.failures) == (False, 0)
    assert record(store, Problem("delete_not_committed")).failures == 0


def test_saving_with_fetching_on_starts_the_count_again(store: Store) -> None:
    saved(store)
    for _ in range(3):
        record(store, PROBLEM)
    store.save(AccountWrite(pop3_account(fetch={"enabled": False}), {}, 2))
    assert present(store.fetch_status("1000")).failures == 3  # still off: nothing changes
    store.save(AccountWrite(pop3_account(fetch={"enabled": True}), {}, 3))
    status = present(store.fetch_status("1000"))
    assert (status.failures, status.disabled_reason) == (0, "")
    assert store.summaries()[0].fetch_on == 1


def test_a_deleted_account_takes_its_fetch_records_along(store: Store) -> None:
    saved(store)
    deliver(store, "a")
    record(store, None)
    store.delete("1000")
    with pytest.raises(AccountDeleted):
        record(store, PROBLEM)
    assert store.fetch_statuses() == {}
    saved(store)  # the number again: a new account, with no past
    assert store.fetch_status("1000") is None
    assert not is_remembered(store, "a")
