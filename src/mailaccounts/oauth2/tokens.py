"""An account's access tokens, refreshed before use and when a server
refused one; a refreshed grant goes back to the keyring at once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from ..model.secret import Secret
from ..net.report import NetError
from ..net.transport import CancelToken
from .flow import refresh
from .grant import Grant


class AccountTokens:
    """The ``TokenSource`` of one account (``net.sasl``). *load* reads the
    grant (from the keyring, or one just signed in and not yet saved);
    *keep* stores a refreshed one; *client_secret* reads the account's
    client secret, if it has one, when a refresh needs it. *cancel* ends a
    running refresh at once (the window's Cancel, ``serve`` stopping)."""

    def __init__(
        self,
        settings: dict[str, Any],
        load: Callable[[], Grant | None],
        keep: Callable[[Grant], None],
        *,
        client_secret: Callable[[], Secret | None] = lambda: None,
        cancel: CancelToken | None = None,
    ) -> None:
        self.settings = settings
        self._load = load
        self._keep = keep
        self._client_secret = client_secret
        self._cancel = cancel
        self._grant: Grant | None = None
        self._lock = threading.Lock()

    def grant(self) -> Grant | None:
        with self._lock:
            return self._current()

    def _current(self) -> Grant | None:
        if self._grant is None:
            self._grant = self._load()
        return self._grant

    def token(self, fresh: bool = False) -> Secret:
        """An access token; *fresh* asks the provider for a new one. Under
        one lock, so that threads waiting for a refresh use its result
        instead of refreshing again."""
        with self._lock:
            grant = self._current()
            if grant is None or not grant.refresh_token:
                raise NetError("oauth2_signin_required")
            if fresh or not grant.fresh():
                grant = refresh(
                    self.settings, grant, cancel=self._cancel, client_secret=self._client_secret()
                )
                self._keep(grant)
                self._grant = grant
        return Secret(grant.access_token)
