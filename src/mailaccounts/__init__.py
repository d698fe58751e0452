"""mailaccounts — set up a CRM's company mail accounts."""

__version__ = "0.1.0"
