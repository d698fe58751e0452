"""The window words every problem with one function, ``texts.problem_text``:
in the window's language, the same problem the CLI words with
``model.messages.describe``."""

from __future__ import annotations

import pytest

from mailaccounts.gui.texts import problem_text
from mailaccounts.model.messages import describe
from mailaccounts.model.problems import Problem
from mailaccounts.net.report import NetError

TIMED_OUT = NetError("timed_out", host="pop.example.test", seconds=5).problem


def test_in_english_it_words_a_problem_as_describe_does() -> None:
    for problem in (TIMED_OUT, Problem("required", "pop3.server"), Problem("no_such_code")):
        assert problem_text(problem) == describe(problem)


@pytest.mark.usefixtures("german")
def test_in_german_it_translates_the_template_and_puts_the_parameters_in() -> None:
    assert problem_text(TIMED_OUT) == "keine Antwort von pop.example.test innerhalb von 5 s"
    assert problem_text(Problem("required", "pop3.server")) == "ist erforderlich"
    assert describe(TIMED_OUT) == "no answer from pop.example.test within 5 s"  # the CLI's
