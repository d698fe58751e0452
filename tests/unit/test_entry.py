from pathlib import Path

import pytest

from mailaccounts.__main__ import window_options


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], {}),
        (["--store", "/x.db"], {"store": "/x.db"}),
        (["--store=/x.db", "--language", "de"], {"store": "/x.db", "language": "de"}),
        (["list"], None),
        (["--store", "/x.db", "list"], None),
        (["--help"], None),
        (["--language", "fr"], None),
        (["--store"], None),
        (["--store", "a", "--store", "b"], None),
        (["--mail-root", "/m", "--store", "/x.db"], {"mail-root": "/m", "store": "/x.db"}),
        (["--mail-root=/m"], {"mail-root": "/m"}),
        (["--mail-root"], None),
        (["--mail-root", "/m", "fetch"], None),
    ],
)
def test_window_start_is_recognised(argv: list[str], expected: dict[str, str] | None) -> None:
    assert window_options(argv) == expected


def test_a_window_start_passes_the_mail_root(monkeypatch: pytest.MonkeyPatch) -> None:
    from pathlib import Path

    from mailaccounts import __main__ as entry
    from mailaccounts.gui import app as start

    started: list[tuple[object, ...]] = []

    def start_window(*args: object) -> int:
        started.append(args)
        return 0

    monkeypatch.setattr(start, "start_window", start_window)
    monkeypatch.setattr("sys.argv", ["mailaccounts", "--store", "/s.db", "--mail-root", "/m"])
    assert entry.main() == 0
    assert started == [(Path("/s.db"), None, Path("/m"))]


@pytest.mark.parametrize("outcome", ["returns", "raises"])
def test_a_window_start_runs_without_the_collector_and_switches_it_on_again(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, outcome: str
) -> None:
    """The window's start (gui/app.py, the one place that handles the
    collector) runs without it and switches it on again, even when the
    window fails."""
    import gc

    from mailaccounts.gui import app as start

    during: list[bool] = []

    def run(*args: object) -> int:
        during.append(gc.isenabled())
        if outcome == "raises":
            raise RuntimeError("the window failed")
        return 0

    monkeypatch.setattr(start, "_run", run)
    assert gc.isenabled()
    try:
        if outcome == "raises":
            with pytest.raises(RuntimeError):
                start.start_window(tmp_path / "accounts.sqlite3")
        else:
            assert start.start_window(tmp_path / "accounts.sqlite3") == 0
        assert during == [False]
        assert gc.isenabled()
    finally:
        gc.unfreeze()


def test_a_window_start_the_parser_recognises_passes_the_mail_root_too(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Abbreviated options (``--mail``, ``--lang``) are not the quick path's;
    the parser starts the window then, with the same options."""
    from pathlib import Path

    from mailaccounts import __main__ as entry
    from mailaccounts.gui import app as start

    started: list[tuple[object, ...]] = []

    def start_window(*args: object) -> int:
        started.append(args)
        return 0

    monkeypatch.setattr(start, "start_window", start_window)
    argv = ["mailaccounts", "--store", "/s.db", "--mail", "/m", "--lang", "de"]
    monkeypatch.setattr("sys.argv", argv)
    assert entry.main() == 0
    assert started == [(Path("/s.db"), "de", Path("/m"))]
