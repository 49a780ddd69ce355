"""What the notification service asks other services while it prepares a request: who the
patient or user is and how to reach them, the ward and its on-duty staff. Called outside any
transaction, as the service itself (a service token). Facility and ward records are reference
data: they are read through the platform cache (REFERENCE_TTL), as every alert on a ward asks for
them again."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from nilecare.contracts.auth.client import AuthClient
from nilecare.contracts.business.client import BusinessClient
from nilecare.contracts.business.schemas import StaffRead
from nilecare.contracts.clinical.client import ClinicalClient
from nilecare.contracts.clinical.schemas import PatientRead
from nilecare.contracts.facility.client import FacilityClient
from nilecare.contracts.facility.schemas import FacilityRead, WardRead
from nilecare.contracts.notification.schemas import Language
from nilecare.kernel.cache import Cache
from nilecare.kernel.http.client import ServiceDirectory

# What the notification service's own token may read to find recipients.
LOOKUP_PERMISSIONS = frozenset(
    {
        "clinical.patient.read",
        "auth.user.read",
        "facility.facility.read",
        "facility.bed.read",
        "business.staff.read",
    }
)

# A renamed ward or facility shows in alerts this much later at most.
REFERENCE_TTL = 60.0


@dataclass(frozen=True)
class Contact:
    """How to reach a person, and in which language."""

    language: Language
    name: str
    email: str | None = None
    phone: str | None = None


def _language(value: object) -> Language:
    return "en" if str(value) == "en" else "ar"


class Lookups:
    def __init__(self, directory: ServiceDirectory, cache: Cache) -> None:
        self._directory = directory
        self._cache = cache

    @property
    def _facility(self) -> FacilityClient:
        return FacilityClient(self._directory.client("facility"))

    async def patient(self, patient_id: uuid.UUID) -> tuple[PatientRead, Contact]:
        patient = await ClinicalClient(self._directory.client("clinical")).get_patient(patient_id)
        language = _language(patient.preferred_language)
        arabic = " ".join(n for n in (patient.given_name_ar, patient.family_name_ar) if n)
        english = f"{patient.given_name_en} {patient.family_name_en}"
        name = arabic if language == "ar" and arabic else english
        return patient, Contact(
            language=language, name=name, email=patient.email, phone=patient.phone
        )

    async def user(self, user_id: uuid.UUID) -> Contact:
        user = await AuthClient(self._directory.client("auth")).get_user(user_id)
        return Contact(
            language=_language(user.preferred_language),
            name=user.full_name,
            email=user.email,
            phone=user.phone,
        )

    async def facility_name(self, facility_id: uuid.UUID) -> str:
        facility = await self._cache.get_or_load(
            f"notification:facility:{facility_id}",
            FacilityRead,
            lambda: self._facility.get_facility(facility_id),
            ttl=REFERENCE_TTL,
        )
        return facility.name

    async def ward(self, ward_id: uuid.UUID) -> WardRead:
        return await self._cache.get_or_load(
            f"notification:ward:{ward_id}",
            WardRead,
            lambda: self._facility.get_ward(ward_id),
            ttl=REFERENCE_TTL,
        )

    async def bed_label(self, bed_id: uuid.UUID) -> str:
        return (await self._facility.get_bed(bed_id)).label

    async def on_duty(
        self, facility_id: uuid.UUID, department_id: uuid.UUID | None, at: datetime
    ) -> list[StaffRead]:
        """The facility's (or department's) nurses and doctors on duty at ``at``."""
        staff = await BusinessClient(self._directory.client("business")).on_duty_staff(
            facility_id, department_id=department_id, kinds=("nurse", "doctor"), at=at
        )
        return [member for member in staff if member.facility_id == facility_id]
