"""Events the appointment service publishes (the type is the topic)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import ClassVar

from nilecare.kernel.events.envelope import Event


class AppointmentScheduled(Event):
    """A patient was booked with a provider; reminders go out 24 h and 2 h before ``starts_at``."""

    event_type: ClassVar[str] = "appointment.scheduled"

    appointment_id: uuid.UUID
    patient_id: uuid.UUID
    facility_id: uuid.UUID
    # The staff member seen (business service id) and, if they have an account, its user id.
    provider_staff_id: uuid.UUID
    provider_user_id: uuid.UUID | None = None
    starts_at: datetime
    ends_at: datetime
    reason: str | None = None

    def partition_key(self) -> str:
        return str(self.appointment_id)


class AppointmentUpdated(Event):
    """Status or time changed (confirmed, checked in, rescheduled, ...)."""

    event_type: ClassVar[str] = "appointment.updated"

    appointment_id: uuid.UUID
    patient_id: uuid.UUID
    facility_id: uuid.UUID
    provider_staff_id: uuid.UUID
    provider_user_id: uuid.UUID | None = None
    status: str
    starts_at: datetime
    ends_at: datetime

    def partition_key(self) -> str:
        return str(self.appointment_id)


class AppointmentCancelled(Event):
    """Pending reminders of the appointment are withdrawn."""

    event_type: ClassVar[str] = "appointment.cancelled"

    appointment_id: uuid.UUID
    patient_id: uuid.UUID
    facility_id: uuid.UUID
    provider_staff_id: uuid.UUID
    provider_user_id: uuid.UUID | None = None
    starts_at: datetime
    reason: str | None = None

    def partition_key(self) -> str:
        return str(self.appointment_id)
