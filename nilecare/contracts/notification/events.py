"""Events the notification service publishes (the type is the topic)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import ClassVar, Literal

from nilecare.kernel.events.envelope import Event

Severity = Literal["info", "warning", "critical"]


class NotificationCreated(Event):
    """An in-app notification for one user; the gateway pushes it live as ``notification.new``.

    Carries only what the notification centre lists (never the body of a clinical message)."""

    event_type: ClassVar[str] = "notification.created"

    notification_id: uuid.UUID
    user_id: uuid.UUID
    facility_id: uuid.UUID | None = None
    patient_id: uuid.UUID | None = None
    kind: str  # the template, e.g. "vitals.critical"
    severity: Severity
    title: str
    created_at: datetime

    def partition_key(self) -> str:
        return str(self.user_id)


class NotificationSent(Event):
    """A delivery left through a channel (email, sms, push) and the provider accepted it."""

    event_type: ClassVar[str] = "notification.sent"

    delivery_id: uuid.UUID
    notification_id: uuid.UUID
    user_id: uuid.UUID | None = None
    channel: Literal["email", "sms", "push"]
    provider: str
    provider_message_id: str | None = None
    sent_at: datetime

    def partition_key(self) -> str:
        return str(self.notification_id)
