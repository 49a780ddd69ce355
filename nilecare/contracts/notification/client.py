"""Typed client for the notification service's HTTP API (what other services call)."""

from __future__ import annotations

from nilecare.contracts.notification.schemas import Language, PasswordResetMail
from nilecare.kernel.http.client import ServiceClient


class NotificationClient:
    def __init__(self, client: ServiceClient) -> None:
        self._client = client

    async def send_password_reset(self, email: str, token: str, language: Language = "ar") -> None:
        """Queue the password-reset mail (a service token with ``notification.send``)."""
        body = PasswordResetMail(email=email, token=token, language=language)
        await self._client.json(
            "POST", "/api/v1/notifications/password-reset", json=body.model_dump(mode="json")
        )
