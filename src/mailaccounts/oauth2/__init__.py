"""Signing in with OAuth2 (no Qt): the authorization code with PKCE through
the system browser and a loopback redirect (RFC 8252), the device code for
machines without a browser (RFC 8628), and access tokens refreshed before
use. The grant (refresh token, access token, expiry, who signed in) is a
secret: it lives in the keyring only (``secrets.py``, secret name "oauth2").

The protocol work is Authlib's (a maintained library covering RFC 6749,
7636 and 8628 for any provider, where msal covers Microsoft only), over
httpx2 with the system's trust store. Both load only when a sign-in or a
refresh happens. See docs/architecture.md, "OAuth2".
"""
