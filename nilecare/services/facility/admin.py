"""Administrative functions the CLI calls (``nilecare seed demo``), given the facility
service's context; no HTTP server needed."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from nilecare.contracts.facility.beds import BedAssignmentCreate, BedStatus
from nilecare.contracts.facility.schemas import FacilityKind, SudanState
from nilecare.kernel.auth.principal import Principal
from nilecare.kernel.service import ServiceContext
from nilecare.services.facility.models import Bed, Department, Facility, Room, Ward
from nilecare.services.facility.service.beds import assign_bed

# Fixed ids, so other services' demo seeds (and auth's demo users) can refer to them. The
# teaching hospital is the auth service's demo facility (its DEMO_FACILITY_ID).
KHARTOUM_TEACHING_HOSPITAL_ID = uuid.UUID("6f1c2a4e-5b7d-4c8e-9a0f-1d2e3f405162")
OMDURMAN_CLINIC_ID = uuid.UUID("7a2d3b5f-6c8e-4d9f-8b1a-2e3f40516273")

BEDS_PER_ROOM = 4


@dataclass(frozen=True)
class DemoWard:
    facility_id: uuid.UUID
    ward_id: uuid.UUID
    department_id: uuid.UUID
    code: str
    name: str
    bed_ids: tuple[uuid.UUID, ...]


@dataclass(frozen=True)
class DemoFacilities:
    khartoum_teaching_hospital_id: uuid.UUID
    omdurman_clinic_id: uuid.UUID
    wards: tuple[DemoWard, ...]

    @property
    def facility_ids(self) -> tuple[uuid.UUID, uuid.UUID]:
        return (self.khartoum_teaching_hospital_id, self.omdurman_clinic_id)

    def wards_of(self, facility_id: uuid.UUID) -> tuple[DemoWard, ...]:
        return tuple(ward for ward in self.wards if ward.facility_id == facility_id)

    def departments_of(self, facility_id: uuid.UUID) -> tuple[uuid.UUID, ...]:
        """The departments of the facility's wards, each once."""
        return tuple(dict.fromkeys(ward.department_id for ward in self.wards_of(facility_id)))

    def name_of(self, facility_id: uuid.UUID) -> str:
        """A demo facility's name (the id itself for any other facility)."""
        return next((plan.name for plan in PLANS if plan.id == facility_id), str(facility_id))


@dataclass(frozen=True)
class _FacilityPlan:
    id: uuid.UUID
    name: str
    code: str
    kind: FacilityKind
    locality: str
    phone: str
    # (department code, department name, ward code, ward name, beds)
    wards: tuple[tuple[str, str, str, str, int], ...]


PLANS = (
    _FacilityPlan(
        id=KHARTOUM_TEACHING_HOSPITAL_ID,
        name="Khartoum Teaching Hospital",
        code="KTH",
        kind=FacilityKind.HOSPITAL,
        locality="Khartoum",
        phone="+249183777000",
        wards=(
            ("IM", "Internal Medicine", "MED", "Medical Ward", 16),
            ("SURG", "Surgery", "SURG", "Surgical Ward", 16),
            ("PAED", "Paediatrics", "PAED", "Paediatric Ward", 12),
            ("EM", "Emergency", "ED", "Emergency Observation", 8),
            ("OBS", "Obstetrics", "MAT", "Maternity Ward", 8),
        ),
    ),
    _FacilityPlan(
        id=OMDURMAN_CLINIC_ID,
        name="Omdurman Family Clinic",
        code="OFC",
        kind=FacilityKind.CLINIC,
        locality="Omdurman",
        phone="+249187555000",
        wards=(
            ("GP", "General Practice", "OBSV", "Observation Ward", 6),
            ("OBS", "Obstetrics", "MAT", "Maternity Room", 4),
        ),
    ),
)


def _id(*parts: object) -> uuid.UUID:
    """Stable ids below a facility, so a second run finds what the first made."""
    return uuid.uuid5(uuid.NAMESPACE_URL, "nilecare:facility-demo:" + "/".join(map(str, parts)))


