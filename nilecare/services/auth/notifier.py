"""How a password-reset token reaches its owner.

The auth service only knows the ``PasswordResetNotifier`` interface; the notification service
plugs in an implementation that sends mail or SMS by setting ``AuthState.notifier``. Until then
``LogPasswordResetNotifier`` writes the token to the log in development and test (so a developer
can finish the flow) and, in production, only warns that no channel is configured.
"""

from __future__ import annotations

from typing import Protocol

import structlog

log = structlog.get_logger("nilecare.auth.notifier")


class PasswordResetNotifier(Protocol):
    async def send_password_reset(self, email: str, token: str) -> None: ...


class LogPasswordResetNotifier:
    def __init__(self, *, development: bool) -> None:
        self.development = development

    async def send_password_reset(self, email: str, token: str) -> None:
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


def mask_email(email: str) -> str:
    """``d*****@example.org``: enough to tell requests apart, not to identify a person."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}{'*' * max(len(local) - 1, 1)}@{domain}"
