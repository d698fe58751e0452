"""mailaccounts — set up a CRM's company mail accounts."""

__version__ = "0.2.0"
