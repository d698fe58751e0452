"""When an account is due ("Zeitsteuerung"): an interval after the last run,
and fixed times of day (local time)."""

from __future__ import annotations

from datetime import datetime, timedelta

from mailaccounts.services.schedule import is_due

NOW = datetime(2026, 12, 1, 8, 30).astimezone()


def test_without_interval_or_times_only_an_admin_fetches() -> None:
    assert not is_due({"enabled": True}, None, NOW)


def test_an_interval_after_the_last_run() -> None:
    every_15 = {"enabled": True, "interval_minutes": 15}
    assert is_due(every_15, None, NOW)
    assert not is_due(every_15, NOW - timedelta(minutes=14), NOW)
    assert is_due(every_15, NOW - timedelta(minutes=15), NOW)


def test_a_time_of_day_passed_since_the_last_run() -> None:
    at_8 = {"enabled": True, "times": ["08:00", "17:45"]}
    assert is_due(at_8, NOW - timedelta(hours=1), NOW)  # last run 07:30, 08:00 has passed
    assert not is_due(at_8, NOW - timedelta(minutes=20), NOW)  # ran at 08:10
    early = NOW.replace(hour=7)  # 07:30: 08:00 is still to come, yesterday's ran
    assert not is_due(at_8, early - timedelta(hours=2), early)
    assert is_due(at_8, None, NOW)


def test_switched_off_accounts_are_never_due() -> None:
    assert not is_due({"enabled": False, "interval_minutes": 1}, None, NOW)
