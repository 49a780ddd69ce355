"""Events the lab service publishes (the type is the topic)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import ClassVar

from nilecare.kernel.events.envelope import Event


class LabResultCritical(Event):
    """A released result beyond a critical limit: the ordering clinician is told at once."""

    event_type: ClassVar[str] = "lab.result.critical"

    result_id: uuid.UUID
    order_id: uuid.UUID
    patient_id: uuid.UUID
    facility_id: uuid.UUID
    # The auth user id of the clinician who ordered the test.
    ordering_user_id: uuid.UUID
    test_code: str  # LOINC
    test_name: str
    value: str
    unit: str | None = None
    flag: str  # "critical-low" | "critical-high"
    resulted_at: datetime

    def partition_key(self) -> str:
        return str(self.patient_id)
