"""The log set-ups (``logs.py``): the window's file rotates, is private and
never followed through a link; messages are neutralised; no code of the
program hands a secret's value to a logging call."""

from __future__ import annotations

import ast
import io
import logging
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from mailaccounts.files import logs
from mailaccounts.model.secret import Secret

SRC = Path(logs.__file__).parents[1]  # the package: logs lives in files/
LOG_METHODS = {"debug", "info", "warning", "warn", "error", "exception", "critical", "log"}


@pytest.fixture
def handlers() -> Iterator[list[logging.Handler]]:
    attached: list[logging.Handler] = []
    yield attached
    logs.stop_logging(*attached)


def test_the_log_file_rotates_into_a_few_files_of_bounded_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, handlers: list[logging.Handler]
) -> None:
    monkeypatch.setattr(logs, "MAX_BYTES", 4000)
    path = tmp_path / "state" / "mailaccounts.log"
    handlers.append(logs.log_to_file(path))
    log = logging.getLogger("mailaccounts.test")
    for line in range(400):
        log.info("line %d of a long session %s", line, "x" * 40)
    names = sorted(p.name for p in path.parent.iterdir())
    assert names == ["mailaccounts.log", *(f"mailaccounts.log.{n}" for n in (1, 2, 3))]
    for file in path.parent.iterdir():
        assert file.stat().st_size <= 4000
        assert file.stat().st_mode & 0o777 == 0o600, file
    assert path.parent.stat().st_mode & 0o777 == 0o700
    assert "line 399 of a long session" in path.read_text()


def test_an_existing_log_readable_by_others_becomes_private(
    tmp_path: Path, handlers: list[logging.Handler]
) -> None:
    folder = tmp_path / "state"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    path = folder / "mailaccounts.log"
    path.write_text("an earlier run\n")
    path.chmod(0o644)
    handlers.append(logs.log_to_file(path))
    assert path.stat().st_mode & 0o777 == 0o600
    assert folder.stat().st_mode & 0o777 == 0o700
    assert path.read_text() == "an earlier run\n"


def test_a_log_file_that_is_a_link_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere"
    target.write_text("not ours\n")
    folder = tmp_path / "state"
    folder.mkdir()
    (folder / "mailaccounts.log").symlink_to(target)
    with pytest.raises(OSError):
        logs.log_to_file(folder / "mailaccounts.log")
    assert target.read_text() == "not ours\n"


def test_the_log_folder_is_the_user_state_directory_unless_the_environment_names_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(logs.LOG_DIR_ENV, str(tmp_path))
    assert logs.log_file() == tmp_path / "mailaccounts.log"
    monkeypatch.delenv(logs.LOG_DIR_ENV)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg"))
    assert logs.log_file() == tmp_path / "xdg" / "mailaccounts" / "mailaccounts.log"


def test_a_message_cannot_forge_a_line_or_drive_the_terminal(
    tmp_path: Path, handlers: list[logging.Handler]
) -> None:
    path = tmp_path / "mailaccounts.log"
    stderr = io.StringIO()
    handlers += [logs.log_to_file(path), logs.log_for_commands(stderr)]
    reply = "-ERR no\n2026-12-01 ERROR forged line\x1b]0;owned\x07"
    logging.getLogger("mailaccounts.net").warning("the server said %s", reply)
    written = path.read_text()
    assert written.count("\n") == 1 and "\\x0a2026-12-01 ERROR forged" in written
    assert "\x1b" not in written and "\\x1b]0;owned\\x07" in written
    assert stderr.getvalue() == (
        "mailaccounts: warning: the server said -ERR no\\x0a2026-12-01 ERROR forged line"
        "\\x1b]0;owned\\x07\n"
    )


