"""``/api/v1/staff``: staff members, their weekly hours, exceptions and availability."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Response
from pydantic import AwareDatetime

from nilecare.contracts.business.permissions import BUSINESS_STAFF_MANAGE, BUSINESS_STAFF_READ
from nilecare.contracts.business.schemas import (
    DEFAULT_TIMEZONE,
    AvailabilityExceptionCreate,
    AvailabilityExceptionRead,
    AvailabilityRead,
    StaffCreate,
    StaffKind,
    StaffPage,
    StaffRead,
    StaffUpdate,
    TimezoneName,
    WorkingHoursCreate,
    WorkingHoursRead,
)
from nilecare.kernel.auth.dependencies import SecureRouter, require
from nilecare.kernel.auth.principal import Principal
from nilecare.kernel.db.scope import FacilityScope
from nilecare.kernel.db.types import utcnow
from nilecare.kernel.service import UoW
from nilecare.kernel.types import PageLimit, PageOffset
from nilecare.services.business.service import schedules
from nilecare.services.business.service import staff as service

router: APIRouter = SecureRouter(prefix="/api/v1/staff", tags=["staff"])

Reader = Annotated[Principal, require(BUSINESS_STAFF_READ)]
Manager = Annotated[Principal, require(BUSINESS_STAFF_MANAGE)]


@router.get("", summary="List staff (of the caller's facilities)")
async def list_staff(
    uow: UoW,
    principal: Reader,
    facility_id: uuid.UUID | None = None,
    kind: StaffKind | None = None,
    department_id: uuid.UUID | None = None,
    specialty: Annotated[str | None, Query(max_length=100)] = None,
    active: bool | None = None,
    q: Annotated[
        str | None, Query(max_length=100, description="Part of a name or licence number")
    ] = None,
    user_id: uuid.UUID | None = None,
    limit: Annotated[PageLimit, Query()] = 50,
    offset: Annotated[PageOffset, Query()] = 0,
) -> StaffPage:
    return await service.list_staff(
        uow,
        FacilityScope.of(principal),
        facility_id=facility_id,
        kind=kind,
        department_id=department_id,
        specialty=specialty,
        active=active,
        q=q,
        user_id=user_id,
        limit=limit,
        offset=offset,
    )


@router.post("", status_code=201, summary="Register a staff member")
async def create_staff(data: StaffCreate, uow: UoW, principal: Manager) -> StaffRead:
    return await service.create_staff(uow, FacilityScope.of(principal), data)


@router.get(
    "/on-duty",
    summary="Active staff of a facility whose working hours (with exceptions) cover a moment",
)
async def list_on_duty_staff(
    uow: UoW,
    principal: Reader,
    facility_id: uuid.UUID,
    department_id: uuid.UUID | None = None,
    kind: Annotated[
        list[StaffKind], Query(description="Repeat for several kinds; none means every kind")
    ] = [],  # noqa: B006 - FastAPI copies a parameter's default per request
    at: Annotated[AwareDatetime | None, Query(description="Default: now")] = None,
) -> list[StaffRead]:
    return await schedules.on_duty_staff(
        uow,
        FacilityScope.of(principal),
        facility_id,
        department_id=department_id,
        kinds=kind,
        at=at or utcnow(),
    )


@router.get("/{staff_id}", summary="Get a staff member")
async def get_staff(staff_id: uuid.UUID, uow: UoW, principal: Reader) -> StaffRead:
    return await service.get_staff(uow, FacilityScope.of(principal), staff_id)


@router.patch("/{staff_id}", summary="Change a staff member (set is_active false to deactivate)")
async def update_staff(
    staff_id: uuid.UUID, data: StaffUpdate, uow: UoW, principal: Manager
) -> StaffRead:
    return await service.update_staff(uow, FacilityScope.of(principal), staff_id, data)


@router.get("/{staff_id}/working-hours", summary="The staff member's weekly working hours")
async def list_working_hours(
    staff_id: uuid.UUID, uow: UoW, principal: Reader
) -> list[WorkingHoursRead]:
    return await schedules.list_working_hours(uow, FacilityScope.of(principal), staff_id)


@router.post(
    "/{staff_id}/working-hours",
    status_code=201,
    summary="Add weekly working hours (409 when they overlap others of that weekday)",
)
async def add_working_hours(
    staff_id: uuid.UUID, data: WorkingHoursCreate, uow: UoW, principal: Manager
) -> WorkingHoursRead:
    return await schedules.add_working_hours(uow, FacilityScope.of(principal), staff_id, data)


@router.delete(
    "/{staff_id}/working-hours/{entry_id}", status_code=204, summary="Remove weekly working hours"
)
async def remove_working_hours(
    staff_id: uuid.UUID, entry_id: uuid.UUID, uow: UoW, principal: Manager
) -> Response:
    await schedules.remove_working_hours(uow, FacilityScope.of(principal), staff_id, entry_id)
    return Response(status_code=204)


@router.get(
    "/{staff_id}/availability-exceptions",
    summary="Dates the staff member is away or works extra hours",
)
async def list_availability_exceptions(
    staff_id: uuid.UUID, uow: UoW, principal: Reader
) -> list[AvailabilityExceptionRead]:
    return await schedules.list_exceptions(uow, FacilityScope.of(principal), staff_id)


@router.post(
    "/{staff_id}/availability-exceptions",
    status_code=201,
    summary="Mark dates unavailable (whole days or hours) or add extra hours",
)
async def add_availability_exception(
    staff_id: uuid.UUID, data: AvailabilityExceptionCreate, uow: UoW, principal: Manager
) -> AvailabilityExceptionRead:
    return await schedules.add_exception(uow, FacilityScope.of(principal), staff_id, data)


@router.delete(
    "/{staff_id}/availability-exceptions/{exception_id}",
    status_code=204,
    summary="Remove an availability exception",
)
async def remove_availability_exception(
    staff_id: uuid.UUID, exception_id: uuid.UUID, uow: UoW, principal: Manager
) -> Response:
    await schedules.remove_exception(uow, FacilityScope.of(principal), staff_id, exception_id)
    return Response(status_code=204)


@router.get(
    "/{staff_id}/availability",
    summary="Concrete availability windows over a date range (weekly hours, then exceptions)",
)
async def get_staff_availability(
    staff_id: uuid.UUID,
    uow: UoW,
    principal: Reader,
    from_date: date,
    to_date: date,
    timezone: Annotated[TimezoneName, Query()] = DEFAULT_TIMEZONE,
) -> AvailabilityRead:
    return await schedules.staff_availability(
        uow,
        FacilityScope.of(principal),
        staff_id,
        from_date=from_date,
        to_date=to_date,
        timezone=timezone,
    )
