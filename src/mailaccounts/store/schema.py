"""Schema versions and the steps between them.

Each step takes the store from version N-1 to N inside one transaction; the
file is backed up before an existing store is migrated. The SQL is kept
portable (no SQLite-only types) so a PostgreSQL store can share it.
"""

from __future__ import annotations

MIGRATIONS: list[list[str]] = [
    # version 1
    [
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        """CREATE TABLE accounts (
            number TEXT PRIMARY KEY,
            address TEXT NOT NULL,
            exchange INTEGER NOT NULL,
            incoming TEXT NOT NULL,
            outgoing TEXT NOT NULL,
            operators TEXT NOT NULL,
            data TEXT NOT NULL,
            revision INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )""",
        """CREATE TABLE account_secrets (
            number TEXT NOT NULL REFERENCES accounts(number) ON DELETE CASCADE,
            name TEXT NOT NULL,
            ref TEXT NOT NULL,
            PRIMARY KEY (number, name)
        )""",
        """CREATE TABLE assignments (
            number TEXT NOT NULL REFERENCES accounts(number) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            code_key TEXT NOT NULL,
            PRIMARY KEY (number, kind, code_key)
        )""",
        """CREATE TABLE directory (
            kind TEXT NOT NULL,
            code TEXT NOT NULL,
            code_key TEXT NOT NULL,
            name TEXT NOT NULL,
            PRIMARY KEY (kind, code_key)
        )""",
        # keyring entries to remove: written before a keyring write or with the
        # commit that stops referencing an entry, cleared once it is gone
        "CREATE TABLE secret_trash (key TEXT PRIMARY KEY, since TEXT NOT NULL)",
    ],
    # version 2: keys of a save still running belong to its owner (a lock
    # beside the store, see locks.py); NULL marks keys nothing can commit any
    # more, which a purge may remove. Each account document records the shape
    # it was written in (model/upgrade.py); release 0.1.0 wrote shape 1.
    # Fetching mail: which messages of a mailbox (server and user) have been
    # delivered into every inbox, and how the account's last runs went.
    [
        "ALTER TABLE secret_trash ADD COLUMN owner TEXT",
        "ALTER TABLE accounts ADD COLUMN doc_version INTEGER NOT NULL DEFAULT 1",
        """CREATE TABLE fetch_seen (
            number TEXT NOT NULL REFERENCES accounts(number) ON DELETE CASCADE,
            mailbox TEXT NOT NULL,
            uid TEXT NOT NULL,
            delivered_at TEXT NOT NULL,
            PRIMARY KEY (number, mailbox, uid)
        )""",
        """CREATE TABLE fetch_status (
            number TEXT PRIMARY KEY REFERENCES accounts(number) ON DELETE CASCADE,
            last_run TEXT NOT NULL,
            ok INTEGER NOT NULL,
            problem TEXT NOT NULL,
            fetched INTEGER NOT NULL,
            failures INTEGER NOT NULL,
            disabled_reason TEXT NOT NULL
        )""",
    ],
    # version 3: whether scheduled fetching is on (the account's fetch.enabled),
    # a list column like the servers, so the list need not read each document
    [
        "ALTER TABLE accounts ADD COLUMN fetch_on INTEGER NOT NULL DEFAULT 1",
        "UPDATE accounts SET fetch_on = 0 "
        "WHERE json_valid(data) AND json_extract(data, '$.fetch.enabled') = 0",
    ],
    # version 4: a delivered message the server no longer lists is forgotten
    # only once it has been missing for a while (fetching.Listing.forget_gone):
    # from how many full listings in a row, and since when (UTC, ISO 8601)
    [
        "ALTER TABLE fetch_seen ADD COLUMN missing_runs INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE fetch_seen ADD COLUMN missing_since TEXT",
    ],
]

LATEST = len(MIGRATIONS)
