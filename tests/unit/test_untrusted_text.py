"""Text from users, files and servers: what the model refuses, and how
output for a terminal or as JSON neutralises what it still carries."""

from __future__ import annotations

from typing import Any

import pytest

from mailaccounts.jsonio import split_secrets
from mailaccounts.model.core import secret_problem
from tests.support.accounts import pop3_account

BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
SEPARATORS = "\u2028\u2029"
C1 = "".join(map(chr, range(0x80, 0xA0)))
C0 = "".join(map(chr, range(0x20))) + "\x7f"
UNSAFE = C0 + C1 + BIDI + SEPARATORS


def codes(problems: list[Any]) -> list[tuple[str, str]]:
    return [(p.path, p.code) for p in problems]


# -- secrets ----------------------------------------------------------------


@pytest.mark.parametrize("secret", ["a\nb", "a\rb", "a\x00b", "\n", "pw\r\n"])
def test_line_breaks_and_nul_in_a_secret_are_refused(secret: str) -> None:
    found = secret_problem(secret, "pop3.password")
    assert found is not None and (found.path, found.code, found.params) == (
        "pop3.password",
        "secret_control",
        {},
    )


@pytest.mark.parametrize("secret", ["", "geheim", "ä ö ü\tß", "x" * 4096, "€\u2028"])
def test_other_secrets_pass(secret: str) -> None:
    assert secret_problem(secret, "pop3.password") is None


def test_an_overlong_secret_is_refused() -> None:
    found = secret_problem("x" * 4097, "smtp.auth.password")
    assert found is not None and (found.code, found.params) == ("too_long", {"max": 4096})


def test_split_secrets_names_the_field_and_never_the_secret() -> None:
    data = pop3_account()
    data["pop3"]["password"] = "Geheim\nPASS evil"
    data["smtp"]["auth"]["password"] = "ok"
    rest, found, problems = split_secrets(data, "accounts[0]")
    assert codes(problems) == [("accounts[0].pop3.password", "secret_control")]
    assert "pop3" not in found and "password" not in rest["pop3"]
    assert "Geheim" not in repr(problems)
