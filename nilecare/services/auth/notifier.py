"""How a password-reset token reaches its owner.

The auth service only knows the ``PasswordResetNotifier`` interface. ``NotificationServiceNotifier``
asks the notification service to mail the link, with the auth service's own token (the request
that asked for the reset has no caller). In development and test it also writes the token to the
log through ``LogPasswordResetNotifier``, so a developer without a mail server can finish the
flow; in production the token never reaches a log.
"""

from __future__ import annotations

from typing import Protocol

import structlog

from nilecare.contracts.auth.schemas import Language
from nilecare.contracts.notification.client import NotificationClient
from nilecare.kernel.context import acting_as_service
from nilecare.kernel.http.client import ServiceDirectory

log = structlog.get_logger("nilecare.auth.notifier")


class PasswordResetNotifier(Protocol):
    async def send_password_reset(
        self, email: str, token: str, *, language: Language = "ar"
    ) -> None:
        """Send the reset token to ``email``, in the user's ``language``."""


class LogPasswordResetNotifier:
    def __init__(self, *, development: bool) -> None:
        self.development = development

    async def send_password_reset(
        self, email: str, token: str, *, language: Language = "ar"
    ) -> None:
        if self.development:
            # Deliberately under a key the log redaction lets through: development only.
            log.info(
                "password_reset_token_issued",
                recipient=mask_email(email),
                development_reset_value=token,
            )
        else:
            log.warning(
                "password_reset_not_delivered",
                reason="no password-reset notifier is configured",
            )


class NotificationServiceNotifier:
    def __init__(self, directory: ServiceDirectory, *, development: bool) -> None:
        self._directory = directory
        self._log = LogPasswordResetNotifier(development=True) if development else None

    async def send_password_reset(
        self, email: str, token: str, *, language: Language = "ar"
    ) -> None:
        if self._log is not None:
            await self._log.send_password_reset(email, token, language=language)
        with acting_as_service("auth"):
            client = NotificationClient(self._directory.client("notification"))
            await client.send_password_reset(email, token, language)


def mask_email(email: str) -> str:
    """``d*****@example.org``: enough to tell requests apart, not to identify a person."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}{'*' * max(len(local) - 1, 1)}@{domain}"
