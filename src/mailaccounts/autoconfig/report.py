"""The lookup's result in English words, for the command line (the window
has its own, translated)."""

from __future__ import annotations

from ..model.messages import describe
from .result import Proposal, Result

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
    found.extend(f"{w.path}: {describe(w.code, w.params)}" for w in proposal.warnings)
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
        + (", SPA" if pop3.spa else ""),
    ]
    smtp = proposal.smtp
    if smtp is None:
        lines.append("SMTP  none proposed")
    else:
        login = (
            f"login {smtp.auth_method} as {smtp.username or '-'}"
            if smtp.auth_required
            else "no login"
        )
        lines.append(f"SMTP  {smtp.server}, port {smtp.port}, {smtp.security}, {login}")
    return lines


def tried_rows(result: Result) -> list[tuple[str, str, str, str]]:
    rows = [("Source", "Query", "Outcome", "Time")]
    for attempt in result.tried:
        rows.append((attempt.source, attempt.query, attempt.outcome(), f"{attempt.ms} ms"))
    return rows
