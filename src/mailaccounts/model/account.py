"""The mail account, field by field as docs/contracts.md describes it.

Passwords are not part of the account: they are write-only and live in the
keyring (see ``keyring/backend.py``). Field names are the JSON names and, joined with
dots, the widget ``objectName``s.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from . import rules
from .core import AuthMethod, ConflictWinner, InitialSync, OAuth2Provider, Security
from .fields import (
    Address,
    ClientNumber,
    Codes,
    Days,
    Fingerprint,
    Host,
    HostOrUrl,
    HttpsUrl,
    Minutes,
    NewCode,
    Number,
    Port,
    Text,
    Times,
)

POP3_DEFAULT_PORTS = rules.POP3_DEFAULT_PORTS
SMTP_DEFAULT_PORTS = rules.SMTP_DEFAULT_PORTS


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, validate_default=True)


def _fill_port(data: Any, protocol: rules.Protocol) -> Any:
    """A missing port follows the security mode (docs/contracts.md)."""
    if isinstance(data, dict) and data.get("port") is None:
        data = {**data, "port": rules.default_port(protocol, data.get("security", "ssl"))}
    return data


class TrustedCertificate(_Model):
    """A certificate the admin trusted for exactly this server of this account
    (after the connection test showed it as untrusted)."""

    host: Host
    sha256: Fingerprint


class Pop3Settings(_Model):
    server: Host = ""
    port: Port = POP3_DEFAULT_PORTS["ssl"]
    username: Text = ""
    spa: bool = False
    oauth2: bool = False
    """Log in with SASL XOAUTH2 and the account's OAuth2 sign-in."""
    security: Security = "ssl"
    trusted_certificate: TrustedCertificate | None = None

    @model_validator(mode="before")
    @classmethod
    def _default_port(cls, data: Any) -> Any:
        return _fill_port(data, "pop3")


class SmtpAuth(_Model):
    required: bool = False
    method: AuthMethod = "login"
    username: Text = ""
    same_as_incoming: bool = False


class SmtpSettings(_Model):
    separate: bool = False
    server: Host = ""
    server_name: Host = ""
    port: Port = SMTP_DEFAULT_PORTS["ssl"]
    security: Security = "ssl"
    auth: SmtpAuth = Field(default_factory=SmtpAuth)
    trusted_certificate: TrustedCertificate | None = None

    @model_validator(mode="before")
    @classmethod
    def _default_port(cls, data: Any) -> Any:
        return _fill_port(data, "smtp")


class ExchangeSync(_Model):
    mails: bool = True
    contacts: bool = True
    appointments: bool = True
    categories: bool = False
    conflict_winner: ConflictWinner = "exchange"
    client_number: ClientNumber = "1"
    initial_sync: InitialSync = "ask"


class ExchangeSettings(_Model):
    server: HostOrUrl = ""
    domain: Text = ""
    username: Text = ""
    sync: ExchangeSync = Field(default_factory=ExchangeSync)


class FetchSettings(_Model):
    """Fetching the account's mail into its inboxes ("Abruf"), and when
    ("Zeitsteuerung"): every *interval_minutes* and at the fixed *times*."""

    enabled: bool = rules.FETCHING_ON_BY_DEFAULT
    leave_on_server: bool = False
    delete_after_days: Days = None
    """With leave_on_server: remove a message this many days after it was
    first fetched; None keeps it on the server."""
    interval_minutes: Minutes = None
    times: Times = Field(default_factory=list)
    """"HH:MM", 24 hours, local time."""


class OAuth2Settings(_Model):
    """Signing in with OAuth2 (authorization code with PKCE, or the device
    code): at Microsoft, Google or another provider. The URLs and scopes of
    Microsoft and Google need not be given (``core.oauth2_endpoints``)."""

    provider: OAuth2Provider = "microsoft"
    tenant: Text = "organizations"
    client_id: Text = ""
    authorization_url: HttpsUrl = ""
    token_url: HttpsUrl = ""
    device_authorization_url: HttpsUrl = ""
    scopes: list[Text] = Field(default_factory=list)


class Account(_Model):
    number: Number
    address: Address
    exchange: bool = False
    pop3: Pop3Settings = Field(default_factory=Pop3Settings)
    smtp: SmtpSettings = Field(default_factory=SmtpSettings)
    operators: Codes = Field(default_factory=list)
    workgroups: Codes = Field(default_factory=list)
    exchange_settings: ExchangeSettings | None = None
    fetch: FetchSettings = Field(default_factory=FetchSettings)
    oauth2: OAuth2Settings | None = None

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


class DirectoryEntryIn(_Model):
    """An operator or workgroup as typed or imported."""

    code: NewCode
    name: Text = ""
