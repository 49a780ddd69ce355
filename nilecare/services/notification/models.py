"""The notification service's tables, on its own MetaData (with the kernel's outbox, inbox and
audit). Text that may name a patient (bodies, template values, addresses, push subscriptions)
is stored encrypted with the platform keyring."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from nilecare.contracts.notification.events import Severity
from nilecare.contracts.notification.schemas import Channel, DeliveryStatus, Language
from nilecare.kernel.db.base import IdMixin, service_metadata
from nilecare.kernel.db.kernel_tables import add_kernel_tables
from nilecare.kernel.db.types import JSONDocument, UTCDateTime, utcnow

metadata = service_metadata()
kernel_tables = add_kernel_tables(metadata)


class Base(DeclarativeBase):
    metadata = metadata


class NotificationRequest(IdMixin, Base):
    """An event (or a service's call) waiting to be turned into notifications.

    Consumers only record the event here: finding its recipients calls other services, which is
    done by the ``notification.prepare`` task outside any transaction. The payload is the event's
    data, as the publisher's outbox holds it (ids and values, no names or addresses)."""

    __tablename__ = "notification_requests"
    __table_args__ = (Index("ix_notification_requests_status_due_at", "status", "due_at"),)

    source_event_id: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True)
    # The event type (``vitals.critical``) or the request's kind (``auth.password_reset``).
    kind: Mapped[str] = mapped_column(String(64))
    # What the notifications are about, for withdrawing them (``appointment:<id>``).
    reference: Mapped[str | None] = mapped_column(String(80), nullable=True, index=True)
    facility_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
    # queued → sending (a task holds it) → done | failed
    status: Mapped[str] = mapped_column(String(16), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_error: Mapped[str | None] = mapped_column(String(200), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Notification(IdMixin, Base):
    """One message to one recipient: a user (in-app and their channels), a patient (their
    phone), or a bare address (a password-reset mail)."""

    __tablename__ = "notifications"
    __table_args__ = (
        # A redelivered or re-prepared event creates nothing twice.
        UniqueConstraint("source_event_id", "recipient", "kind"),
        Index("ix_notifications_user_id_in_app_created_at", "user_id", "in_app", "created_at"),
    )

    source_event_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    # ``user:<id>``, ``patient:<id>`` or ``address:<keyed hash>``.
    recipient: Mapped[str] = mapped_column(String(80))
    user_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    patient_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    facility_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    kind: Mapped[str] = mapped_column(String(64))
    severity: Mapped[Severity] = mapped_column(String(16))
    language: Mapped[Language] = mapped_column(String(2))
    reference: Mapped[str | None] = mapped_column(String(80), nullable=True, index=True)
    # Shown in the notification centre (only users have one).
    in_app: Mapped[bool] = mapped_column(Boolean, default=False)
    # Titles never name a patient (they travel in ``notification.created``); bodies may.
    title: Mapped[str] = mapped_column(String(200))
    body_enc: Mapped[str] = mapped_column(Text)
    # The template's values, rendered again for each channel when it is sent.
    context_enc: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class Delivery(IdMixin, Base):
    """One notification through one channel to one address, and what became of it."""

    __tablename__ = "deliveries"
    __table_args__ = (Index("ix_deliveries_status_due_at", "status", "due_at"),)

    notification_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("notifications.id"), index=True
    )
    channel: Mapped[Channel] = mapped_column(String(8))
    address_enc: Mapped[str] = mapped_column(Text)
    # The masked address shown in delivery tracking, so listing needs no decryption.
    address_hint: Mapped[str] = mapped_column(String(120))
    # queued → sending → sent → delivered | failed; cancelled (a withdrawn reminder).
    status: Mapped[DeliveryStatus] = mapped_column(String(16), default="queued")
    provider: Mapped[str | None] = mapped_column(String(40), nullable=True)
    provider_message_id: Mapped[str | None] = mapped_column(String(200), nullable=True, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_error: Mapped[str | None] = mapped_column(String(200), nullable=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Preference(Base):
    """A user's language, channels and quiet hours (no row: the defaults)."""

    __tablename__ = "preferences"

    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    language: Mapped[Language] = mapped_column(String(2))
    email: Mapped[bool] = mapped_column(Boolean)
    sms: Mapped[bool] = mapped_column(Boolean)
    push: Mapped[bool] = mapped_column(Boolean)
    quiet_start: Mapped[str | None] = mapped_column(String(5), nullable=True)
    quiet_end: Mapped[str | None] = mapped_column(String(5), nullable=True)
    timezone: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class PushSubscription(IdMixin, Base):
    """A browser's Web Push subscription; an endpoint belongs to the user who last registered
    it."""

    __tablename__ = "push_subscriptions"

    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    # SHA-256 of the endpoint: unique without indexing a 1,000-character URL.
    endpoint_digest: Mapped[str] = mapped_column(String(64), unique=True)
    endpoint: Mapped[str] = mapped_column(Text)
    # The subscription JSON (endpoint and keys) as the push adapter takes it.
    subscription_enc: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
