"""Text from users, files and servers: what the model refuses, and how
output for a terminal or as JSON neutralises what it still carries."""

from __future__ import annotations

import json
import unicodedata
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mailaccounts.model.core import ascii_host, secret_problem
from mailaccounts.model.safe_text import neutralise
from mailaccounts.model.validation import validate_account
from mailaccounts.services.documents import dumps, split_secrets
from tests.support.accounts import pop3_account
from tests.support.examples import examples

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


# -- stored text --------------------------------------------------------------


@pytest.mark.parametrize("char", list(C1[:3] + C1[-1] + BIDI + SEPARATORS + "\ud800"))
def test_text_fields_refuse_c1_bidi_separators_and_surrogates(char: str) -> None:
    data = pop3_account()
    data["pop3"]["username"] = f"info{char}x"
    _, problems = validate_account(data, lambda c: True)
    assert ("pop3.username", "invalid_text") in codes(problems)


def test_ordinary_unicode_text_passes() -> None:
    data = pop3_account()
    data["pop3"]["username"] = "Müller-Lüdenscheidt 😀 ‍ 中文 عربي"
    account, problems = validate_account(data, lambda c: True)
    assert account is not None, problems


def test_urls_with_control_characters_are_refused() -> None:
    data = pop3_account(exchange=True)
    data["exchange_settings"] = {"server": "https://x.de/EWS/\x1b[2J\u202e", "username": "u"}
    _, problems = validate_account(data, lambda c: True)
    assert ("exchange_settings.server", "invalid_text") in codes(problems)


# -- URLs and hosts -------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://admin:Geheim1@mail.example.com/EWS/Exchange.asmx",
        "https://admin@mail.example.com/EWS/Exchange.asmx",
        "https://:Geheim1@mail.example.com/",
        "https://a:Ge@heim1@mail.example.com/",
        "https://a:Ge heim1@mail.example.com/",
        "https://a:Geheim1@mail.example.com:x/",
    ],
)
def test_urls_with_user_or_password_are_refused_without_echo(url: str) -> None:
    data = pop3_account(exchange=True)
    data["exchange_settings"] = {"server": url, "username": "u"}
    _, problems = validate_account(data, lambda c: True)
    bad = [p for p in problems if p.path == "exchange_settings.server"]
    assert [p.code for p in bad] == ["url_invalid"]
    assert bad[0].params == {"reason": "must not contain a user name or password"}
    assert "heim" not in repr(problems)


def test_ascii_form_of_hosts() -> None:
    assert ascii_host("exаmple.com") == "xn--exmple-4nf.com"
    assert ascii_host("https://müller.de/EWS/Exchange.asmx") == "xn--mller-kva.de"
    assert ascii_host("https://[::1]:443/EWS") is None
    assert ascii_host("example.com") is None
    assert ascii_host("") is None
    assert ascii_host("bad host ä") is None  # not a host: its problem is shown instead


# -- terminal output ------------------------------------------------------------


def test_every_control_is_shown_as_a_visible_escape() -> None:
    shown = neutralise("-ERR \x1b]0;PWNED\x07\x1b[2J\x9b\u202eabc\u2028\x7f\ud800")
    assert shown == "-ERR \\x1b]0;PWNED\\x07\\x1b[2J\\x9b\\u202eabc\\u2028\\x7f\\ud800"


def test_newlines_only_where_we_keep_them() -> None:
    assert neutralise("a\nb\r\n\tc") == "a\\x0ab\\x0d\\x0a\\x09c"
    assert neutralise("a\nb\r\n", newlines=True) == "a\nb\\x0d\n"


def test_ordinary_text_is_unchanged() -> None:
    text = "Müller <info@x.de> 😀 ‍ 中文 عربي \\x1b ‹›"
    assert neutralise(text) == text


@examples(500)
@given(st.text())
def test_nothing_unsafe_reaches_the_terminal(text: str) -> None:
    shown = neutralise(text)
    assert not any(ch in UNSAFE or unicodedata.category(ch) == "Cs" for ch in shown)
    assert neutralise(shown) == shown


# -- JSON output ----------------------------------------------------------------


def test_json_output_escapes_c1_bidi_and_separators_and_round_trips() -> None:
    value = {"name": "a\x1b\x7f\x85\u202e\u2028\u2066b", "ok": "Müller 😀"}
    text = dumps(value)
    assert not any(ch in UNSAFE for ch in text.replace("\n", ""))
    assert "\\u202e" in text and "\\u0085" in text and "Müller 😀" in text
    assert json.loads(text) == value


@examples(500)
@given(st.recursive(st.text(), lambda inner: st.dictionaries(st.text(), inner), max_leaves=5))
def test_json_output_round_trips_and_is_safe(value: Any) -> None:
    text = dumps(value)
    assert json.loads(text) == value
    assert not any(ch in UNSAFE for ch in text.replace("\n", ""))
