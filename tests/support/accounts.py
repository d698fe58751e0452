"""Account data for tests."""

from __future__ import annotations

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
