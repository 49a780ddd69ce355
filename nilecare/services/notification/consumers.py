"""Handlers of other services' events. Each only records a request in the inbox's transaction
(finding recipients calls other services, which the ``notification.prepare`` task does with no
transaction open); a cancelled appointment withdraws its pending reminders at once."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from nilecare.contracts.appointment.events import AppointmentCancelled
from nilecare.kernel.db.types import utcnow
from nilecare.kernel.events.envelope import Envelope
from nilecare.kernel.service import Consumer
from nilecare.kernel.uow import UnitOfWork
from nilecare.services.notification.domain import appointment_reference
from nilecare.services.notification.service.requests import (
    record_requests,
    request_values,
    withdraw_appointment,
)

# The events that become notifications (planning.PLANNERS has one planner for each).
NOTIFYING_EVENTS = (
    "appointment.scheduled",
    "lab.result.critical",
    "vitals.critical",
    "payment.completed",
)


def _request_of(envelope: Envelope) -> dict[str, Any]:
    appointment = envelope.data.get("appointment_id")
    return request_values(
        kind=envelope.type,
        source_event_id=envelope.event_id,
        payload=envelope.data,
        now=utcnow(),
        facility_id=envelope.facility_id,
        reference=appointment_reference(uuid.UUID(str(appointment))) if appointment else None,
    )


async def record_event(uow: UnitOfWork, envelope: Envelope) -> None:
    await record_requests(uow, [_request_of(envelope)])


async def record_events(uow: UnitOfWork, envelopes: Sequence[Envelope]) -> None:
    # A burst (a ward's monitors alarming at once) is one INSERT, not one per event.
    await record_requests(uow, [_request_of(envelope) for envelope in envelopes])


def notifying(event_type: str) -> Consumer:
    """The consumer that records ``event_type``'s notification request."""
    return Consumer(event_type, f"notify-{event_type}", record_event, record_events)


async def withdraw_reminders(uow: UnitOfWork, envelope: Envelope) -> None:
    event = envelope.payload(AppointmentCancelled)
    await withdraw_appointment(
        uow,
        source_event_id=envelope.event_id,
        reference=appointment_reference(event.appointment_id),
        now=utcnow(),
    )


CONSUMERS: tuple[Consumer, ...] = (
    *(notifying(event_type) for event_type in NOTIFYING_EVENTS),
    Consumer("appointment.cancelled", "withdraw-reminders", withdraw_reminders),
)
