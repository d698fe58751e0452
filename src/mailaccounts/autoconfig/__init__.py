"""Automatic configuration from the address ("Einstellungen ermitteln").

From an e-mail address alone, find the POP3 and SMTP settings: the domain's
own autoconfig file, an ISPDB-format database, RFC 6186/8314 SRV records,
and the ISPDB entry of the domain's MX host — in parallel, cancellable, and
within ``Limits.total`` (15 s) whatever the network does. When none of them
answers, common host names are probed without credentials (a guess).

No Qt here; dnspython is imported only when a lookup runs. The entry point
is ``engine.lookup``; what it returns is in ``result.py``.
"""
