"""Account data for tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def pop3_account(number: str = "1000", **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "number": number,
        "address": f"info{number}@mustermann.de",
        "pop3": {"server": "pop.mustermann.de", "username": f"info{number}", "security": "ssl"},
        "smtp": {
            "separate": True,
            "server": "smtp.mustermann.de",
            "security": "starttls",
            "auth": {"required": True, "method": "cram-md5", "username": "smtpuser"},
        },
        "operators": ["ADM"],
    }
    data.update(overrides)
    return data


def exchange_account(number: str = "2000") -> dict[str, Any]:
    """An Exchange account: nothing to fetch over POP3."""
    return {
        "number": number,
        "address": "ex@mustermann.de",
        "exchange": True,
        "exchange_settings": {"server": "ews.mustermann.de", "username": "ex"},
        "operators": ["ADM"],
    }


def local_server_account(
    pop3_port: int,
    smtp_port: int,
    *,
    pop3_password: str,
    smtp_password: str,
    security: str = "ssl",
    method: str = "login",
) -> dict[str, Any]:
    """Account 1000 against test servers on localhost, with its passwords (as
    an account file or an import may carry them)."""
    return {
        "number": "1000",
        "address": "info@mustermann.de",
        "pop3": {
            "server": "localhost",
            "port": pop3_port,
            "username": "info",
            "security": security,
            "password": pop3_password,
        },
        "smtp": {
            "separate": True,
            "server": "localhost",
            "port": smtp_port,
            "security": "starttls",
            "auth": {
                "required": True,
                "method": method,
                "username": "smtpuser",
                "password": smtp_password,
            },
        },
        "operators": ["ADM"],
    }


def save_as_newer_release(store: Path, number: str, version: int = 2) -> None:
    """Make account *number* look as a newer release saves it: a document
    version above this release's and a shape it does not know (``pop3``
    renamed), as an upgrade step of that release might have written it."""
    import json
    import sqlite3

    db = sqlite3.connect(store)
    try:
        (data,) = db.execute("SELECT data FROM accounts WHERE number = ?", (number,)).fetchone()
        doc = json.loads(data)
        doc["incoming"] = doc.pop("pop3")
        with db:
            db.execute(
                "UPDATE accounts SET data = ?, doc_version = ? WHERE number = ?",
                (json.dumps(doc), version, number),
            )
    finally:
        db.close()
