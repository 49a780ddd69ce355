"""Wire models for beds and their assignment, used by the clinical service on admission."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class BedStatus(StrEnum):
    AVAILABLE = "available"
    OCCUPIED = "occupied"
    CLEANING = "cleaning"
    OUT_OF_SERVICE = "out_of_service"


class BedRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    facility_id: uuid.UUID
    ward_id: uuid.UUID
    room_id: uuid.UUID | None
    label: str
    status: BedStatus
    patient_id: uuid.UUID | None
    encounter_id: uuid.UUID | None


class BedAssignmentCreate(BaseModel):
    patient_id: uuid.UUID
    encounter_id: uuid.UUID
    # The patient's facility, when the caller knows it: a bed of another facility is refused
    # (a user of both facilities could otherwise admit a patient to the other's bed).
    facility_id: uuid.UUID | None = None


class BedAssignmentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    bed_id: uuid.UUID
    facility_id: uuid.UUID
    patient_id: uuid.UUID
    encounter_id: uuid.UUID
    assigned_at: datetime
    released_at: datetime | None
