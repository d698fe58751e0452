"""TLS with the system's trust store and the right host name, or with a
certificate the admin pinned for this server of this account."""

from __future__ import annotations

import hashlib
import socket
import ssl

from cryptography import x509

from .report import CertificateInfo, NetError, server_text
from .transport import CancelToken, wire_name

# OpenSSL verify codes that get their own message
_EXPIRED = 10  # X509_V_ERR_CERT_HAS_EXPIRED
_NOT_YET_VALID = 9
_HOSTNAME_MISMATCH = 62  # X509_V_ERR_HOSTNAME_MISMATCH
_IP_MISMATCH = 64  # X509_V_ERR_IP_ADDRESS_MISMATCH


def fingerprint(der: bytes) -> str:
    digest = hashlib.sha256(der).hexdigest().upper()
    return ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))


def normalise_fingerprint(value: str) -> str:
    hexdigits = value.replace(":", "").replace(" ", "").upper()
    return ":".join(hexdigits[i : i + 2] for i in range(0, len(hexdigits), 2))


def certificate_info(der: bytes, host: str) -> CertificateInfo:
    cert = x509.load_der_x509_certificate(der)
    return CertificateInfo(
        host=host,
        # the server chose these names: no terminal escapes in what we show
        subject=server_text(cert.subject.rfc4514_string(), 1000),
        issuer=server_text(cert.issuer.rfc4514_string(), 1000),
        not_before=cert.not_valid_before_utc.isoformat(),
        not_after=cert.not_valid_after_utc.isoformat(),
        sha256=fingerprint(der),
    )


def verified_context() -> ssl.SSLContext:
    return ssl.create_default_context()


def unverified_context() -> ssl.SSLContext:
    """Only for a pinned certificate (compared by fingerprint) or to show an
    untrusted one to the admin; never to send credentials unchecked."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def handshake(
    sock: socket.socket,
    server_name: str,
    pinned_sha256: str | None,
    timeout: float,
    cancel: CancelToken | None = None,
) -> ssl.SSLSocket:
    """Wrap *sock*; the certificate is verified, or must match the pin.

    Raises NetError: cert_untrusted / cert_wrong_name / cert_expired (the
    caller adds the certificate's details), cert_pin_mismatch, or
    tls_handshake_failed.
    """
    context = unverified_context() if pinned_sha256 else verified_context()
    name = wire_name(server_name)
    # wrap first, shake hands second: the TLS socket takes the file descriptor
    # over, so it is the one a cancel must be able to shut down
    try:
        tls = context.wrap_socket(sock, server_hostname=name, do_handshake_on_connect=False)
    except OSError as exc:  # a peer that reset the connection already: nothing to wrap
        sock.close()
        raise _handshake_error(exc, server_name, timeout, cancel) from None
    if cancel is not None:
        cancel.register(tls)
    try:
        tls.do_handshake()
    except Exception as exc:
        tls.close()
        raise _handshake_error(exc, server_name, timeout, cancel) from None
    if pinned_sha256:
        der = tls.getpeercert(binary_form=True) or b""
        if fingerprint(der) != normalise_fingerprint(pinned_sha256):
            tls.close()
            raise NetError(
                "cert_pin_mismatch", certificate_info(der, server_name), host=server_name
            )
    return tls


def _handshake_error(
    exc: Exception, server_name: str, timeout: float, cancel: CancelToken | None
) -> NetError:
    if isinstance(exc, ssl.SSLCertVerificationError):
        code = {
            _EXPIRED: "cert_expired",
            _NOT_YET_VALID: "cert_expired",
            _HOSTNAME_MISMATCH: "cert_wrong_name",
            _IP_MISMATCH: "cert_wrong_name",
        }.get(exc.verify_code, "cert_untrusted")
        return NetError(code, host=server_name, reason=exc.verify_message)
    if cancel is not None and cancel.cancelled:
        return NetError("cancelled")
    if isinstance(exc, TimeoutError):
        return NetError("timed_out", host=server_name, seconds=timeout)
    if isinstance(exc, OSError):  # ssl.SSLError and connection errors
        return NetError("tls_handshake_failed", host=server_name, reason=str(exc)[:200])
    raise exc


def peer_certificate(sock: socket.socket, server_name: str) -> CertificateInfo | None:
    """Handshake without verification, only to show the admin the certificate."""
    tls = unverified_context().wrap_socket(
        sock, server_hostname=wire_name(server_name), do_handshake_on_connect=False
    )
    try:
        tls.do_handshake()
        der = tls.getpeercert(binary_form=True)
        return certificate_info(der, server_name) if der else None
    except OSError:
        return None
    finally:
        tls.close()
