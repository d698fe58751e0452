"""The form description (``model/form.py``) on its own: what the window
builds its widgets from and the CLI its flags from."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pytest

from mailaccounts.model import core, form
from mailaccounts.model.account import Account, ExchangeSettings, OAuth2Settings
from mailaccounts.model.core import get_path


@pytest.mark.parametrize(
    ("kind", "raw", "value"),
    [
        ("codes", " ADM ; ; mue;", ["ADM", "mue"]),
        ("times", "08:00; 12:30,17:45  20:00", ["08:00", "12:30", "17:45", "20:00"]),
        ("words", "  openid   offline_access ", ["openid", "offline_access"]),
        ("text", "  as typed ", "  as typed "),
        ("password", " x ", " x "),
    ],
)
def test_text_is_read_by_its_kind(kind: form.Kind, raw: str, value: Any) -> None:
    assert form.parse_text(kind, raw) == value


@pytest.mark.parametrize(
    ("kind", "value", "shown"),
    [
        ("codes", ["ADM", "MUE"], "ADM; MUE"),
        ("times", ["08:00", "12:30"], "08:00; 12:30"),
        ("words", ["openid", "email"], "openid email"),
        ("codes", None, ""),
        ("text", None, ""),
        ("port", 995, "995"),
    ],
)
def test_a_value_is_shown_as_the_text_that_reads_back(
    kind: form.Kind, value: Any, shown: str
) -> None:
    assert form.format_text(kind, value) == shown
    if isinstance(value, list):
        assert form.parse_text(kind, shown) == value


@pytest.mark.parametrize(
    ("label", "plain"),
    [
        ("E-mail &number:", "E-mail number"),
        ("E&xchange account", "Exchange account"),
        ("Tom && &Jerry:", "Tom & Jerry"),
        ("and at these &times (HH:MM):", "and at these times (HH:MM)"),
    ],
)
def test_plain_drops_mnemonic_and_colon_and_keeps_a_doubled_ampersand(
    label: str, plain: str
) -> None:
    assert form.plain(label) == plain


def test_a_flag_is_the_path_with_dashes() -> None:
    field = form.Field("smtp.auth.same_as_incoming", "bool", "x")
    assert field.flag == "--smtp-auth-same-as-incoming"


def test_conditions_hold_on_the_current_values() -> None:
    own = form.When("smtp.separate", True)
    not_custom = form.When("oauth2.provider", "custom", not_=True)
    field = form.Field("smtp.server", "text", "x", enabled_when=(own, not_custom))
    assert field.enabled({"smtp": {"separate": True}, "oauth2": {"provider": "google"}})
    assert not field.enabled({"smtp": {"separate": True}, "oauth2": {"provider": "custom"}})
    assert not field.enabled({"smtp": {"separate": False}})
    assert not field.enabled({})  # a missing value is no value the condition names
    assert form.Field("number", "text", "x").enabled({})  # no condition: always


def test_an_area_is_enabled_for_pop3_accounts_only() -> None:
    assert form.POP3.enabled({"exchange": False})
    assert not form.POP3.enabled({"exchange": True})
    assert form.ASSIGNMENT.enabled({"exchange": True})


def test_the_cards_in_tab_order_and_which_are_optional() -> None:
    ids = [card.id for card in form.cards()]
    assert ids == ["credentials", "fetch", "oauth2", "exchange_access", "exchange_sync"]
    optional = {card.id for card in form.optional_cards()}
    assert optional == {"fetch", "oauth2", "exchange_access", "exchange_sync"}
    exchange = {"exchange": True}
    shown = {c.id for c in form.optional_cards() if all(w.holds(exchange) for w in c.shown_when)}
    assert shown == {"exchange_access", "exchange_sync"}


def test_every_field_is_listed_once_the_auth_dialog_included() -> None:
    paths = [field.path for field in form.fields()]
    assert len(paths) == len(set(paths)), [p for p, n in Counter(paths).items() if n > 1]
    assert {"smtp.auth.method", "smtp.auth.username", "smtp.auth.password"} <= set(paths)
    flags = [field.flag for field in form.fields()]
    aliases = [alias for field in form.fields() for alias in field.aliases]
    assert len({*flags, *aliases}) == len(flags) + len(aliases), "one flag, one field"


def test_every_field_but_the_passwords_is_a_field_of_the_model() -> None:
    """A path the model does not know would make a widget and a flag that
    save nothing (the passwords live in the keyring, not in the account)."""
    account = Account(
        number="1000",
        address="info@mustermann.de",
        exchange_settings=ExchangeSettings(),
        oauth2=OAuth2Settings(),
    ).to_json()
    for field in form.fields():
        parent, _, leaf = field.path.rpartition(".")
        node = get_path(account, parent) if parent else account
        if field.kind == "password":
            assert isinstance(node, dict) and leaf not in node, field.path
        else:
            assert isinstance(node, dict) and leaf in node, field.path


def test_the_choices_are_the_models_values() -> None:
    choices = {f.path: [v for v, _ in f.choices] for f in form.fields() if f.kind == "choice"}
    assert choices == {
        "smtp.auth.method": list(core.AUTH_METHODS),
        "exchange_settings.sync.conflict_winner": list(core.CONFLICT_WINNERS),
        "exchange_settings.sync.initial_sync": list(core.INITIAL_SYNC_CHOICES),
        "oauth2.provider": list(core.OAUTH2_PROVIDERS),
    }
    assert [mode for mode, _ in form.SECURITY_MODES] == ["ssl", "starttls"]


def _mnemonic(label: str) -> str | None:
    found = re.search(r"&([^&])", label.replace("&&", ""))
    return found[1].casefold() if found else None


@pytest.mark.parametrize(
    "fields",
    [pytest.param([f for a in c.areas for f in a.fields], id=c.id) for c in form.cards()]
    + [pytest.param(list(form.AUTH_DIALOG.fields), id="auth_dialog")],
)
def test_each_label_has_a_mnemonic_of_its_own_on_its_card(fields: list[form.Field]) -> None:
    keys = [_mnemonic(field.label) for field in fields]
    assert None not in keys, [f.path for f in fields if _mnemonic(f.label) is None]
    assert len(keys) == len(set(keys)), Counter(keys).most_common(3)
