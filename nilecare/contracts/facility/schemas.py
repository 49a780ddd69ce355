"""Wire models of facilities and their structure: departments, wards, rooms, bed board."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from nilecare.contracts.facility.beds import BedAssignmentRead, BedRead, BedStatus
from nilecare.kernel.types import SudanPhone

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Code = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True,
        to_upper=True,
        min_length=1,
        max_length=32,
        pattern=r"^[A-Za-z0-9-]+$",
    ),
]
Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]


class SudanState(StrEnum):
    """The 18 states of Sudan."""

    KHARTOUM = "Khartoum"
    GEZIRA = "Gezira"
    RED_SEA = "Red Sea"
    KASSALA = "Kassala"
    GEDAREF = "Gedaref"
    WHITE_NILE = "White Nile"
    BLUE_NILE = "Blue Nile"
    NORTHERN = "Northern"
    RIVER_NILE = "River Nile"
    SENNAR = "Sennar"
    NORTH_KORDOFAN = "North Kordofan"
    SOUTH_KORDOFAN = "South Kordofan"
    WEST_KORDOFAN = "West Kordofan"
    NORTH_DARFUR = "North Darfur"
    SOUTH_DARFUR = "South Darfur"
    WEST_DARFUR = "West Darfur"
    EAST_DARFUR = "East Darfur"
    CENTRAL_DARFUR = "Central Darfur"


class FacilityKind(StrEnum):
    HOSPITAL = "hospital"
    CLINIC = "clinic"
    HEALTH_CENTRE = "health_centre"
    LABORATORY = "laboratory"
    PHARMACY = "pharmacy"


# --- facilities -----------------------------------------------------------------------------


class FacilityCreate(BaseModel):
    name: Name
    code: Code
    kind: FacilityKind
    state: SudanState
    locality: Name
    phone: SudanPhone | None = None


class FacilityUpdate(BaseModel):
    name: Name | None = None
    kind: FacilityKind | None = None
    state: SudanState | None = None
    locality: Name | None = None
    phone: SudanPhone | None = None
    is_active: bool | None = None


class FacilityRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    code: str
    kind: FacilityKind
    state: SudanState
    locality: str
    phone: str | None
    is_active: bool
    created_at: datetime
    updated_at: datetime


class FacilityPage(BaseModel):
    items: list[FacilityRead]
    total: int
    limit: int
    offset: int


# --- departments, wards, rooms ---------------------------------------------------------------


class DepartmentCreate(BaseModel):
    facility_id: uuid.UUID
    name: Name
    code: Code


class DepartmentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    facility_id: uuid.UUID
    name: str
    code: str


class DepartmentPage(BaseModel):
    items: list[DepartmentRead]
    total: int
    limit: int
    offset: int


class WardCreate(BaseModel):
    facility_id: uuid.UUID
    department_id: uuid.UUID | None = None
    name: Name
    code: Code


class WardRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    facility_id: uuid.UUID
    department_id: uuid.UUID | None
    name: str
    code: str


class WardPage(BaseModel):
    items: list[WardRead]
    total: int
    limit: int
    offset: int


class RoomCreate(BaseModel):
    ward_id: uuid.UUID
    label: Label


class RoomRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    facility_id: uuid.UUID
    ward_id: uuid.UUID
    label: str


class RoomPage(BaseModel):
    items: list[RoomRead]
    total: int
    limit: int
    offset: int


# --- beds ------------------------------------------------------------------------------------


class BedCreate(BaseModel):
    ward_id: uuid.UUID
    room_id: uuid.UUID | None = None
    label: Label


class BedPage(BaseModel):
    items: list[BedRead]
    total: int
    limit: int
    offset: int


class BedStatusChange(BaseModel):
    """What staff may set by hand: ``available`` (cleaning done, back in service) or
    ``out_of_service``. Occupied and cleaning follow from assignment and release."""

    status: BedStatus
    reason: str | None = Field(default=None, max_length=200)


class BedTransferCreate(BaseModel):
    to_bed_id: uuid.UUID
    encounter_id: uuid.UUID


class BedTransferRead(BaseModel):
    released: BedAssignmentRead
    assigned: BedAssignmentRead


class BedAssignmentPage(BaseModel):
    items: list[BedAssignmentRead]
    total: int
    limit: int
    offset: int


class WardOccupancy(BaseModel):
    ward_id: uuid.UUID
    facility_id: uuid.UUID
    total: int
    available: int
    occupied: int
    cleaning: int
    out_of_service: int
