"""Mail servers on 127.0.0.1 whose users log in with OAuth2 bearer tokens
(SASL XOAUTH2 and OAUTHBEARER) issued by the mock authorization server
(tests/support/oauth_server.py): Dovecot with its oauth2 passdb (POP3) and
aiosmtpd (SMTP)."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tests.support.certs import KeyPair
from tests.support.oauth_server import OAuthServer
from tests.support.servers import Dovecot, SmtpHandler, smtp_server

if TYPE_CHECKING:
    from aiosmtpd.controller import Controller


def xoauth2(user: str, token: str) -> str:
    """The SASL XOAUTH2 initial response, base64-encoded (for ``AUTH XOAUTH2 ...``)."""
    return base64.b64encode(f"user={user}\x01auth=Bearer {token}\x01\x01".encode()).decode()


def oauthbearer(user: str, token: str) -> str:
    """The SASL OAUTHBEARER (RFC 7628) initial response, base64-encoded."""
    return base64.b64encode(f"n,a={user},\x01auth=Bearer {token}\x01\x01".encode()).decode()


# -- Dovecot -------------------------------------------------------------------

OAUTH_AUTH = """\
auth_mechanisms = plain login cram-md5 xoauth2 oauthbearer
auth_failure_delay = 0
passdb {{
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = {base}/oauth2.conf
}}
passdb {{
  driver = passwd-file
  mechanisms = plain login cram-md5
  args = scheme=PLAIN username_format=%u {base}/users
}}"""

NO_AUTH_PENALTY = """
service anvil {{
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}"""
"""Without its socket (mode 0: not created), the auth process finds no anvil
penalty service and skips the penalty (no error in the log)."""

OAUTH2_CONF = """\
introspection_mode = post
introspection_url = {introspection_url}
force_introspection = yes
username_attribute = username
active_attribute = active
active_value = true
tls_ca_cert_file = {ca}
timeout_msecs = 10000
debug = yes
"""


class OAuthDovecot(Dovecot):
    """Dovecot (POP3) whose *users* log in with SASL XOAUTH2 or OAUTHBEARER: the
    bearer token must be active at *oauth*'s introspection endpoint for the
    same user name. Users in *passwords* (name → password) log in with
    PLAIN/LOGIN/CRAM-MD5 as with ``Dovecot``. Without a *certificate* there is
    no TLS (POP3 only on ``port``).

    *auth_penalty*: Dovecot's anvil slows down logins from an address after a
    failed one: the next login (good or bad) from 127.0.0.1 waits 4 s, after
    two failures in a row 8 s, then 15 s; waiting in between does not shorten
    it, a successful login resets it. The wait comes before the token is
    checked, so a token with a short life expires meanwhile. Off by default
    (each failure answers after Dovecot's 0.5 s); True gives the real thing."""

    def __init__(
        self,
        oauth: OAuthServer,
        users: Iterable[str] = ("info",),
        certificate: KeyPair | None = None,
        *,
        passwords: Mapping[str, str] | None = None,
        auth_penalty: bool = False,
    ) -> None:
        super().__init__(dict(passwords or {}), certificate)
        self.oauth = oauth
        self.oauth_users = list(users)
        self.auth_penalty = auth_penalty

    def auth_config(self) -> str:
        return OAUTH_AUTH + ("" if self.auth_penalty else NO_AUTH_PENALTY)

    def start(self) -> OAuthDovecot:
        ca = self.base / "oauth-ca.pem"
        ca.write_bytes(self.oauth.ca_pem)
        (self.base / "oauth2.conf").write_text(
            OAUTH2_CONF.format(introspection_url=self.oauth.introspection_url, ca=ca)
        )
        super().start()
        for user in self.oauth_users:
            if user not in self.users:
                self.maildir(user)
        return self


# -- SMTP ------------------------------------------------------------------------


class OAuthSmtpHandler(SmtpHandler):
    """``SmtpHandler`` plus SASL XOAUTH2 and OAUTHBEARER, the bearer token
    checked in-process by *oauth*'s introspection.

    On a bad token, *failure* "google" answers like Gmail (and RFC 7628):
    ``334 <base64 JSON {"status": "401", ...}>``, waits for the client's empty
    line (XOAUTH2) or ``\\x01`` (OAUTHBEARER), then ``535 5.7.8``; "microsoft"
    answers ``535 5.7.3 Authentication unsuccessful`` at once, like Office 365.

    ``oauth_logins``: the user names that logged in with a token;
    ``oauth_attempts``: (mechanism, user, token) of every attempt."""

    def __init__(self, users: dict[str, str], oauth: OAuthServer, failure: str = "google") -> None:
        super().__init__(users)
        if failure not in ("google", "microsoft"):
            raise ValueError(f"failure must be 'google' or 'microsoft', not {failure!r}")
        self.oauth = oauth
        self.failure = failure
        self.oauth_logins: list[str] = []
        self.oauth_attempts: list[tuple[str, str, str]] = []

    async def auth_XOAUTH2(self, server: Any, args: list[str]) -> Any:
        return await self._bearer(server, args, "XOAUTH2")

    async def auth_OAUTHBEARER(self, server: Any, args: list[str]) -> Any:
        return await self._bearer(server, args, "OAUTHBEARER")

    async def _bearer(self, server: Any, args: list[str], mechanism: str) -> Any:
        from aiosmtpd.smtp import MISSING, AuthResult, LoginPassword

        if len(args) > 1:
            try:
                response: Any = base64.b64decode(args[1], validate=True)
            except ValueError:
                message = "501 5.5.2 Can't decode base64"
                return AuthResult(success=False, handled=False, message=message)
        else:
            response = await server.challenge_auth("")
            if response is MISSING:
                return AuthResult(success=False, handled=True)  # challenge_auth answered
        user, token = _parse_bearer(bytes(response), mechanism)
        self.oauth_attempts.append((mechanism, user or "", token or ""))
        if user is not None and token is not None:
            claims = self.oauth.introspect(token)
            if claims.get("active") and claims.get("username") == user:
                self.oauth_logins.append(user)
                return AuthResult(
                    success=True, auth_data=LoginPassword(user.encode(), b""), handled=False
                )
        if self.failure == "microsoft":
            return AuthResult(
                success=False, handled=False, message="535 5.7.3 Authentication unsuccessful"
            )
        error = {"status": "401", "schemes": "bearer", "scope": "https://mail.google.com/"}
        await server.challenge_auth(json.dumps(error).encode())  # the client's empty line
        return AuthResult(
            success=False, handled=False, message="535 5.7.8 Username and Password not accepted"
        )


def _parse_bearer(data: bytes, mechanism: str) -> tuple[str | None, str | None]:
    """(user, token) of an XOAUTH2 or OAUTHBEARER response; None where missing."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None, None
    fields = text.split("\x01")
    user: str | None = None
    if mechanism == "XOAUTH2":
        if fields[0].startswith("user="):
            user = fields[0][5:]
    else:  # gs2 header: n,a=user,
        for part in fields[0].split(","):
            if part.startswith("a="):
                user = part[2:].replace("=2C", ",").replace("=3D", "=")
    token = None
    for part in fields[1:]:
        if part.startswith("auth=Bearer "):
            token = part[len("auth=Bearer ") :]
    return user, token


@dataclass
class OAuthSmtp:
    """A started ``oauth_smtp_server``."""

    controller: Controller
    handler: OAuthSmtpHandler
    port: int

    def stop(self) -> None:
        self.controller.stop()


def oauth_smtp_server(
    oauth: OAuthServer,
    *,
    mode: str = "starttls",
    certificate: KeyPair | None = None,
    passwords: dict[str, str] | None = None,
    exclude: list[str] | None = None,
    failure: str = "google",
) -> OAuthSmtp:
    """An aiosmtpd server (as ``smtp_server``: *mode* "starttls", "ssl" or
    "none") offering AUTH XOAUTH2 and OAUTHBEARER (plus LOGIN and CRAM-MD5 for
    the users in *passwords*). AUTH lines may be 12,288 octets long (RFC 4954
    §4), so real-sized tokens fit."""
    handler = OAuthSmtpHandler(dict(passwords or {}), oauth, failure)
    controller, _, port = smtp_server(
        dict(passwords or {}),
        mode=mode,
        certificate=certificate,
        exclude=exclude,
        handler=handler,
        auth_line_limit=12288,
    )
    return OAuthSmtp(controller, handler, port)
