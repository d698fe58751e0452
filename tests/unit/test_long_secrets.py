"""Secrets longer than a keyring item may hold (an OAuth2 refresh token is
more than Windows' 2,560 bytes) are split over several items, found again,
and removed with their account."""

from __future__ import annotations

from pathlib import Path

from mailaccounts.keyring.backend import KeyringSecrets
from mailaccounts.model.secret import Secret
from mailaccounts.services.accounts import AccountService
from mailaccounts.store.sqlite import SqliteStore
from tests.support.accounts import pop3_account
from tests.support.keyrings import WindowsSizedKeyring


def service_on(path: Path, backend: WindowsSizedKeyring) -> AccountService:
    store = SqliteStore(path)
    store.directory_add("operator", "ADM", "")
    return AccountService(store, KeyringSecrets(store.store_id, backend))


def test_a_long_grant_is_split_and_found_again(store_path: Path) -> None:
    backend = WindowsSizedKeyring()
    service = service_on(store_path, backend)
    grant = Secret("rt-" + "ä" * 4000)  # 8,000 bytes as UTF-16
    stored = service.create(pop3_account(), {"pop3": Secret("pw"), "oauth2": grant}).stored
    assert service.secrets.get(stored.secret_refs["oauth2"]) == grant
    assert service.secrets.get(stored.secret_refs["pop3"]) == Secret("pw")
    assert all(len(v.encode("utf-16-le")) <= 2560 for v in backend.entries.values())
    assert len(backend.entries) > 3  # the grant in pieces, the password on its own
    # a new grant replaces the old one's pieces and leaves the password's entry alone
    pop3_ref = stored.secret_refs["pop3"]
    again = service.update("1000", stored.data, stored.revision, {"oauth2": Secret("kurz")})
    assert again.stored.secret_refs["pop3"] == pop3_ref
    assert service.secrets.get(again.stored.secret_refs["oauth2"]) == Secret("kurz")
    assert "ä" * 100 not in "".join(backend.entries.values())
    service.delete("1000")
    assert backend.entries == {}
