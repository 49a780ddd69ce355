"""Wire models of the notification service: the notification centre, preferences, Web Push
subscriptions, delivery tracking and the password-reset request."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AnyHttpUrl,
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from nilecare.contracts.notification.events import Severity

Language = Literal["ar", "en"]
Channel = Literal["email", "sms", "push"]
# queued (waiting for its time) → sending → sent → delivered | failed; cancelled: withdrawn.
DeliveryStatus = Literal["queued", "sending", "sent", "delivered", "failed", "cancelled"]
TimeOfDay = Annotated[str, StringConstraints(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]
DEFAULT_TIMEZONE = "Africa/Khartoum"


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class NotificationRead(BaseModel):
    id: uuid.UUID
    kind: str
    severity: Severity
    title: str
    body: str
    patient_id: uuid.UUID | None
    facility_id: uuid.UUID | None
    created_at: datetime
    read_at: datetime | None


class NotificationPage(BaseModel):
    items: list[NotificationRead]
    total: int
    # Unread notifications of the caller in all (not only this page).
    unread: int


class UnreadCount(BaseModel):
    unread: int


class ChannelChoice(_Request):
    email: bool = True
    sms: bool = True
    push: bool = True


class QuietHours(_Request):
    """Local times (``HH:MM``); a window may cross midnight (22:00 to 07:00)."""

    start: TimeOfDay
    end: TimeOfDay

    @model_validator(mode="after")
    def _not_empty(self) -> QuietHours:
        if self.start == self.end:
            raise ValueError("quiet hours start and end at different times")
        return self


class Preferences(_Request):
    """How a user wants to be told. Critical alerts ignore quiet hours and go on every channel
    the user can be reached on; other messages wait for the end of quiet hours."""

    language: Language = "ar"
    channels: ChannelChoice = ChannelChoice()
    quiet_hours: QuietHours | None = None
    timezone: Annotated[str, Field(max_length=64)] = DEFAULT_TIMEZONE

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("an IANA time zone such as Africa/Khartoum") from None
        return value


class PushKeys(_Request):
    p256dh: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    auth: Annotated[str, StringConstraints(min_length=1, max_length=100)]


class PushSubscriptionCreate(BaseModel):
    """The browser's ``PushSubscription.toJSON()``."""

    model_config = ConfigDict(extra="ignore")

    endpoint: Annotated[AnyHttpUrl, Field(max_length=1000)]
    keys: PushKeys
    expirationTime: int | None = None  # noqa: N815 - the browser's name

    @field_validator("endpoint")
    @classmethod
    def _https_only(cls, value: AnyHttpUrl) -> AnyHttpUrl:
        if value.scheme != "https":
            raise ValueError("a push endpoint is an https URL")
        return value


class PushSubscriptionRead(BaseModel):
    id: uuid.UUID
    endpoint: str
    created_at: datetime


class VapidPublicKey(BaseModel):
    # The application server key for ``pushManager.subscribe``, URL-safe base64.
    public_key: str


class DeliveryRead(BaseModel):
    id: uuid.UUID
    notification_id: uuid.UUID
    channel: Channel
    # e.g. ``a****@example.org``, ``+2499****678``, ``push (fcm.googleapis.com)``
    address: str
    status: DeliveryStatus
    provider: str | None
    provider_message_id: str | None
    attempts: int
    due_at: datetime
    sent_at: datetime | None
    delivered_at: datetime | None
    last_error: str | None
    created_at: datetime


class PasswordResetMail(_Request):
    email: EmailStr
    token: Annotated[str, StringConstraints(min_length=16, max_length=256)]
    language: Language = "ar"


class Accepted(BaseModel):
    status: Literal["accepted"] = "accepted"
