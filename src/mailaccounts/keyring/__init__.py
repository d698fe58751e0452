"""The OS keyring: the only package that talks to it (see docs/architecture.md)."""
