"""What every channel adapter implements, and what a provider's status webhook turns into.

An adapter sends one rendered message to one address and returns the provider's id for it; it
raises ``TransientDeliveryError`` when trying again later may work (timeouts, 5xx, 429) and
``PermanentDeliveryError`` when it never will (invalid number, 4xx, push subscription gone).
Status webhooks are verified by the adapter's own signature scheme before they are believed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, Protocol

ChannelName = Literal["email", "sms", "push"]
DeliveryStatus = Literal["queued", "sent", "delivered", "failed"]


@dataclass(frozen=True)
class OutboundMessage:
    channel: ChannelName
    # An e-mail address, an E.164 phone number, or a Web Push subscription as JSON.
    address: str
    body: str
    subject: str | None = None
    html: str | None = None
    # Our delivery id, passed to providers that echo a reference back in their webhooks.
    reference: str | None = None
    # BCP 47 tag of the text ("ar", "en"): e-mail's Content-Language.
    language: str | None = None
    # The web app's page the message is about, a path on the app's origin: a push opens it.
    url: str | None = None


@dataclass(frozen=True)
class SendReceipt:
    provider: str
    provider_message_id: str | None
    # Most providers only accept ("sent"); a webhook later says "delivered" or "failed".
    status: DeliveryStatus = "sent"


@dataclass(frozen=True)
class StatusUpdate:
    provider_message_id: str
    status: DeliveryStatus
    error: str | None = None


class DeliveryError(Exception):
    pass


class TransientDeliveryError(DeliveryError):
    """Worth retrying with backoff."""


class PermanentDeliveryError(DeliveryError):
    """Retrying cannot help; the delivery is marked failed."""


class WebhookRejected(Exception):
    """A status webhook whose signature or body does not verify (answered 401/400)."""


class ChannelAdapter(Protocol):
    provider: str
    channel: ChannelName

    async def send(self, message: OutboundMessage) -> SendReceipt: ...

    async def aclose(self) -> None: ...


class StatusWebhook(Protocol):
    """Parses a provider's delivery-status callback after checking its signature."""

    provider: str

    def verify_and_parse(
        self, *, url: str, headers: Mapping[str, str], body: bytes
    ) -> list[StatusUpdate]: ...
