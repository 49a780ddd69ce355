"""Whether a host name is this machine, where plain-text transports are allowed."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit


def is_loopback_host(host: str) -> bool:
    """``localhost`` or a loopback address literal; other names are not resolved (DNS could
    point them anywhere)."""
    name = host.strip().strip("[]").rstrip(".").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def require_https_unless_loopback(url: str, what: str) -> None:
    """Credentials and personal data travel only over TLS, except to this machine."""
    parts = urlsplit(url)
    if parts.scheme == "https" or (
        parts.scheme == "http" and is_loopback_host(parts.hostname or "")
    ):
        return
    raise ValueError(f"{what} must be an https URL (http only on loopback): {url}")


def is_internal_host(host: str) -> bool:
    """Loopback, or an address literal that is not globally routable (private, link-local)."""
    if is_loopback_host(host):
        return True
    try:
        return not ipaddress.ip_address(host.strip("[]")).is_global
    except ValueError:
        return False
