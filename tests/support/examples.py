"""How many hypothesis examples a property test runs, by profile.

The profiles are registered in ``tests/conftest.py``: ``ci`` (the default,
and what CI runs) keeps every count as the test states it; ``quick``
(``scripts/test --quick``) runs a tenth of it, never fewer than
``QUICK_FLOOR``. A test that states its count does so through ``examples``,
so the profile reaches it too (hypothesis' own profiles only change tests
that leave ``max_examples`` unset)."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, settings

SCALE = {"ci": 1.0, "quick": 0.1}
"""Profile → share of each test's stated count."""
QUICK_FLOOR = 30


def profile() -> str:
    """The hypothesis profile in force (``--hypothesis-profile``)."""
    name = settings.get_current_profile_name()
    if name not in SCALE:
        raise ValueError(f"unknown hypothesis profile {name!r}: use one of {sorted(SCALE)}")
    return name


def scaled(count: int) -> int:
    """*count* examples as the profile in force runs them."""
    if profile() == "ci":
        return count
    return max(round(count * SCALE[profile()]), min(count, QUICK_FLOOR))


def examples(count: int, **options: Any) -> settings:
    """``@settings`` for a test that states its count: *count* examples in
    the ci profile, a tenth in quick; no deadline (the machines are shared
    and noisy), slow data generation no failure."""
    return settings(
        max_examples=scaled(count),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
        **options,
    )
