"""Facilities, departments, wards and rooms."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from nilecare.contracts.facility.schemas import (
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
from nilecare.kernel.auth.dependencies import SecureRouter
from nilecare.kernel.service import UoW
from nilecare.kernel.types import PageLimit, PageOffset
from nilecare.services.facility.api.deps import (
    BedReader,
    FacilityManager,
    FacilityReader,
)
from nilecare.services.facility.service import structure as service

facilities_router: APIRouter = SecureRouter(prefix="/api/v1/facilities", tags=["facilities"])
departments_router: APIRouter = SecureRouter(prefix="/api/v1/departments", tags=["departments"])
wards_router: APIRouter = SecureRouter(prefix="/api/v1/wards", tags=["wards"])
rooms_router: APIRouter = SecureRouter(prefix="/api/v1/rooms", tags=["rooms"])

Limit = Annotated[PageLimit, Query()]
Offset = Annotated[PageOffset, Query()]


# --- facilities -------------------------------------------------------------------------------


@facilities_router.get("", summary="List the caller's facilities")
async def list_facilities(
    uow: UoW, principal: FacilityReader, limit: Limit = 50, offset: Offset = 0
) -> FacilityPage:
    return await service.list_facilities(uow, principal, limit=limit, offset=offset)


@facilities_router.post("", status_code=201, summary="Open a facility (cross-facility admins)")
async def create_facility(
    data: FacilityCreate, uow: UoW, principal: FacilityManager
) -> FacilityRead:
    return await service.create_facility(uow, principal, data)


@facilities_router.get("/{facility_id}", summary="Get a facility")
async def get_facility(facility_id: uuid.UUID, uow: UoW, principal: FacilityReader) -> FacilityRead:
    return await service.get_facility(uow, principal, facility_id)


@facilities_router.patch("/{facility_id}", summary="Change a facility's details")
async def update_facility(
    facility_id: uuid.UUID, data: FacilityUpdate, uow: UoW, principal: FacilityManager
) -> FacilityRead:
    return await service.update_facility(uow, principal, facility_id, data)


# --- departments ------------------------------------------------------------------------------


@departments_router.get("", summary="List departments")
async def list_departments(
    uow: UoW,
    principal: FacilityReader,
    facility_id: Annotated[uuid.UUID | None, Query()] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> DepartmentPage:
    return await service.list_departments(
        uow, principal, facility_id=facility_id, limit=limit, offset=offset
    )


@departments_router.post("", status_code=201, summary="Create a department")
async def create_department(
    data: DepartmentCreate, uow: UoW, principal: FacilityManager
) -> DepartmentRead:
    return await service.create_department(uow, principal, data)


@departments_router.get("/{department_id}", summary="Get a department")
async def get_department(
    department_id: uuid.UUID, uow: UoW, principal: FacilityReader
) -> DepartmentRead:
    return await service.get_department(uow, principal, department_id)


# --- wards ------------------------------------------------------------------------------------


@wards_router.get("", summary="List wards")
async def list_wards(
    uow: UoW,
    principal: FacilityReader,
    facility_id: Annotated[uuid.UUID | None, Query()] = None,
    department_id: Annotated[uuid.UUID | None, Query()] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> WardPage:
    return await service.list_wards(
        uow,
        principal,
        facility_id=facility_id,
        department_id=department_id,
        limit=limit,
        offset=offset,
    )


@wards_router.post("", status_code=201, summary="Create a ward")
async def create_ward(data: WardCreate, uow: UoW, principal: FacilityManager) -> WardRead:
    return await service.create_ward(uow, principal, data)


@wards_router.get("/{ward_id}", summary="Get a ward")
async def get_ward(ward_id: uuid.UUID, uow: UoW, principal: FacilityReader) -> WardRead:
    return await service.get_ward(uow, principal, ward_id)


@wards_router.get("/{ward_id}/occupancy", summary="Count a ward's beds by status")
async def get_ward_occupancy(ward_id: uuid.UUID, uow: UoW, principal: BedReader) -> WardOccupancy:
    return await service.ward_occupancy(uow, principal, ward_id)


# --- rooms ------------------------------------------------------------------------------------


@rooms_router.get("", summary="List rooms")
async def list_rooms(
    uow: UoW,
    principal: FacilityReader,
    ward_id: Annotated[uuid.UUID | None, Query()] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> RoomPage:
    return await service.list_rooms(uow, principal, ward_id=ward_id, limit=limit, offset=offset)


@rooms_router.post("", status_code=201, summary="Create a room")
async def create_room(data: RoomCreate, uow: UoW, principal: FacilityManager) -> RoomRead:
    return await service.create_room(uow, principal, data)


@rooms_router.get("/{room_id}", summary="Get a room")
async def get_room(room_id: uuid.UUID, uow: UoW, principal: FacilityReader) -> RoomRead:
    return await service.get_room(uow, principal, room_id)