def test_commands_show_warnings_only_and_other_libraries_only_theirs(
    handlers: list[logging.Handler],
) -> None:
    stderr = io.StringIO()
    handlers.append(logs.log_for_commands(stderr))
    logging.getLogger("mailaccounts.services.fetch_runner").info("account 1000 ok")
    logging.getLogger("mailaccounts.keyring.backend").warning("the keyring is slow")
    assert stderr.getvalue() == "mailaccounts: warning: the keyring is slow\n"


def test_serve_prints_the_schedule_on_stdout_and_warnings_on_stderr(
    handlers: list[logging.Handler],
) -> None:
    stdout, stderr = io.StringIO(), io.StringIO()
    handlers += logs.log_for_serve(stdout, stderr)
    logging.getLogger(logs.SCHEDULE).info("2026-12-01T10:00:00+00:00 account 1000 ok")
    logging.getLogger("mailaccounts.services.fetch_runner").info("account 1000 ok")  # not twice
    logging.getLogger("mailaccounts.store.sqlite").error("the disk is full")
    assert stdout.getvalue() == "2026-12-01T10:00:00+00:00 account 1000 ok\n"
    assert stderr.getvalue() == "mailaccounts: error: the disk is full\n"


def test_a_secret_logged_by_mistake_shows_masked(
    tmp_path: Path, handlers: list[logging.Handler]
) -> None:
    path = tmp_path / "mailaccounts.log"
    handlers.append(logs.log_to_file(path))
    logging.getLogger("mailaccounts.test").info("password %s, %r", Secret("Geheim-1"), Secret("x"))
    assert "Geheim-1" not in path.read_text() and "********" in path.read_text()


def revealed_in_log_calls(source: str) -> list[int]:
    """Lines where a logging call's arguments reveal a secret's value."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in LOG_METHODS
        ):
            for argument in [*node.args, *(k.value for k in node.keywords)]:
                for inner in ast.walk(argument):
                    if (
                        isinstance(inner, ast.Call)
                        and isinstance(inner.func, ast.Attribute)
                        and inner.func.attr == "reveal"
                    ):
                        found.append(node.lineno)
    return found


def test_the_check_finds_a_revealed_secret_in_a_log_call() -> None:
    source = "logger.info('logged in with %s', password.reveal())\nlog.debug(f'{s.reveal()}')\n"
    assert revealed_in_log_calls(source) == [1, 2]
    assert revealed_in_log_calls("logger.info('%s', password)\nsend(password.reveal())\n") == []


def test_no_code_of_the_program_logs_a_revealed_secret() -> None:
    found = {
        str(path.relative_to(SRC)): lines
        for path in sorted(SRC.rglob("*.py"))
        if (lines := revealed_in_log_calls(path.read_text(encoding="utf-8")))
    }
    assert found == {}
    assert len(list(SRC.rglob("*.py"))) > 50 and os.path.basename(SRC) == "mailaccounts"


@pytest.mark.parametrize(("release", "schema"), [("0.1.0", 1), ("0.2.0", 2)])
def test_the_store_logs_its_migration_and_where_the_old_one_is_kept(
    tmp_path: Path, handlers: list[logging.Handler], release: str, schema: int
) -> None:
    from mailaccounts.store import schema as schemas
    from mailaccounts.store.sqlite import SqliteStore

    fixture = Path(__file__).parents[1] / "fixtures" / "releases" / release / "accounts.sqlite3"
    store = tmp_path / "accounts.sqlite3"
    shutil.copyfile(fixture, store)
    path = tmp_path / "logs" / "mailaccounts.log"
    handlers.append(logs.log_to_file(path))
    SqliteStore(store).close()
    SqliteStore(store).close()  # nothing more to migrate: nothing more logged
    lines = path.read_text().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].endswith(
        f"INFO mailaccounts.store.sqlite [MainThread] store {store} migrated from schema "
        f"{schema} to {schemas.LATEST}; the old one is kept as accounts.sqlite3.v{schema}.bak"
    )
    assert (tmp_path / f"accounts.sqlite3.v{schema}.bak").exists()
