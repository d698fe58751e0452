"""SASL XOAUTH2 (Google's and Microsoft's mechanism for OAuth2 access
tokens, in POP3 and SMTP): the initial response, and where the token comes
from — a source that can hand out a fresh one when the server refused the
first (``TokenSource``)."""

from __future__ import annotations

import base64
from typing import Protocol

from ..model.secret import Secret


class TokenSource(Protocol):
    """An account's OAuth2 access tokens; raises NetError
    ``oauth2_signin_required`` when the sign-in no longer works."""

    def token(self, fresh: bool = False) -> Secret:
        """The access token; with *fresh*, a newly refreshed one."""
        ...


Credential = Secret | TokenSource | None
"""A password, an OAuth2 token source, or nothing stored."""


def xoauth2(username: str, token: Secret) -> str:
    """The initial response: base64 of ``user=NAME^Aauth=Bearer TOKEN^A^A``."""
    raw = f"user={username}\x01auth=Bearer {token.reveal()}\x01\x01"
    return base64.b64encode(raw.encode("utf-8")).decode("ascii")
