"""Staff members: registration at a facility, changes, reads (facility-scoped)."""

from __future__ import annotations

import uuid

from sqlalchemy.exc import IntegrityError

from nilecare.contracts.business.events import StaffCreated
from nilecare.contracts.business.schemas import (
    StaffCreate,
    StaffKind,
    StaffPage,
    StaffRead,
    StaffUpdate,
)
from nilecare.kernel.db.scope import FacilityScope
from nilecare.kernel.errors import Conflict, ValidationFailed
from nilecare.kernel.uow import UnitOfWork
from nilecare.services.business.domain import check_licence, clean_specialties
from nilecare.services.business.models import Staff, StaffDepartment, StaffSpecialty
from nilecare.services.business.repository import Organizations, StaffMembers
from nilecare.services.business.service.common import check_facility, checked, not_found


def staff_read(staff: Staff) -> StaffRead:
    return StaffRead(
        id=staff.id,
        facility_id=staff.facility_id,
        organization_id=staff.organization_id,
        kind=StaffKind(staff.kind),
        full_name_en=staff.full_name_en,
        full_name_ar=staff.full_name_ar,
        licence_number=staff.licence_number,
        specialties=staff.specialties,
        department_ids=staff.department_ids,
        user_id=staff.user_id,
        is_active=staff.is_active,
        created_at=staff.created_at,
        updated_at=staff.updated_at,
    )


def _licence_taken() -> Conflict:
    return Conflict(
        "A staff member of this kind already holds this licence number", slug="licence-taken"
    )


def _user_linked() -> Conflict:
    return Conflict("This user account is linked to another staff member", slug="user-linked")


def _specialty_rows(specialties: list[str]) -> list[StaffSpecialty]:
    return [
        StaffSpecialty(specialty=name, position=i)
        for i, name in enumerate(clean_specialties(specialties))
    ]


def _department_rows(department_ids: list[uuid.UUID]) -> list[StaffDepartment]:
    return [
        StaffDepartment(department_id=d, position=i)
        for i, d in enumerate(dict.fromkeys(department_ids))
    ]


async def _check_organization(uow: UnitOfWork, organization_id: uuid.UUID | None) -> None:
    if (
        organization_id is not None
        and await Organizations(uow.session).get(organization_id) is None
    ):
        raise ValidationFailed.field("organization_id", "no such organization")


async def _flush_unique(uow: UnitOfWork) -> None:
    """Flush; a unique index refusing the row (a concurrent writer won) becomes a 409."""
    try:
        await uow.session.flush()
    except IntegrityError as error:
        text = str(error.orig).lower()
        raise (_user_linked() if "user_id" in text else _licence_taken()) from None


async def visible_staff(
    uow: UnitOfWork, scope: FacilityScope, staff_id: uuid.UUID, *, for_update: bool = False
) -> Staff:
    staff = await StaffMembers(uow.session, scope).get(staff_id, for_update=for_update)
    if staff is None:
        raise not_found("staff member")
    return staff


async def create_staff(
    uow: UnitOfWork,
    scope: FacilityScope,
    data: StaffCreate,
    *,
    staff_id: uuid.UUID | None = None,
) -> StaffRead:
    """Register a staff member; ``staff_id`` lets the demo seed choose stable ids."""
    check_facility(scope, data.facility_id)
    checked(check_licence, data.kind.value, data.licence_number)
    await _check_organization(uow, data.organization_id)
    members = StaffMembers(uow.session, scope)
    if data.licence_number and await members.licence_taken(data.kind.value, data.licence_number):
        raise _licence_taken()
    if data.user_id is not None and await members.user_linked(data.user_id):
        raise _user_linked()
    staff = Staff(
        id=staff_id or uuid.uuid4(),
        facility_id=data.facility_id,
        organization_id=data.organization_id,
        kind=data.kind.value,
        full_name_en=data.full_name_en,
        full_name_ar=data.full_name_ar,
        licence_number=data.licence_number,
        user_id=data.user_id,
        is_active=data.is_active,
        specialty_rows=_specialty_rows(data.specialties),
        department_rows=_department_rows(data.department_ids),
    )
    uow.session.add(staff)
    await _flush_unique(uow)
    uow.publish(
        StaffCreated(
            staff_id=staff.id,
            facility_id=staff.facility_id,
            kind=staff.kind,
            full_name_en=staff.full_name_en,
            full_name_ar=staff.full_name_ar,
            licence_number=staff.licence_number,
            specialties=staff.specialties,
            department_ids=staff.department_ids,
            user_id=staff.user_id,
        ),
        facility_id=staff.facility_id,
    )
    uow.audit(
        "staff.create",
        "staff",
        staff.id,
        facility_id=staff.facility_id,
        details={"kind": staff.kind},
    )
    await uow.commit()
    return staff_read(staff)


