"""Events the business service publishes (the type is the topic)."""

from __future__ import annotations

import uuid
from typing import ClassVar

from nilecare.kernel.events.envelope import Event


class StaffCreated(Event):
    """A staff member (doctor, nurse, ...) was registered at a facility."""

    event_type: ClassVar[str] = "staff.created"

    staff_id: uuid.UUID
    facility_id: uuid.UUID
    kind: str
    full_name_en: str
    full_name_ar: str
    licence_number: str | None
    specialties: list[str]
    department_ids: list[uuid.UUID]
    user_id: uuid.UUID | None

    def partition_key(self) -> str:
        return str(self.staff_id)
