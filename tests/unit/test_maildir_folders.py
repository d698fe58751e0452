"""The program's own folders below the mail root (fetch/maildir.Folder), both
ways they are reached: through open descriptors (POSIX) and by path after an
``lstat`` check (what Windows gets; here on the real file system too)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from mailaccounts.fetch import maildir
from mailaccounts.net.report import NetError


@pytest.fixture(params=[True, False], ids=["by-descriptor", "by-path"])
def mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> bool:
    by_descriptor = bool(request.param)
    monkeypatch.setattr(maildir, "_BY_DESCRIPTOR", by_descriptor)
    return by_descriptor


def refusal(call: Callable[[], object]) -> tuple[str, str]:
    with pytest.raises(NetError) as raised:
        call()
    return raised.value.problem.code, str(raised.value.problem.params.get("path"))


def test_folders_are_made_and_used_and_a_copy_delivered_once(mode: bool, tmp_path: Path) -> None:
    root = maildir.Folder.root(tmp_path / "mail")
    assert (root.fd is not None) == mode
    staging = root.child(".incoming").child("1000")
    (tmp_path / "mail" / ".incoming" / "1000" / "m.part").write_bytes(b"Subject: x\n\nhi\n")
    inbox = maildir.Inbox(maildir.inbox_path(tmp_path / "mail", "operator", "ADM"))
    inbox.prepare(root)
    try:
        assert inbox.deliver(staging, "m.part", "a.mailaccounts")
        inbox.sync()
        assert not inbox.deliver(staging, "m.part", "a.mailaccounts")  # found by its name
        held = tmp_path / "mail" / "operators" / "ADM" / "new" / "a.mailaccounts"
        assert held.read_bytes() == b"Subject: x\n\nhi\n"
        assert list((held.parent.parent / "tmp").iterdir()) == []
        maildir.clear_staging(staging)
        assert list((tmp_path / "mail" / ".incoming" / "1000").iterdir()) == []
    finally:
        inbox.close()
        staging.close()
        root.close()


def test_a_link_or_a_file_in_place_of_a_folder_is_refused(mode: bool, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    root = maildir.Folder.root(tmp_path / "mail")
    try:
        (tmp_path / "mail" / "operators").symlink_to(elsewhere)
        (tmp_path / "mail" / "dangling").symlink_to(tmp_path / "nowhere")
        (tmp_path / "mail" / "file").write_bytes(b"")
        assert refusal(lambda: root.child("operators")) == (
            "mail_folder_link",
            str(tmp_path / "mail" / "operators"),
        )
        assert refusal(lambda: root.child("dangling"))[0] == "mail_folder_link"
        assert refusal(lambda: root.child("file")) == (
            "mail_folder_not_folder",
            str(tmp_path / "mail" / "file"),
        )
        assert not (tmp_path / "nowhere").exists()
        assert list(elsewhere.iterdir()) == []
    finally:
        root.close()


def test_a_folder_in_the_staging_folder_is_named_and_nothing_removed(
    mode: bool, tmp_path: Path
) -> None:
    root = maildir.Folder.root(tmp_path / "mail")
    staging = root.child("1000")
    try:
        (staging.path / "left.part").write_bytes(b"x")
        (staging.path / "stray").mkdir()
        assert refusal(lambda: maildir.clear_staging(staging)) == (
            "staging_foreign",
            str(staging.path / "stray"),
        )
        assert sorted(p.name for p in staging.path.iterdir()) == ["left.part", "stray"]
    finally:
        staging.close()
        root.close()
