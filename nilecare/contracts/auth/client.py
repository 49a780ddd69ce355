"""Typed client for the auth service's HTTP API."""

from __future__ import annotations

import uuid
from typing import Any

from nilecare.contracts.auth.schemas import MeRead, UserRead
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

    async def get_user(self, user_id: uuid.UUID, *, token: str | None = None) -> UserRead:
        """A user's contact details (e-mail, phone, name, language); needs ``auth.user.read``
        and the user in the caller's facilities (a service token sees every facility)."""
        body = await self._client.json("GET", f"/api/v1/users/{user_id}", token=token)
        return UserRead.model_validate(body)
