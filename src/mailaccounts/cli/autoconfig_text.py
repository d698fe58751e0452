"""The lookup's result in English words, for the command line (the window
has its own, translated)."""

from __future__ import annotations

from typing import Any

from ..autoconfig.result import Proposal, Result
from ..model.messages import describe

SOURCE_NAMES = {
    "autoconfig": "the domain's own configuration file",
    "ispdb": "the ISPDB (a database of mail providers' settings)",
    "srv": "the domain's SRV records (DNS)",
    "mx": "a guess: the ISPDB entry of the domain's mail server (MX)",
    "guess": "a guess: servers that answered under common names",
}


def warnings(proposal: Proposal) -> list[str]:
    """What the admin must know before using the proposal."""
    found = []
    if proposal.insecure_url is not None:
        found.append(
            f"the settings came over unencrypted HTTP ({proposal.insecure_url}): anyone on "
            "the way could have changed them; check them before you use them"
        )
    if proposal.is_guess:
        found.append("these settings are a guess: check them before you use them")
    found.extend(f"{w.path}: {describe(w)}" for w in proposal.warnings)
    return found


def summary(result: Result) -> list[str]:
    """Where the settings came from and what they are."""
    proposal = result.proposal
    if proposal is None:
        if result.cancelled:
            return [f"{result.address}: cancelled"]
        return [f"{result.address}: no settings found"]
    pop3 = proposal.pop3
    lines = [
        f"{result.address}: settings from {SOURCE_NAMES[proposal.source]}",
        f"  ({proposal.origin})",
        f"POP3  {pop3.server}, port {pop3.port}, {pop3.security}, user {pop3.username or '-'}"
        + (", SPA" if pop3.spa else "")
        + (", OAuth2" if pop3.oauth2 else ""),
    ]
    smtp = proposal.smtp
    if smtp is None:
        lines.append("SMTP  none proposed")
    else:
        method = "OAuth2" if smtp.auth_method == "oauth2" else smtp.auth_method
        login = f"login {method} as {smtp.username or '-'}" if smtp.auth_required else "no login"
        lines.append(f"SMTP  {smtp.server}, port {smtp.port}, {smtp.security}, {login}")
    if proposal.oauth2 is not None:
        lines.append(f"OAuth2  {oauth2_text(proposal.oauth2)}; no password")
    if proposal.leave_on_server:
        lines.append("Fetch  mail stays on the server (the provider advises it)")
    return lines


def oauth2_text(section: dict[str, Any]) -> str:
    """Where the account signs in, in words."""
    provider = section.get("provider")
    if provider == "microsoft":
        return f"sign-in at Microsoft (tenant {section.get('tenant') or 'organizations'})"
    if provider == "google":
        return "sign-in at Google"
    return f"sign-in at {section.get('authorization_url', '')}"


CLIENT_ID_NEEDED = (
    "the account signs in with OAuth2: give the client ID of your organisation's app "
    "registration with --oauth2-client-id (there is no default)"
)


def next_step(number: str) -> str:
    """What to do after adding an account that signs in with OAuth2."""
    return f"next: sign the account in with: mailaccounts oauth2 login {number}"


def tried_rows(result: Result) -> list[tuple[str, str, str, str]]:
    rows = [("Source", "Query", "Outcome", "Time")]
    for attempt in result.tried:
        rows.append((attempt.source, attempt.query, attempt.outcome(), f"{attempt.ms} ms"))
    return rows
