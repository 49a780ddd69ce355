"""Typed client for the auth service's HTTP API."""

from __future__ import annotations

from typing import Any

from nilecare.kernel.http.client import ServiceClient


class AuthClient:
    def __init__(self, client: ServiceClient) -> None:
        self._client = client

    async def jwks(self) -> dict[str, Any]:
        document: dict[str, Any] = await self._client.json("GET", "/api/v1/auth/jwks")
        return document
