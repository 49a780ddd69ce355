"""Facilities and their structure: departments, wards, rooms and beds as places."""

from __future__ import annotations

import uuid

from sqlalchemy.exc import IntegrityError

from nilecare.contracts.facility.beds import BedRead, BedStatus
from nilecare.contracts.facility.schemas import (
    BedCreate,
    DepartmentCreate,
    DepartmentPage,
    DepartmentRead,
    FacilityCreate,
    FacilityPage,
    FacilityRead,
    FacilityUpdate,
    RoomCreate,
    RoomPage,
    RoomRead,
    WardCreate,
    WardOccupancy,
    WardPage,
    WardRead,
)
from nilecare.kernel.auth.principal import Principal
from nilecare.kernel.errors import Conflict, Forbidden, ValidationFailed
from nilecare.kernel.uow import UnitOfWork
from nilecare.services.facility.models import Bed, Department, Facility, Room, Ward
from nilecare.services.facility.service.common import not_found, repository


async def _commit_unique(uow: UnitOfWork, field: str, message: str) -> None:
    """Commit; a uniqueness race lost to another writer is a 409 naming the field."""
    try:
        await uow.commit()
    except IntegrityError:
        await uow.rollback()
        raise Conflict(f"{field}: {message}", slug="duplicate", field=field) from None


# --- facilities -------------------------------------------------------------------------------


async def create_facility(
    uow: UnitOfWork, principal: Principal, data: FacilityCreate
) -> FacilityRead:
    # A facility-scoped caller could not see the facility it made: only cross-facility callers
    # (super admin) open new facilities; the others manage the structure of their own.
    if not principal.all_facilities:
        raise Forbidden(
            "Only a cross-facility administrator can open a new facility",
            slug="facility-out-of-scope",
        )
    repo = repository(uow, principal)
    if await repo.facility_code_taken(data.code):
        raise Conflict("code: a facility with this code exists", slug="duplicate", field="code")
    facility = Facility(
        name=data.name,
        code=data.code,
        kind=data.kind.value,
        state=data.state.value,
        locality=data.locality,
        phone=data.phone,
        is_active=True,
    )
    uow.session.add(facility)
    await uow.session.flush()
    uow.audit(
        "facility.facility.create",
        "facility",
        facility.id,
        facility_id=facility.id,
        details={"code": data.code},
    )
    await _commit_unique(uow, "code", "a facility with this code exists")
    return FacilityRead.model_validate(facility)


async def get_facility(
    uow: UnitOfWork, principal: Principal, facility_id: uuid.UUID
) -> FacilityRead:
    facility = await repository(uow, principal).facility(facility_id)
    if facility is None:
        raise not_found("facility")
    return FacilityRead.model_validate(facility)


async def list_facilities(
    uow: UnitOfWork, principal: Principal, *, limit: int, offset: int
) -> FacilityPage:
    rows, total = await repository(uow, principal).facilities(limit=limit, offset=offset)
    return FacilityPage(
        items=[FacilityRead.model_validate(row) for row in rows],
        total=total,
        limit=limit,
        offset=offset,
    )


async def update_facility(
    uow: UnitOfWork, principal: Principal, facility_id: uuid.UUID, data: FacilityUpdate
) -> FacilityRead:
    facility = await repository(uow, principal).facility(facility_id)
    if facility is None:
        raise not_found("facility")
    changes = data.model_dump(exclude_unset=True)
    for name in ("name", "locality", "is_active"):
        if changes.get(name) is not None:
            setattr(facility, name, changes[name])
    if data.kind is not None:
        facility.kind = data.kind.value
    if data.state is not None:
        facility.state = data.state.value
    if "phone" in changes:
        facility.phone = data.phone
    await uow.session.flush()
    uow.audit(
        "facility.facility.update",
        "facility",
        facility.id,
        facility_id=facility.id,
        details={"fields": sorted(changes)},
    )
    await uow.commit()
    return FacilityRead.model_validate(facility)


# --- departments ------------------------------------------------------------------------------


async def create_department(
    uow: UnitOfWork, principal: Principal, data: DepartmentCreate
) -> DepartmentRead:
    repo = repository(uow, principal)
    if await repo.facility(data.facility_id) is None:
        raise not_found("facility")
    if await repo.department_code_taken(data.facility_id, data.code):
        raise Conflict(
            "code: the facility has a department with this code", slug="duplicate", field="code"
        )
    department = Department(facility_id=data.facility_id, name=data.name, code=data.code)
    uow.session.add(department)
    await uow.session.flush()
    uow.audit(
        "facility.department.create",
        "department",
        department.id,
        facility_id=department.facility_id,
    )
    await _commit_unique(uow, "code", "the facility has a department with this code")
    return DepartmentRead.model_validate(department)


async def get_department(
    uow: UnitOfWork, principal: Principal, department_id: uuid.UUID
) -> DepartmentRead:
    department = await repository(uow, principal).department(department_id)
    if department is None:
        raise not_found("department")
    return DepartmentRead.model_validate(department)


async def list_departments(
    uow: UnitOfWork,
    principal: Principal,
    *,
    facility_id: uuid.UUID | None,
    limit: int,
    offset: int,
) -> DepartmentPage:
    rows, total = await repository(uow, principal).departments(
        facility_id=facility_id, limit=limit, offset=offset
    )
    return DepartmentPage(
        items=[DepartmentRead.model_validate(row) for row in rows],
        total=total,
        limit=limit,
        offset=offset,
    )


