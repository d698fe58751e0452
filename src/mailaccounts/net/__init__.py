"""Talking to the account's real servers: the connection test. No Qt here."""
