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
    ],
)
def test_window_start_is_recognised(argv: list[str], expected: dict[str, str] | None) -> None:
    assert window_options(argv) == expected
