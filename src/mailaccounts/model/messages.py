"""English message templates for problem codes.

The GUI passes each template through Qt's translator (context "problems"); the
``QT_TRANSLATE_NOOP`` marker lets ``pyside6-lupdate`` find them without this
module importing Qt.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .translatable import QT_TRANSLATE_NOOP

if TYPE_CHECKING:  # wording a problem needs only its attributes
    from .problems import Problem

TEMPLATES: dict[str, str] = {
    "required": QT_TRANSLATE_NOOP("problems", "is required"),
    "wrong_type": QT_TRANSLATE_NOOP("problems", "must be {expected}"),
    "invalid_choice": QT_TRANSLATE_NOOP("problems", "must be one of {choices}"),
    "unknown_field": QT_TRANSLATE_NOOP("problems", "is not a known field"),
    "number_format": QT_TRANSLATE_NOOP("problems", "must be exactly 4 digits, 0001 to 9999"),
    "number_taken": QT_TRANSLATE_NOOP("problems", "account {value} exists already"),
    "number_readonly": QT_TRANSLATE_NOOP(
        "problems", "cannot be changed once the account is saved (duplicate it instead)"
    ),
    "address_invalid": QT_TRANSLATE_NOOP("problems", "is not a valid e-mail address: {reason}"),
    "host_invalid": QT_TRANSLATE_NOOP(
        "problems", "is not a valid host name, IPv4 or IPv6 address: {reason}"
    ),
    "url_invalid": QT_TRANSLATE_NOOP("problems", "is not a valid host name or EWS URL: {reason}"),
    "https_required": QT_TRANSLATE_NOOP(
        "problems", "must be an https:// address: sign-in codes and tokens travel there"
    ),
    "https_url_invalid": QT_TRANSLATE_NOOP("problems", "is not a valid https:// address: {reason}"),
    "port_range": QT_TRANSLATE_NOOP("problems", "must be a port number from 1 to 65535"),
    "code_format": QT_TRANSLATE_NOOP(
        "problems",
        "“{value}” is not a valid code (1–20 letters, digits, “_”, “-” or “.”)",
    ),
    "operator_required": QT_TRANSLATE_NOOP(
        "problems", "at least one operator is needed, or no mail can be fetched"
    ),
    "operator_unknown": QT_TRANSLATE_NOOP("problems", "operator “{value}” is not in the directory"),
    "workgroup_unknown": QT_TRANSLATE_NOOP(
        "problems", "workgroup “{value}” is not in the directory"
    ),
    "several_operators": QT_TRANSLATE_NOOP(
        "problems",
        "{count} operators: each inbox receives its own physical copy of every mail",
    ),
    "several_workgroups": QT_TRANSLATE_NOOP(
        "problems",
        "{count} workgroups: each inbox receives its own physical copy of every mail",
    ),
    "cleartext_password": QT_TRANSLATE_NOOP(
        "problems", "the password travels unencrypted: choose SSL/TLS or STARTTLS"
    ),
    "too_long": QT_TRANSLATE_NOOP("problems", "is longer than {max} characters"),
    "client_number_format": QT_TRANSLATE_NOOP("problems", "must be 1 to 10 digits"),
    "code_reserved": QT_TRANSLATE_NOOP(
        "problems",
        "“{value}” cannot name an inbox folder (“.”, “..”, a trailing dot or a name Windows "
        "reserves, such as CON or NUL); choose another code",
    ),
    "time_format": QT_TRANSLATE_NOOP(
        "problems", "“{value}” is not a time of day (HH:MM, 24 hours)"
    ),
    "number_range": QT_TRANSLATE_NOOP("problems", "must be a whole number from {low} to {high}"),
    "delete_needs_leave": QT_TRANSLATE_NOOP(
        "problems", "deleting after some days applies only when mail is left on the server"
    ),
    "invalid_text": QT_TRANSLATE_NOOP("problems", "contains control characters"),
    "secret_control": QT_TRANSLATE_NOOP(
        "problems", "must not contain line breaks or NUL characters"
    ),
    "exchange_not_testable": QT_TRANSLATE_NOOP(
        "problems", "testing Exchange accounts is not available yet"
    ),
    # connection test
    "dns_not_found": QT_TRANSLATE_NOOP("problems", "the host name {host} was not found (DNS)"),
    "connection_refused": QT_TRANSLATE_NOOP(
        "problems", "{host}:{port} refused the connection (nothing listens there)"
    ),
    "connection_failed": QT_TRANSLATE_NOOP(
        "problems", "could not connect to {host}:{port}: {reason}"
    ),
    "timed_out": QT_TRANSLATE_NOOP("problems", "no answer from {host} within {seconds} s"),
    "connection_lost": QT_TRANSLATE_NOOP("problems", "the server closed the connection: {reason}"),
    "tls_handshake_failed": QT_TRANSLATE_NOOP(
        "problems", "the TLS handshake with {host} failed: {reason}"
    ),
    "cert_untrusted": QT_TRANSLATE_NOOP(
        "problems", "the certificate of {host} is not trusted: {reason}"
    ),
    "cert_wrong_name": QT_TRANSLATE_NOOP(
        "problems", "the certificate is not valid for the name {host}: {reason}"
    ),
    "cert_expired": QT_TRANSLATE_NOOP(
        "problems", "the certificate of {host} has expired or is not valid yet: {reason}"
    ),
    "cert_pin_mismatch": QT_TRANSLATE_NOOP(
        "problems",
        "the certificate of {host} is not the one trusted for this account; it has changed",
    ),
    "starttls_not_offered": QT_TRANSLATE_NOOP(
        "problems", "{host} does not offer STARTTLS, so no password was sent"
    ),
    "starttls_refused": QT_TRANSLATE_NOOP("problems", "the server refused to start TLS: {text}"),
    "mechanism_not_offered": QT_TRANSLATE_NOOP(
        "problems", "the server does not offer {mechanism}; it offers: {offered}"
    ),
    "auth_rejected": QT_TRANSLATE_NOOP("problems", "the server rejected the login: {text}"),
    "password_missing": QT_TRANSLATE_NOOP("problems", "no password is stored or typed ({field})"),
    "protocol_error": QT_TRANSLATE_NOOP("problems", "unexpected answer from the server: {text}"),
    "send_rejected": QT_TRANSLATE_NOOP("problems", "the server refused the test message: {text}"),
    "cancelled": QT_TRANSLATE_NOOP("problems", "cancelled"),
    "fingerprint_format": QT_TRANSLATE_NOOP(
        "problems", "must be a SHA-256 fingerprint (64 hexadecimal digits)"
    ),
    "unsafe_value": QT_TRANSLATE_NOOP(
        "problems", "{field} contains a line break or NUL character and was not sent"
    ),
    "smtputf8_not_offered": QT_TRANSLATE_NOOP(
        "problems",
        "the server does not offer SMTPUTF8: addresses with non-ASCII characters are not accepted",
    ),
    "reply_too_long": QT_TRANSLATE_NOOP(
        "problems",
        "the server's reply is too long (more than {lines} lines, {bytes} bytes or {line_bytes}"
        " bytes in one line); the test stopped reading it",
    ),
    "step_deadline": QT_TRANSLATE_NOOP(
        "problems",
        "{host} did not finish this step within {seconds} s: its answer comes too slowly",
    ),
    # OAuth2
    "oauth2_settings_required": QT_TRANSLATE_NOOP(
        "problems", "signing in with OAuth2 needs the OAuth2 settings (provider and client ID)"
    ),
    "oauth2_not_with_spa": QT_TRANSLATE_NOOP(
        "problems", "OAuth2 and SPA (NTLM) exclude each other: choose one"
    ),
    "oauth2_signin_required": QT_TRANSLATE_NOOP(
        "problems", "the OAuth2 sign-in is missing, expired or was revoked: sign in again"
    ),
    "oauth2_failed": QT_TRANSLATE_NOOP("problems", "OAuth2 sign-in failed: {reason}"),
    # providers that stop password login (model/providers.py)
    "password_off_microsoft_pop3": QT_TRANSLATE_NOOP(
        "problems",
        "{host}: Microsoft 365 no longer accepts passwords for POP3 (basic authentication "
        "is off since 2022/23): switch the account to OAuth2",
    ),
    "password_ending_microsoft_smtp": QT_TRANSLATE_NOOP(
        "problems",
        "{host}: Microsoft 365 turns password login for SMTP (SMTP AUTH) off by default from "
        "the end of December 2026: switch the account to OAuth2",
    ),
    "password_off_google": QT_TRANSLATE_NOOP(
        "problems",
        "{host}: Google no longer accepts passwords here (Google Workspace since "
        "September 2024, other accounts only with an app password): switch the account "
        "to OAuth2",
    ),
    "provider_password_refused": QT_TRANSLATE_NOOP(
        "problems",
        "{provider} no longer accepts passwords for this server: switch the account to "
        "OAuth2 (the server said: {text})",
    ),
    "oauth2_deadline": QT_TRANSLATE_NOOP(
        "problems", "the OAuth2 provider {host} did not answer in full within {seconds} s"
    ),
    "oauth2_answer_too_large": QT_TRANSLATE_NOOP(
        "problems",
        "the OAuth2 provider {host} answered with more than {max} KiB; the answer was refused",
    ),
    "oauth2_no_access_token": QT_TRANSLATE_NOOP(
        "problems", "the OAuth2 provider answered without an access token: not signed in"
    ),
    # fetching mail
    "busy": QT_TRANSLATE_NOOP(
        "problems", "this account is being fetched already (by another window or process)"
    ),
    "exchange_not_fetched": QT_TRANSLATE_NOOP(
        "problems", "Exchange accounts are not fetched over POP3"
    ),
    "no_inbox": QT_TRANSLATE_NOOP(
        "problems", "no operator or workgroup is assigned, so there is no inbox to fetch into"
    ),
    "uidl_not_offered": QT_TRANSLATE_NOOP(
        "problems",
        "the server cannot tell its messages apart (no UIDL), so mail cannot be left on it: "
        "fetch with removal from the server instead",
    ),
    "uidl_not_unique": QT_TRANSLATE_NOOP(
        "problems",
        "the server gives two messages the same id (UIDL), so mail cannot be left on it: "
        "fetch with removal from the server instead",
    ),
    "inbox_full": QT_TRANSLATE_NOOP(
        "problems", "the disk of inbox {inbox} is full; nothing was removed from the server"
    ),
    "inbox_failed": QT_TRANSLATE_NOOP(
        "problems",
        "inbox {inbox} cannot be written ({reason}); nothing was removed from the server",
    ),
    "mail_folder_link": QT_TRANSLATE_NOOP(
        "problems",
        "{path} is a link, and the program follows no links below the mail root: nothing "
        "was fetched or removed. Remove the link; the next run makes a folder there",
    ),
    "mail_folder_not_folder": QT_TRANSLATE_NOOP(
        "problems",
        "{path} is not a folder: nothing was fetched. Move it away; the next run makes the "
        "folder there",
    ),
    "staging_foreign": QT_TRANSLATE_NOOP(
        "problems",
        "{path} is a folder, but only files of unfinished runs belong there: nothing was "
        "fetched. Remove that folder",
    ),
    "message_too_large": QT_TRANSLATE_NOOP(
        "problems", "a message is larger than {limit} bytes and was not fetched"
    ),
    "retrieve_rejected": QT_TRANSLATE_NOOP(
        "problems", "the server refused to hand out a message: {text}"
    ),
    "delete_rejected": QT_TRANSLATE_NOOP(
        "problems",
        "the server refused to remove a fetched message: {text} (it is not fetched again)",
    ),
    "delete_not_committed": QT_TRANSLATE_NOOP(
        "problems",
        "the server kept the fetched messages it was to remove: {text} "
        "(the next run removes them; they are not fetched again)",
    ),
    "mailbox_in_use": QT_TRANSLATE_NOOP(
        "problems", "the mailbox is in use by another session, try later: {text}"
    ),
    "fetch_failed": QT_TRANSLATE_NOOP(
        "problems",
        "the run stopped at an unexpected error ({reason}); nothing was removed from the "
        "server that is not in every inbox",
    ),
    "account_missing": QT_TRANSLATE_NOOP("problems", "the account does not exist (any more)"),
    "account_deleted": QT_TRANSLATE_NOOP(
        "problems",
        "the account was deleted while it was being fetched; the copies already delivered "
        "stay in the inboxes",
    ),
    "keyring_failed": QT_TRANSLATE_NOOP("problems", "the password could not be read: {reason}"),
    # automatic configuration ("tried": what each query answered)
    "running": QT_TRANSLATE_NOOP("problems", "running…"),
    "autoconfig_found": QT_TRANSLATE_NOOP("problems", "found: POP3 {pop3}, SMTP {smtp}"),
    "autoconfig_found_http": QT_TRANSLATE_NOOP(
        "problems", "found over unencrypted HTTP ({url}): POP3 {pop3}, SMTP {smtp}"
    ),
    "autoconfig_imap_only": QT_TRANSLATE_NOOP("problems", "offers only IMAP, no POP3 server"),
    "autoconfig_unusable": QT_TRANSLATE_NOOP(
        "problems", "its POP3 servers need a logon method this program does not have ({methods})"
    ),
    "autoconfig_oauth2_unknown": QT_TRANSLATE_NOOP(
        "problems",
        "its POP3 servers sign in only with OAuth2, and the file does not say where "
        "(no usable <oAuth2> section)",
    ),
    "autoconfig_no_pop3": QT_TRANSLATE_NOOP("problems", "names no POP3 server"),
    "autoconfig_http_status": QT_TRANSLATE_NOOP("problems", "the server answered HTTP {status}"),
    "autoconfig_bad_xml": QT_TRANSLATE_NOOP("problems", "not a configuration file: {reason}"),
    "autoconfig_encoding": QT_TRANSLATE_NOOP(
        "problems",
        "cannot be read: the file is written in the encoding {encoding}, which this "
        "program cannot read",
    ),
    "autoconfig_doctype": QT_TRANSLATE_NOOP(
        "problems", "refused: the file declares a DOCTYPE or entities"
    ),
    "autoconfig_too_large": QT_TRANSLATE_NOOP("problems", "refused: larger than {limit} bytes"),
    "autoconfig_bad_url": QT_TRANSLATE_NOOP(
        "problems", "refused: {url} is not an http or https address"
    ),
    "autoconfig_redirects": QT_TRANSLATE_NOOP("problems", "refused: more than {count} redirects"),
    "autoconfig_nxdomain": QT_TRANSLATE_NOOP("problems", "the name does not exist (NXDOMAIN)"),
    "autoconfig_no_records": QT_TRANSLATE_NOOP("problems", "no {type} records"),
    "autoconfig_dns_timeout": QT_TRANSLATE_NOOP(
        "problems", "no answer from the DNS server within {seconds} s"
    ),
    "autoconfig_dns_failed": QT_TRANSLATE_NOOP("problems", "the DNS query failed: {reason}"),
    "autoconfig_records": QT_TRANSLATE_NOOP(
        "problems", "offered (priority weight port target): {records}"
    ),
    "autoconfig_not_offered": QT_TRANSLATE_NOOP("problems", "not offered (the target is “.”)"),
    "autoconfig_null_mx": QT_TRANSLATE_NOOP("problems", "the domain receives no mail (null MX)"),
    "autoconfig_mx": QT_TRANSLATE_NOOP(
        "problems", "mail goes to {host}: its domain {domain} is looked up in the ISPDB"
    ),
    "autoconfig_mx_domains": QT_TRANSLATE_NOOP(
        "problems", "mail goes to {host}: {domains} are looked up in the ISPDB, in this order"
    ),
    "autoconfig_mx_own": QT_TRANSLATE_NOOP(
        "problems", "mail goes to {host}, in the address's own domain: nothing more to look up"
    ),
    "autoconfig_answers": QT_TRANSLATE_NOOP("problems", "answers: {greeting}"),
    "autoconfig_skipped": QT_TRANSLATE_NOOP(
        "problems", "not waited for: a source ranked higher answered"
    ),
    "autoconfig_stopped": QT_TRANSLATE_NOOP(
        "problems", "stopped: the lookup's {seconds} s were over"
    ),
    "autoconfig_dropped": QT_TRANSLATE_NOOP("problems", "{path} dropped: {reason}"),
}


def template(code: str) -> str:
    return TEMPLATES.get(code, code)


def fill_in(text: str, params: Mapping[str, Any]) -> str:
    """A message template (English or translated) with the parameters put in;
    the template as it is when they do not fit it."""
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError):
        return text


def describe(problem: Problem) -> str:
    """The problem in English, without its field path: the wording of the CLI,
    the JSON output and the log (the window's is ``gui/texts.problem_text``)."""
    return fill_in(template(problem.code), problem.params)
