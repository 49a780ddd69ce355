"""Who the client is (IP address) and whether it reached us over HTTPS.

By default the TCP peer is the client and ``X-Forwarded-*`` headers are ignored: anyone can send
them. Only when the peer is one of the configured trusted proxies is ``X-Forwarded-For`` read,
from the right, skipping further trusted proxies: the first address not ours is the client.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from starlette.types import Scope

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

UNKNOWN_CLIENT = "unknown"


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return str(value.decode("latin-1"))
    return None


def _parse_ip(value: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


class ClientAddresses:
    def __init__(self, trusted_proxies: Iterable[str] = ()) -> None:
        self._trusted: tuple[IPNetwork, ...] = tuple(
            ipaddress.ip_network(entry, strict=False) for entry in trusted_proxies
        )

    def _is_trusted(self, address: IPAddress | None) -> bool:
        return address is not None and any(address in network for network in self._trusted)

    def _peer(self, scope: Scope) -> str | None:
        client = scope.get("client")
        return str(client[0]) if client else None

    def _peer_is_trusted(self, scope: Scope) -> bool:
        if not self._trusted:
            return False
        peer = self._peer(scope)
        return peer is not None and self._is_trusted(_parse_ip(peer))

    def client_ip(self, scope: Scope) -> str:
        peer = self._peer(scope)
        if peer is None:
            return UNKNOWN_CLIENT
        if not self._peer_is_trusted(scope):
            return peer
        forwarded = _header(scope, b"x-forwarded-for")
        if not forwarded:
            return peer
        client = peer
        for hop in reversed(forwarded.split(",")):
            address = _parse_ip(hop)
            if address is None:
                break
            client = str(address)
            if not self._is_trusted(address):
                break
        return client

    def is_https(self, scope: Scope) -> bool:
        if scope.get("scheme") in ("https", "wss"):
            return True
        if self._peer_is_trusted(scope):
            proto = _header(scope, b"x-forwarded-proto")
            return proto is not None and proto.split(",")[0].strip().lower() == "https"
        return False


def rate_limit_identity(ip: str) -> str:
    """The key an address is counted under: IPv6 clients by their /64, which one host controls."""
    if ":" not in ip:
        return ip
    address = _parse_ip(ip)
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return ip
