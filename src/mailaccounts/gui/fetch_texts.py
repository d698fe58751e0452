"""How a fetch went, in words: the account list's "Last fetch" column and
the fetch dialog's results. Loaded when the first such text is needed; the
list's start-up path never imports it while no account has fetched yet.

The texts are methods of a QObject because ``pyside6-lupdate`` recognises
plural forms (``%n``) only in ``self.tr`` calls."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject

from ..records import AccountSummary
from .texts import problem_text

NONE = "–"
"""Never fetched, or an Exchange account (not fetched over POP3)."""


def _local(iso: str) -> datetime | None:
    """An ISO 8601 time as local time; a time without offset is taken as local."""
    try:
        at = datetime.fromisoformat(iso)
    except ValueError:
        return None
    return at.astimezone() if at.tzinfo is not None else at


def reason(problem: dict[str, Any]) -> str:
    """A problem ``{"code", **params}`` in the window's language."""
    params = {key: value for key, value in problem.items() if key != "code"}
    return problem_text(str(problem.get("code", "")), params)


class FetchTexts(QObject):
    def short_time(self, iso: str, this_year: int) -> str:
        """``28.11. 14:05``, with the year when it is not *this_year*."""
        at = _local(iso)
        if at is None:
            return iso
        day, month, time = f"{at.day:02}", f"{at.month:02}", f"{at.hour:02}:{at.minute:02}"
        if at.year == this_year:
            return self.tr("{day}.{month}. {time}").format(day=day, month=month, time=time)
        return self.tr("{day}.{month}.{year} {time}").format(
            day=day, month=month, year=at.year, time=time
        )

    def full_time(self, iso: str) -> str:
        at = _local(iso)
        if at is None:
            return iso
        return self.tr("{day}.{month}.{year} {time}").format(
            day=f"{at.day:02}",
            month=f"{at.month:02}",
            year=at.year,
            time=f"{at.hour:02}:{at.minute:02}:{at.second:02}",
        )

    def outcome(self, problem: dict[str, Any] | None, fetched: int) -> str:
        """``ok, 12 new`` or ``failed: <reason>``."""
        if problem is None:
            return self.tr("ok, %n new", "", fetched)
        return self.tr("failed: {reason}").format(reason=reason(problem))

    def last_fetch(self, summary: AccountSummary, this_year: int) -> str:
        """The list's "Last fetch" text of an account."""
        if summary.exchange or summary.last_fetch is None:
            return NONE
        if summary.fetch_disabled is not None:
            return self.tr("off: %n failed run(s)", "", summary.fetch_disabled)
        problem = summary.problem_of()
        if problem is not None:
            return self.outcome(problem, 0)
        when = self.short_time(summary.last_fetch, this_year)
        return f"{self.outcome(None, summary.fetched or 0)} · {when}"

    def last_fetch_details(self, summary: AccountSummary) -> str:
        """The tooltip of the "Last fetch" cell, as plain text."""
        if summary.exchange:
            return problem_text("exchange_not_fetched", {})
        if summary.last_fetch is None:
            return self.tr("Not fetched yet.")
        lines = [self.tr("Last fetch: {when}").format(when=self.full_time(summary.last_fetch))]
        problem = summary.problem_of()
        lines.append(self.outcome(problem, summary.fetched or 0))
        failures = summary.fetch_failures or 0
        if problem is not None and failures > 1:
            lines.append(self.tr("%n failed run(s) in a row", "", failures))
        if summary.fetch_disabled is not None:
            runs = summary.fetch_disabled
            lines.append(
                self.tr(
                    "Scheduled fetching was switched off after %n failed run(s) in a row. "
                    "Switch it on again on the account's Fetching card.",
                    "",
                    runs,
                )
            )
        return "\n".join(lines)


TEXTS = FetchTexts()
