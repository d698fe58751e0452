"""mailaccounts — set up a CRM's company mail accounts."""

__version__ = "0.3.0.dev0"
