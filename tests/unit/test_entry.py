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
    from mailaccounts.gui import main_window

    started: list[tuple[object, ...]] = []

    def run(*args: object) -> int:
        started.append(args)
        return 0

    monkeypatch.setattr(main_window, "run", run)
    monkeypatch.setattr("sys.argv", ["mailaccounts", "--store", "/s.db", "--mail-root", "/m"])
    assert entry.main() == 0
    assert started == [(Path("/s.db"), None, Path("/m"))]


def test_a_window_start_the_parser_recognises_passes_the_mail_root_too(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Abbreviated options (``--mail``, ``--lang``) are not the quick path's;
    the parser starts the window then, with the same options."""
    from pathlib import Path

    from mailaccounts import __main__ as entry
    from mailaccounts.gui import main_window

    started: list[tuple[object, ...]] = []

    def run(*args: object) -> int:
        started.append(args)
        return 0

    monkeypatch.setattr(main_window, "run", run)
    argv = ["mailaccounts", "--store", "/s.db", "--mail", "/m", "--lang", "de"]
    monkeypatch.setattr("sys.argv", argv)
    assert entry.main() == 0
    assert started == [(Path("/s.db"), "de", Path("/m"))]
