"""How an HTTP provider's error status maps onto the two delivery failures."""

from __future__ import annotations

from nilecare.services.notification.channels.base import (
    PermanentDeliveryError,
    TransientDeliveryError,
)

# Refused credentials are this deployment's to fix, after which the message can still go out;
# timeouts and rate limits pass.
_RETRYABLE_CLIENT_ERRORS = frozenset({401, 403, 408, 425, 429})


def error_for_status(status: int, text: str) -> TransientDeliveryError | PermanentDeliveryError:
    if status >= 500 or status in _RETRYABLE_CLIENT_ERRORS:
        return TransientDeliveryError(text)
    return PermanentDeliveryError(text)
