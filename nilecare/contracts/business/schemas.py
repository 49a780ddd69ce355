"""Wire models of the business service's API.

Times of day are ``HH:MM`` in the entry's timezone (``24:00`` allowed as an end: a shift that
runs to midnight); weekdays are 0 = Monday ... 6 = Sunday (the Sudanese working week is Sunday to
Thursday: 6, 0, 1, 2, 3). Money is integer minor units (piastres) with the currency ``SDG``.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, StringConstraints

from nilecare.kernel.types import Page, SudanPhone

DEFAULT_TIMEZONE = "Africa/Khartoum"
# The longest range the availability endpoint computes in one call.
MAX_AVAILABILITY_DAYS = 62

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
# A professional licence (Sudan Medical Council and the like): letters, digits, '/', '-'.
LicenceNumber = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True,
        to_upper=True,
        min_length=3,
        max_length=32,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9/-]*[A-Za-z0-9]$",
    ),
]
Specialty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=100)]
ChargeCode = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True,
        to_upper=True,
        min_length=2,
        max_length=32,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
    ),
]
RegistrationNumber = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=2, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9/ -]*$"
    ),
]
TimeOfDay = Annotated[str, StringConstraints(pattern=r"^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$")]
TimezoneName = Annotated[
    str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_+/-]+$")
]
# Three capital letters (ISO 4217); the service prices in SDG only.
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
# Up to 10^13 piastres: far beyond any hospital price, within a signed 64-bit column.
PriceMinor = Annotated[int, Field(ge=0, le=10**13)]


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- organizations -----------------------------------------------------------------------------


class OrganizationCreate(_Request):
    name: Name
    name_ar: Name | None = None
    registration_number: RegistrationNumber
    phone: SudanPhone | None = None
    email: EmailStr | None = None
    address: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] | None = None


class OrganizationUpdate(_Request):
    name: Name | None = None
    name_ar: Name | None = None
    phone: SudanPhone | None = None
    email: EmailStr | None = None
    address: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] | None = None


class OrganizationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    name_ar: str | None
    registration_number: str
    phone: str | None
    email: str | None
    address: str | None
    created_at: datetime
    updated_at: datetime


class OrganizationPage(Page[OrganizationRead]):
    pass


# --- staff -------------------------------------------------------------------------------------


class StaffKind(StrEnum):
    DOCTOR = "doctor"
    NURSE = "nurse"
    MIDWIFE = "midwife"
    LAB_TECHNICIAN = "lab_technician"
    RADIOGRAPHER = "radiographer"
    PHARMACIST = "pharmacist"
    RECEPTIONIST = "receptionist"
    BILLING_CLERK = "billing_clerk"
    ADMINISTRATOR = "administrator"


class StaffCreate(_Request):
    facility_id: uuid.UUID
    organization_id: uuid.UUID | None = None
    kind: StaffKind
    full_name_en: Name
    full_name_ar: Name
    # Required for licensed professions (doctor, nurse, midwife, lab technician, radiographer,
    # pharmacist); unique per kind.
    licence_number: LicenceNumber | None = None
    specialties: Annotated[list[Specialty], Field(max_length=20)] = []
    department_ids: Annotated[list[uuid.UUID], Field(max_length=50)] = []
    user_id: uuid.UUID | None = None
    is_active: bool = True


class StaffUpdate(_Request):
    organization_id: uuid.UUID | None = None
    full_name_en: Name | None = None
    full_name_ar: Name | None = None
    licence_number: LicenceNumber | None = None
    specialties: Annotated[list[Specialty], Field(max_length=20)] | None = None
    department_ids: Annotated[list[uuid.UUID], Field(max_length=50)] | None = None
    user_id: uuid.UUID | None = None
    is_active: bool | None = None


class StaffRead(BaseModel):
    id: uuid.UUID
    facility_id: uuid.UUID
    organization_id: uuid.UUID | None
    kind: StaffKind
    full_name_en: str
    full_name_ar: str
    licence_number: str | None
    specialties: list[str]
    department_ids: list[uuid.UUID]
    user_id: uuid.UUID | None
    is_active: bool
    created_at: datetime
    updated_at: datetime


class StaffPage(Page[StaffRead]):
    pass


# --- working hours and availability --------------------------------------------------------------


class WorkingHoursCreate(_Request):
    weekday: Annotated[int, Field(ge=0, le=6, description="0 = Monday ... 6 = Sunday")]
    start_time: TimeOfDay
    end_time: TimeOfDay
    # Defaults to the staff member's facility.
    facility_id: uuid.UUID | None = None
    timezone: TimezoneName = DEFAULT_TIMEZONE


class WorkingHoursRead(BaseModel):
    id: uuid.UUID
    staff_id: uuid.UUID
    facility_id: uuid.UUID
    weekday: int
    start_time: str
    end_time: str
    timezone: str


class ExceptionKind(StrEnum):
    UNAVAILABLE = "unavailable"
    EXTRA_HOURS = "extra_hours"


class AvailabilityExceptionCreate(_Request):
    kind: ExceptionKind
    start_date: date
    # Defaults to ``start_date`` (one day).
    end_date: date | None = None
    # Unavailable: both empty means the whole day(s); extra hours: both required.
    start_time: TimeOfDay | None = None
    end_time: TimeOfDay | None = None
    facility_id: uuid.UUID | None = None
    timezone: TimezoneName = DEFAULT_TIMEZONE
    reason: ShortText | None = None


class AvailabilityExceptionRead(BaseModel):
    id: uuid.UUID
    staff_id: uuid.UUID
    facility_id: uuid.UUID
    kind: ExceptionKind
    start_date: date
    end_date: date
    start_time: str | None
    end_time: str | None
    timezone: str
    reason: str | None


class AvailabilityWindow(BaseModel):
    facility_id: uuid.UUID
    start: datetime
    end: datetime
    start_local: datetime
    end_local: datetime


class AvailabilityRead(BaseModel):
    staff_id: uuid.UUID
    timezone: str
    from_date: date
    to_date: date
    windows: list[AvailabilityWindow]


# --- charge master -----------------------------------------------------------------------------


class ChargeCategory(StrEnum):
    CONSULTATION = "consultation"
    ADMISSION = "admission"
    LABORATORY = "laboratory"
    RADIOLOGY = "radiology"
    PROCEDURE = "procedure"
    PHARMACY = "pharmacy"
    NURSING = "nursing"
    OTHER = "other"


class ChargeItemCreate(_Request):
    facility_id: uuid.UUID
    code: ChargeCode
    name_en: Name
    name_ar: Name
    category: ChargeCategory
    price_minor: PriceMinor
    currency: Currency = "SDG"
    is_active: bool = True
    effective_from: date | None = None
    effective_to: date | None = None


class ChargeItemUpdate(_Request):
    name_en: Name | None = None
    name_ar: Name | None = None
    category: ChargeCategory | None = None
    price_minor: PriceMinor | None = None
    currency: Currency | None = None
    is_active: bool | None = None
    effective_from: date | None = None
    effective_to: date | None = None


class ChargeItemRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    facility_id: uuid.UUID
    code: str
    name_en: str
    name_ar: str
    category: ChargeCategory
    price_minor: int
    currency: Literal["SDG"]
    is_active: bool
    effective_from: date
    effective_to: date | None
    created_at: datetime
    updated_at: datetime


class ChargeItemPage(Page[ChargeItemRead]):
    pass
