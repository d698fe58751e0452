"""The hypothesis profiles reach every property test: a test that states its
count of examples states it through ``tests/support/examples.py``, which
``scripts/test --quick`` (profile ``quick``) scales to a tenth."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from hypothesis import settings

from tests.support.examples import examples, scaled

TESTS = Path(__file__).resolve().parents[1]


@contextmanager
def profile(name: str) -> Iterator[None]:
    before = settings.get_current_profile_name()
    settings.load_profile(name)
    try:
        yield
    finally:
        settings.load_profile(before)


def test_every_stated_count_goes_through_the_profile() -> None:
    stated = re.compile(r"max_examples\s*=")
    allowed = (TESTS / "support" / "examples.py", TESTS / "conftest.py", Path(__file__))
    offenders = [
        str(path.relative_to(TESTS))
        for path in sorted(TESTS.rglob("*.py"))
        if path not in allowed and stated.search(path.read_text("utf-8"))
    ]
    assert offenders == [], "state counts with tests.support.examples.examples(count)"


def test_ci_keeps_every_count_and_quick_runs_a_tenth_but_not_too_few() -> None:
    with profile("ci"):
        assert [scaled(n) for n in (10, 60, 3000)] == [10, 60, 3000]
        assert examples(3000).max_examples == 3000
    with profile("quick"):
        assert [scaled(n) for n in (10, 60, 3000)] == [10, 30, 300]
        assert examples(3000).max_examples == 300
        assert examples(3000).deadline is None