async def get_staff(uow: UnitOfWork, scope: FacilityScope, staff_id: uuid.UUID) -> StaffRead:
    return staff_read(await visible_staff(uow, scope, staff_id))


async def list_staff(
    uow: UnitOfWork,
    scope: FacilityScope,
    *,
    facility_id: uuid.UUID | None = None,
    kind: StaffKind | None = None,
    department_id: uuid.UUID | None = None,
    specialty: str | None = None,
    active: bool | None = None,
    q: str | None = None,
    user_id: uuid.UUID | None = None,
    limit: int = 50,
    offset: int = 0,
) -> StaffPage:
    rows, total = await StaffMembers(uow.session, scope).page(
        facility_id=facility_id,
        kind=kind.value if kind is not None else None,
        department_id=department_id,
        specialty=specialty,
        active=active,
        q=q,
        user_id=user_id,
        limit=limit,
        offset=offset,
    )
    return StaffPage(items=[staff_read(s) for s in rows], total=total, limit=limit, offset=offset)


_REQUIRED = ("full_name_en", "full_name_ar", "specialties", "department_ids", "is_active")


async def update_staff(
    uow: UnitOfWork, scope: FacilityScope, staff_id: uuid.UUID, data: StaffUpdate
) -> StaffRead:
    staff = await visible_staff(uow, scope, staff_id)
    fields = data.model_fields_set
    for name in _REQUIRED:
        if name in fields and getattr(data, name) is None:
            raise ValidationFailed.field(name, "may be changed but not removed")
    members = StaffMembers(uow.session, scope)
    changed: list[str] = []
    if "licence_number" in fields and data.licence_number != staff.licence_number:
        checked(check_licence, staff.kind, data.licence_number)
        if data.licence_number and await members.licence_taken(
            staff.kind, data.licence_number, other_than=staff.id
        ):
            raise _licence_taken()
        staff.licence_number = data.licence_number
        changed.append("licence_number")
    if "user_id" in fields and data.user_id != staff.user_id:
        if data.user_id is not None and await members.user_linked(
            data.user_id, other_than=staff.id
        ):
            raise _user_linked()
        staff.user_id = data.user_id
        changed.append("user_id")
    if "organization_id" in fields and data.organization_id != staff.organization_id:
        await _check_organization(uow, data.organization_id)
        staff.organization_id = data.organization_id
        changed.append("organization_id")
    for name in ("full_name_en", "full_name_ar", "is_active"):
        value = getattr(data, name)
        if name in fields and value != getattr(staff, name):
            setattr(staff, name, value)
            changed.append(name)
    if data.specialties is not None:
        wanted = clean_specialties(data.specialties)
        if wanted != staff.specialties:
            staff.specialty_rows = []
            await uow.session.flush()
            staff.specialty_rows = _specialty_rows(wanted)
            changed.append("specialties")
    if data.department_ids is not None:
        departments = list(dict.fromkeys(data.department_ids))
        if departments != staff.department_ids:
            staff.department_rows = []
            await uow.session.flush()
            staff.department_rows = _department_rows(departments)
            changed.append("department_ids")
    if changed:
        await _flush_unique(uow)
        uow.audit(
            "staff.update",
            "staff",
            staff.id,
            facility_id=staff.facility_id,
            details={"fields": changed},
        )
        await uow.commit()
    return staff_read(staff)
