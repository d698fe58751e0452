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
    monkeypatch: pytest.MonkeyPatch, outcome: str
) -> None:
    import gc

    from mailaccounts import __main__ as entry
    from mailaccounts.gui import app as start

    during: list[bool] = []

    def start_window(*args: object) -> int:
        during.append(gc.isenabled())
        if outcome == "raises":
            raise RuntimeError("the window failed")
        return 0

    monkeypatch.setattr(start, "start_window", start_window)
    monkeypatch.setattr("sys.argv", ["mailaccounts", "--store", "/s.db"])
    assert gc.isenabled()
    if outcome == "raises":
        with pytest.raises(RuntimeError):
            entry.main()
    else:
        assert entry.main() == 0
    assert during == [False]
    assert gc.isenabled()


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