async def seed_demo(context: ServiceContext) -> DemoFacilities:
    """Two facilities in Khartoum state (a teaching hospital with 60 beds, a clinic in Omdurman
    with 10) with departments, wards, rooms and beds. Adds only what is missing: safe to run
    again, and it answers the same ids each time."""
    wards: list[DemoWard] = []
    async with context.unit_of_work() as uow:
        session = uow.session
        created = 0
        for plan in PLANS:
            if await session.get(Facility, plan.id) is None:
                session.add(
                    Facility(
                        id=plan.id,
                        name=plan.name,
                        code=plan.code,
                        kind=plan.kind.value,
                        state=SudanState.KHARTOUM.value,
                        locality=plan.locality,
                        phone=plan.phone,
                        is_active=True,
                    )
                )
                await session.flush()
                created += 1
            for dept_code, dept_name, ward_code, ward_name, bed_count in plan.wards:
                department_id = _id(plan.id, "department", dept_code)
                if await session.get(Department, department_id) is None:
                    session.add(
                        Department(
                            id=department_id,
                            facility_id=plan.id,
                            name=dept_name,
                            code=dept_code,
                        )
                    )
                    await session.flush()
                    created += 1
                ward_id = _id(plan.id, "ward", ward_code)
                if await session.get(Ward, ward_id) is None:
                    session.add(
                        Ward(
                            id=ward_id,
                            facility_id=plan.id,
                            department_id=department_id,
                            name=ward_name,
                            code=ward_code,
                        )
                    )
                    await session.flush()
                    created += 1
                created += await _seed_beds(uow.session, plan.id, ward_id, ward_code, bed_count)
                bed_ids = await session.scalars(
                    select(Bed.id).where(Bed.ward_id == ward_id).order_by(Bed.label)
                )
                wards.append(
                    DemoWard(plan.id, ward_id, department_id, ward_code, ward_name, tuple(bed_ids))
                )
        if created:
            uow.audit("facility.demo.seed", "facility", details={"rows": created})
        await uow.commit()
    return DemoFacilities(KHARTOUM_TEACHING_HOSPITAL_ID, OMDURMAN_CLINIC_ID, tuple(wards))


async def _seed_beds(
    session: AsyncSession, facility_id: uuid.UUID, ward_id: uuid.UUID, ward_code: str, count: int
) -> int:
    created = 0
    for number in range(1, count + 1):
        room_label = f"{ward_code}-R{(number - 1) // BEDS_PER_ROOM + 1}"
        room_id = _id(facility_id, "room", ward_code, room_label)
        if await session.get(Room, room_id) is None:
            session.add(
                Room(id=room_id, facility_id=facility_id, ward_id=ward_id, label=room_label)
            )
            await session.flush()
            created += 1
        bed_id = _id(facility_id, "bed", ward_code, number)
        if await session.get(Bed, bed_id) is None:
            session.add(
                Bed(
                    id=bed_id,
                    facility_id=facility_id,
                    ward_id=ward_id,
                    room_id=room_id,
                    label=f"{ward_code}-{number:02d}",
                    status=BedStatus.AVAILABLE.value,
                )
            )
            created += 1
    await session.flush()
    return created


# The seed acts in every facility as the system: its audit rows name the nil UUID as actor.
_SEED = Principal(
    user_id=uuid.UUID(int=0),
    email=None,
    roles=frozenset(),
    permissions=frozenset(),
    facility_ids=frozenset(),
    all_facilities=True,
    session_id=None,
    token_id="demo-seed",  # noqa: S106 - an identifier, not a secret
    expires_at=0,
)


async def occupy_demo_beds(
    context: ServiceContext, admissions: Mapping[uuid.UUID, BedAssignmentCreate]
) -> int:
    """Hold each bed for the demo patient the clinical seed admitted to it, through the same use
    case as an admission (audit row and ``bed.assigned`` event); returns how many were new.
    A bed held already for that encounter is left as it is."""
    created = 0
    for bed_id, assignment in admissions.items():
        async with context.unit_of_work() as uow:
            outcome = await assign_bed(uow, _SEED, bed_id, assignment)
        created += outcome.created
    return created
