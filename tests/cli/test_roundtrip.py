"""Every field survives add → show --json → export → import into a fresh store."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from tests.support.cli import run_cli
from tests.support.examples import examples
from tests.support.keyrings import MemoryKeyring

OPERATORS = ["ADM", "MUE", "sch_1", "op.2", "X-Y"]
WORKGROUPS = ["VERTRIEB", "SUPPORT", "wg-3"]

# "ab--" starts are reserved (IDNA 2008: only "xn--", which the model refuses when
# it is not a valid A-label), so a plain label never has hyphens in 3rd and 4th place
label = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?", fullmatch=True).filter(
    lambda text: text[2:4] != "--"
)
idn_label = st.sampled_from(["müller", "bücher", "straße", "例え", "xn--mller-kva"])
hosts = st.one_of(
    st.builds(lambda a, b: f"{a}.{b}.de", label, label),
    st.builds(lambda a: f"mail.{a}.de", idn_label),
    st.sampled_from(["localhost", "127.0.0.1", "10.1.2.3", "::1", "fe80::1", "[2001:db8::25]"]),
)
addresses = st.builds(
    lambda local, domain: f"{local}@{domain}",
    st.from_regex(r"[a-z][a-z0-9]{0,8}(\.[a-z0-9]{1,5})?", fullmatch=True),
    st.one_of(st.builds(lambda a: f"{a}.de", label), st.builds(lambda a: f"{a}.com", idn_label)),
)
text = st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=30)
ports = st.integers(1, 65535)
security = st.sampled_from(["ssl", "starttls", "none"])
trusted = st.one_of(
    st.none(),
    st.fixed_dictionaries(
        {
            "host": hosts,
            "sha256": st.from_regex(r"[0-9A-F]{64}", fullmatch=True).map(
                lambda h: ":".join(h[i : i + 2] for i in range(0, 64, 2))
            ),
        }
    ),
)


def codes(pool: list[str], min_size: int) -> st.SearchStrategy[list[str]]:
    return (
        st.lists(st.sampled_from(pool), min_size=min_size, max_size=3, unique=True)
        .flatmap(
            lambda chosen: st.tuples(*(st.sampled_from([c, c.lower(), c.upper()]) for c in chosen))
        )
        .map(list)
    )


exchange_settings = st.fixed_dictionaries(
    {
        "server": st.one_of(
            hosts.filter(lambda h: ":" not in h),
            st.builds(
                lambda h: f"https://{h}/EWS/Exchange.asmx", st.builds(lambda a: f"ex.{a}.de", label)
            ),
        ),
        "domain": st.one_of(st.just(""), label.map(str.upper)),
        "username": text,
        "sync": st.fixed_dictionaries(
            {
                "mails": st.booleans(),
                "contacts": st.booleans(),
                "appointments": st.booleans(),
                "categories": st.booleans(),
                "conflict_winner": st.sampled_from(["exchange", "crm"]),
                "client_number": st.from_regex(r"[0-9]{1,10}", fullmatch=True),
                "initial_sync": st.sampled_from(
                    ["exchange_to_crm", "crm_to_exchange", "ask", "none"]
                ),
            }
        ),
    }
)

fetch = st.builds(
    lambda leave, days, **rest: {
        "leave_on_server": leave,
        "delete_after_days": days if leave else None,
        **rest,
    },
    st.booleans(),
    st.one_of(st.none(), st.integers(1, 3650)),
    enabled=st.booleans(),
    interval_minutes=st.one_of(st.none(), st.integers(1, 1440)),
    times=st.lists(
        st.builds(lambda h, m: f"{h:02d}:{m:02d}", st.integers(0, 23), st.integers(0, 59)),
        max_size=4,
        unique=True,
    ).map(sorted),
)

accounts = st.builds(
    lambda number, exchange, ex, **rest: {
        "number": f"{number:04d}",
        "exchange": exchange,
        "exchange_settings": ex if exchange else None,
        **rest,
    },
    st.integers(1, 9999),
    st.booleans(),
    exchange_settings,
    address=addresses,
    pop3=st.fixed_dictionaries(
        {
            "server": hosts,
            "port": ports,
            "username": text,
            "spa": st.booleans(),
            "security": security,
            "trusted_certificate": trusted,
            "oauth2": st.just(False),
        }
    ),
    smtp=st.fixed_dictionaries(
        {
            "separate": st.booleans(),
            "server": hosts,
            "server_name": st.one_of(st.just(""), hosts),
            "port": ports,
            "security": security,
            "auth": st.fixed_dictionaries(
                {
                    "required": st.booleans(),
                    "method": st.sampled_from(["login", "cram-md5"]),  # oauth2: its own test
                    "username": text,
                    "same_as_incoming": st.booleans(),
                }
            ),
            "trusted_certificate": trusted,
        }
    ),
    operators=codes(OPERATORS, 1),
    workgroups=codes(WORKGROUPS, 0),
    fetch=fetch,
    oauth2=st.one_of(
        st.none(),
        st.fixed_dictionaries(
            {
                "provider": st.sampled_from(["microsoft", "google"]),
                "tenant": st.sampled_from(["organizations", "common", "contoso.onmicrosoft.com"]),
                "client_id": st.uuids().map(str),
                "authorization_url": st.just(""),
                "token_url": st.just(""),
                "device_authorization_url": st.just(""),
                "scopes": st.just([]),
            }
        ),
    ),
)


def _as_directory_spells(account: dict[str, Any]) -> dict[str, Any]:
    """The account as it is stored and shown: its codes typed in any case,
    spelled as the directory spells them."""
    spelled = {code.casefold(): code for code in [*OPERATORS, *WORKGROUPS]}
    return {
        **account,
        "operators": [spelled[code.casefold()] for code in account["operators"]],
        "workgroups": [spelled[code.casefold()] for code in account["workgroups"]],
    }


def _prepare(store: Path, keyring: MemoryKeyring) -> None:
    for code in OPERATORS:
        assert (
            run_cli(store, "operators", "add", code, "--name", f"Name {code}", keyring=keyring).code
            == 0
        )
    for code in WORKGROUPS:
        assert run_cli(store, "workgroups", "add", code, keyring=keyring).code == 0


@examples(60)
@given(account=accounts, password=text)
def test_every_field_round_trips(account: dict[str, Any], password: str) -> None:
    keyring = MemoryKeyring()
    with tempfile.TemporaryDirectory() as tmp:
        first, second = Path(tmp, "first.sqlite3"), Path(tmp, "second.sqlite3")
        _prepare(first, keyring)
        source = Path(tmp, "account.json")
        with_secret = json.loads(json.dumps(account))
        with_secret["pop3"]["password"] = password
        source.write_text(json.dumps(with_secret), encoding="utf-8")

        added = run_cli(first, "add", "--file", str(source), keyring=keyring)
        assert added.code == 0, added.err
        shown = run_cli(first, "show", account["number"], "--json", keyring=keyring)
        stored = _as_directory_spells(account)
        assert json.loads(shown.out) == {**stored, "status": None}  # never fetched

        export = run_cli(first, "export", keyring=keyring)
        assert "password" not in export.out
        Path(tmp, "export.json").write_text(export.out, encoding="utf-8")
        imported = run_cli(second, "import", str(Path(tmp, "export.json")), keyring=keyring)
        assert imported.code == 0, imported.err
        again = run_cli(second, "show", account["number"], "--json", keyring=keyring)
        assert json.loads(again.out) == {**stored, "status": None}
        assert run_cli(second, "export", keyring=keyring).out == export.out
        assert password in keyring.values()