# --- wards ------------------------------------------------------------------------------------


async def create_ward(uow: UnitOfWork, principal: Principal, data: WardCreate) -> WardRead:
    repo = repository(uow, principal)
    if await repo.facility(data.facility_id) is None:
        raise not_found("facility")
    if data.department_id is not None:
        department = await repo.department(data.department_id)
        if department is None or department.facility_id != data.facility_id:
            raise ValidationFailed.field("department_id", "no such department in this facility")
    if await repo.ward_code_taken(data.facility_id, data.code):
        raise Conflict(
            "code: the facility has a ward with this code", slug="duplicate", field="code"
        )
    ward = Ward(
        facility_id=data.facility_id,
        department_id=data.department_id,
        name=data.name,
        code=data.code,
    )
    uow.session.add(ward)
    await uow.session.flush()
    uow.audit("facility.ward.create", "ward", ward.id, facility_id=ward.facility_id)
    await _commit_unique(uow, "code", "the facility has a ward with this code")
    return WardRead.model_validate(ward)


async def get_ward(uow: UnitOfWork, principal: Principal, ward_id: uuid.UUID) -> WardRead:
    ward = await repository(uow, principal).ward(ward_id)
    if ward is None:
        raise not_found("ward")
    return WardRead.model_validate(ward)


async def list_wards(
    uow: UnitOfWork,
    principal: Principal,
    *,
    facility_id: uuid.UUID | None,
    department_id: uuid.UUID | None,
    limit: int,
    offset: int,
) -> WardPage:
    rows, total = await repository(uow, principal).wards(
        facility_id=facility_id, department_id=department_id, limit=limit, offset=offset
    )
    return WardPage(
        items=[WardRead.model_validate(row) for row in rows],
        total=total,
        limit=limit,
        offset=offset,
    )


async def ward_occupancy(
    uow: UnitOfWork, principal: Principal, ward_id: uuid.UUID
) -> WardOccupancy:
    repo = repository(uow, principal)
    ward = await repo.ward(ward_id)
    if ward is None:
        raise not_found("ward")
    counts = await repo.occupancy(ward_id)
    return WardOccupancy(
        ward_id=ward.id,
        facility_id=ward.facility_id,
        total=sum(counts.values()),
        available=counts.get(BedStatus.AVAILABLE.value, 0),
        occupied=counts.get(BedStatus.OCCUPIED.value, 0),
        cleaning=counts.get(BedStatus.CLEANING.value, 0),
        out_of_service=counts.get(BedStatus.OUT_OF_SERVICE.value, 0),
    )


# --- rooms ------------------------------------------------------------------------------------


async def create_room(uow: UnitOfWork, principal: Principal, data: RoomCreate) -> RoomRead:
    repo = repository(uow, principal)
    ward = await repo.ward(data.ward_id)
    if ward is None:
        raise not_found("ward")
    if await repo.room_label_taken(ward.id, data.label):
        raise Conflict(
            "label: the ward has a room with this label", slug="duplicate", field="label"
        )
    room = Room(facility_id=ward.facility_id, ward_id=ward.id, label=data.label)
    uow.session.add(room)
    await uow.session.flush()
    uow.audit("facility.room.create", "room", room.id, facility_id=room.facility_id)
    await _commit_unique(uow, "label", "the ward has a room with this label")
    return RoomRead.model_validate(room)


async def get_room(uow: UnitOfWork, principal: Principal, room_id: uuid.UUID) -> RoomRead:
    room = await repository(uow, principal).room(room_id)
    if room is None:
        raise not_found("room")
    return RoomRead.model_validate(room)


async def list_rooms(
    uow: UnitOfWork, principal: Principal, *, ward_id: uuid.UUID | None, limit: int, offset: int
) -> RoomPage:
    rows, total = await repository(uow, principal).rooms(
        ward_id=ward_id, limit=limit, offset=offset
    )
    return RoomPage(
        items=[RoomRead.model_validate(row) for row in rows],
        total=total,
        limit=limit,
        offset=offset,
    )


# --- beds (as places) -------------------------------------------------------------------------


async def create_bed(uow: UnitOfWork, principal: Principal, data: BedCreate) -> BedRead:
    repo = repository(uow, principal)
    ward = await repo.ward(data.ward_id)
    if ward is None:
        raise not_found("ward")
    if data.room_id is not None:
        room = await repo.room(data.room_id)
        if room is None or room.ward_id != ward.id:
            raise ValidationFailed.field("room_id", "no such room in this ward")
    if await repo.bed_label_taken(ward.id, data.label):
        raise Conflict("label: the ward has a bed with this label", slug="duplicate", field="label")
    bed = Bed(
        facility_id=ward.facility_id,
        ward_id=ward.id,
        room_id=data.room_id,
        label=data.label,
        status=BedStatus.AVAILABLE.value,
    )
    uow.session.add(bed)
    await uow.session.flush()
    uow.audit("facility.bed.create", "bed", bed.id, facility_id=bed.facility_id)
    await _commit_unique(uow, "label", "the ward has a bed with this label")
    return BedRead.model_validate(bed)
