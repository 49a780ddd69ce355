"""Events the facility service publishes (the type is the topic)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import ClassVar, Literal

from nilecare.kernel.events.envelope import Event


class BedAssigned(Event):
    """A patient (for an encounter) now occupies a bed."""

    event_type: ClassVar[str] = "bed.assigned"

    assignment_id: uuid.UUID
    bed_id: uuid.UUID
    ward_id: uuid.UUID
    facility_id: uuid.UUID
    patient_id: uuid.UUID
    encounter_id: uuid.UUID
    assigned_at: datetime
    # The bed the patient left, when the assignment is the second half of a transfer.
    transferred_from_bed_id: uuid.UUID | None = None

    def partition_key(self) -> str | None:
        return str(self.bed_id)


class BedReleased(Event):
    """A patient left a bed (discharge or transfer); the bed now needs cleaning."""

    event_type: ClassVar[str] = "bed.released"

    assignment_id: uuid.UUID
    bed_id: uuid.UUID
    ward_id: uuid.UUID
    facility_id: uuid.UUID
    patient_id: uuid.UUID
    encounter_id: uuid.UUID
    released_at: datetime
    reason: Literal["release", "transfer"]

    def partition_key(self) -> str | None:
        return str(self.bed_id)
