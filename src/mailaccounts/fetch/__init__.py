"""Fetching mail: every POP3 account's messages into the Maildir inboxes of
its operators and workgroups, exactly once (``engine``), and when
(``schedule``). No Qt here."""
