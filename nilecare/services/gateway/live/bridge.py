"""From the event bus to live messages: which event goes out as what, on which topics.

The gateway consumes the events below as one consumer (``gateway.live``; with Kafka one consumer
group, so each event reaches one gateway replica, which hands it to all through the fan-out).
Messages carry ids and flags, never names: the client fetches details over the API, where access
is checked and audited. An event older than the alert window is no longer live (a new consumer
group starts at the oldest retained event) and is dropped.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import structlog
from pydantic import ValidationError

from nilecare.contracts.appointment.events import (
    AppointmentCancelled,
    AppointmentScheduled,
    AppointmentUpdated,
)
from nilecare.contracts.clinical.events import VitalsCritical, VitalsRecorded
from nilecare.contracts.notification.events import NotificationCreated
from nilecare.kernel.events.bus import EventBus
from nilecare.kernel.events.envelope import Envelope
from nilecare.services.gateway.live.alerts import AlertStore
from nilecare.services.gateway.live.hub import Fanout
from nilecare.services.gateway.live.messages import (
    ALERT_CRITICAL,
    APPOINTMENT_UPDATED,
    NOTIFICATION_NEW,
    VITALS_UPDATE,
    LiveMessage,
)
from nilecare.services.gateway.live.topics import (
    facility_topic,
    patient_topic,
    user_topic,
    ward_topic,
)

# One consumer (a Kafka consumer group) per event type: gateway.live.<type>.
CONSUMER = "gateway.live"

log = structlog.get_logger("nilecare.gateway.live")


@dataclass(frozen=True)
class Outgoing:
    """One event's live form: its name, the topics it goes out on, and its data."""

    event: str
    topics: list[str]
    facility_id: uuid.UUID | None
    data: dict[str, Any]


def _vitals_recorded(envelope: Envelope) -> Outgoing:
    event = envelope.payload(VitalsRecorded)
    topics = [patient_topic(event.patient_id)]
    if event.ward_id is not None:
        topics.append(ward_topic(event.ward_id))
    data = event.model_dump(
        mode="json",
        include={"patient_id", "vital_signs_id", "critical", "flags", "ward_id", "recorded_at"},
    )
    return Outgoing(VITALS_UPDATE, topics, event.facility_id, data)


def _vitals_critical(envelope: Envelope) -> Outgoing:
    event = envelope.payload(VitalsCritical)
    topics = [patient_topic(event.patient_id), facility_topic(event.facility_id)]
    if event.ward_id is not None:
        topics.append(ward_topic(event.ward_id))
    data = event.model_dump(
        mode="json",
        include={
            "patient_id",
            "vital_signs_id",
            "values",
            "flags",
            "ward_id",
            "bed_id",
            "recorded_at",
        },
    )
    return Outgoing(ALERT_CRITICAL, topics, event.facility_id, data)


def _notification_created(envelope: Envelope) -> Outgoing:
    event = envelope.payload(NotificationCreated)
    data = event.model_dump(
        mode="json",
        include={"notification_id", "kind", "severity", "title", "created_at", "patient_id"},
    )
    return Outgoing(NOTIFICATION_NEW, [user_topic(event.user_id)], event.facility_id, data)


def _appointment(
    event_class: type[AppointmentScheduled | AppointmentUpdated | AppointmentCancelled],
    change: str,
) -> Callable[[Envelope], Outgoing]:
    def outgoing(envelope: Envelope) -> Outgoing:
        event = envelope.payload(event_class)
        topics = [facility_topic(event.facility_id)]
        if event.provider_user_id is not None:
            topics.append(user_topic(event.provider_user_id))
        data = event.model_dump(
            mode="json",
            include={
                "appointment_id",
                "patient_id",
                "provider_staff_id",
                "provider_user_id",
                "starts_at",
                "ends_at",
                "status",
            },
        )
        # Scheduled and cancelled events have no status field of their own.
        data.setdefault("status", change)
        return Outgoing(APPOINTMENT_UPDATED, topics, event.facility_id, {**data, "change": change})

    return outgoing


MAPPINGS: dict[str, Callable[[Envelope], Outgoing]] = {
    VitalsRecorded.event_type: _vitals_recorded,
    VitalsCritical.event_type: _vitals_critical,
    NotificationCreated.event_type: _notification_created,
    AppointmentScheduled.event_type: _appointment(AppointmentScheduled, "scheduled"),
    AppointmentUpdated.event_type: _appointment(AppointmentUpdated, "updated"),
    AppointmentCancelled.event_type: _appointment(AppointmentCancelled, "cancelled"),
}


def live_messages(envelope: Envelope) -> list[LiveMessage]:
    """The live messages of one bus event; raises ``ValidationError`` for a malformed payload,
    ``KeyError`` for an event type that has no live form."""
    outgoing = MAPPINGS[envelope.type](envelope)
    # Every message says its facility, so delivery can check it for each receiving user.
    data = {
        **outgoing.data,
        "facility_id": str(outgoing.facility_id) if outgoing.facility_id else None,
    }
    return [
        LiveMessage(
            event=outgoing.event,
            topic=topic,
            id=str(envelope.event_id),
            at=envelope.occurred_at,
            facility_id=outgoing.facility_id,
            data=data,
        )
        for topic in outgoing.topics
    ]


class LiveBridge:
    def __init__(self, fanout: Fanout, alerts: AlertStore, *, max_age_seconds: int) -> None:
        self.fanout = fanout
        self.alerts = alerts
        self.max_age = timedelta(seconds=max_age_seconds)

    def subscribe(self, bus: EventBus) -> None:
        """Call inside the running event loop (the Kafka bus starts its consumers here)."""
        for event_type in MAPPINGS:
            bus.subscribe(event_type, f"{CONSUMER}.{event_type}", self.handle)

    async def handle(self, envelope: Envelope) -> None:
        if datetime.now(UTC) - envelope.occurred_at > self.max_age:
            log.info("live_event_too_old", type=envelope.type, event_id=str(envelope.event_id))
            return
        try:
            messages = live_messages(envelope)
        except ValidationError as exc:
            # Retrying cannot fix a payload; it would only hold up the events behind it.
            log.error(
                "live_event_malformed",
                type=envelope.type,
                event_id=str(envelope.event_id),
                errors=exc.error_count(),
            )
            return
        for message in messages:
            if message.event == ALERT_CRITICAL:
                await self.alerts.record(message)
            await self.fanout.publish(message)
