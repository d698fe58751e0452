"""The grant an OAuth2 sign-in leaves: kept as one keyring secret."""

from __future__ import annotations

import base64
import json
import time
from dataclasses import dataclass
from typing import Any

from ..model.secret import Secret
from ..net.report import NetError

REFRESH_MARGIN = 60.0
"""An access token this close to its expiry is refreshed before use."""


@dataclass(frozen=True, repr=False)
class Grant:
    refresh_token: str
    access_token: str
    expires_at: float
    """Seconds since the epoch."""
    user: str
    """Who signed in, as the provider says (for display only)."""

    def __repr__(self) -> str:
        return f"Grant(user={self.user!r}, expires_at={self.expires_at!r})"

    def fresh(self, now: float | None = None) -> bool:
        now = time.time() if now is None else now
        return bool(self.access_token) and self.expires_at - REFRESH_MARGIN > now

    def to_secret(self) -> Secret:
        return Secret(json.dumps(self.__dict__, ensure_ascii=False))

    @classmethod
    def from_secret(cls, secret: Secret) -> Grant | None:
        try:
            data = json.loads(secret.reveal())
            return cls(
                str(data["refresh_token"]),
                str(data.get("access_token", "")),
                float(data.get("expires_at", 0)),
                str(data.get("user", "")),
            )
        except (ValueError, KeyError, TypeError):
            return None  # damaged: as if nobody had signed in

    @classmethod
    def from_token_response(
        cls, token: dict[str, Any], fallback_user: str, previous: Grant | None = None
    ) -> Grant:
        """From a token endpoint's answer. A refresh that returns no new
        refresh token keeps the old one; who signed in comes from the
        id_token where there is one. An answer without an access token is
        no sign-in (``oauth2_no_access_token``), whatever its status said."""
        access = token.get("access_token")
        if not isinstance(access, str) or not access:
            raise NetError("oauth2_no_access_token")
        refresh = token.get("refresh_token") or (previous.refresh_token if previous else "")
        user = _id_token_user(token.get("id_token")) or (previous.user if previous else "")
        try:
            expires_in = float(token.get("expires_in") or 3600)
        except (TypeError, ValueError):
            expires_in = 3600.0
        return cls(
            str(refresh),
            access,
            time.time() + expires_in,
            user or fallback_user,
        )


def _id_token_user(id_token: object) -> str:
    """preferred_username or email from an id_token's claims, for display
    only (not verified: nothing is decided on it)."""
    if not isinstance(id_token, str) or id_token.count(".") != 2:
        return ""
    payload = id_token.split(".")[1]
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except ValueError:
        return ""
    if not isinstance(claims, dict):
        return ""
    return str(claims.get("preferred_username") or claims.get("email") or "")[:200]
