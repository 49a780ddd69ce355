"""Typed client for the auth service's HTTP API."""

from __future__ import annotations

from typing import Any

from nilecare.contracts.auth.schemas import MeRead
from nilecare.kernel.http.client import ServiceClient


class AuthClient:
    def __init__(self, client: ServiceClient) -> None:
        self._client = client

    async def jwks(self) -> dict[str, Any]:
        document: dict[str, Any] = await self._client.json("GET", "/api/v1/auth/jwks")
        return document

    async def me(self, token: str | None = None) -> MeRead:
        """The caller behind ``token`` (default: the token of the request being served)."""
        body = await self._client.json("GET", "/api/v1/auth/me", token=token)
        return MeRead.model_validate(body)
