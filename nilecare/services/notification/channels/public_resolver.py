"""A DNS resolver for connections to hosts that outsiders name (browsers' push endpoints): a
name is used only at the public addresses it resolves to, so an endpoint whose name points
inside the network (or is made to, between a check and the connection) is never called there."""

from __future__ import annotations

import socket

from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import DefaultResolver

from nilecare.services.notification.channels.loopback import is_internal_host, is_loopback_host


class NotAPublicAddress(OSError):
    """The name resolved to internal addresses only."""


class PublicAddressResolver(AbstractResolver):
    """``resolver``'s answers without the addresses that are not globally routable (loopback
    kept when ``allow_loopback``, as in tests)."""

    def __init__(
        self, *, allow_loopback: bool = False, resolver: AbstractResolver | None = None
    ) -> None:
        self._resolver = resolver or DefaultResolver()
        self._allow_loopback = allow_loopback

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        found = await self._resolver.resolve(host, port, family)
        usable = [answer for answer in found if self._usable(answer["host"])]
        if not usable:
            raise NotAPublicAddress(f"{host} resolves to no public address")
        return usable

    def _usable(self, address: str) -> bool:
        if self._allow_loopback and is_loopback_host(address):
            return True
        return not is_internal_host(address)

    async def close(self) -> None:
        await self._resolver.close()
