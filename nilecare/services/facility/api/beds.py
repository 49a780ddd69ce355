"""``/api/v1/beds``: the bed board, bed workflow, assignment, release and transfer."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from nilecare.contracts.facility.beds import (
    BedAssignmentCreate,
    BedAssignmentRead,
    BedRead,
    BedStatus,
)
from nilecare.contracts.facility.schemas import (
    BedAssignmentPage,
    BedCreate,
    BedPage,
    BedStatusChange,
    BedTransferCreate,
    BedTransferRead,
)
from nilecare.kernel.auth.dependencies import SecureRouter
from nilecare.kernel.service import UoW
from nilecare.kernel.types import PageLimit, PageOffset
from nilecare.services.facility.api.deps import (
    BedManager,
    BedReader,
    FacilityManager,
)
from nilecare.services.facility.service import beds as service
from nilecare.services.facility.service import structure

router: APIRouter = SecureRouter(prefix="/api/v1/beds", tags=["beds"])

CONFLICT: dict[int | str, dict[str, Any]] = {
    409: {"description": "The bed is not in a state that allows this"}
}


@router.get("", summary="The bed board: beds by facility, ward and status")
async def list_beds(
    uow: UoW,
    principal: BedReader,
    facility_id: Annotated[uuid.UUID | None, Query()] = None,
    ward_id: Annotated[uuid.UUID | None, Query()] = None,
    status: Annotated[BedStatus | None, Query()] = None,
    limit: Annotated[PageLimit, Query()] = 50,
    offset: Annotated[PageOffset, Query()] = 0,
) -> BedPage:
    return await service.list_beds(
        uow,
        principal,
        facility_id=facility_id,
        ward_id=ward_id,
        status=status,
        limit=limit,
        offset=offset,
    )


@router.post("", status_code=201, summary="Add a bed to a ward")
async def create_bed(data: BedCreate, uow: UoW, principal: FacilityManager) -> BedRead:
    return await structure.create_bed(uow, principal, data)


@router.get("/{bed_id}", summary="Get a bed")
async def get_bed(bed_id: uuid.UUID, uow: UoW, principal: BedReader) -> BedRead:
    return await service.get_bed(uow, principal, bed_id)


@router.put(
    "/{bed_id}/status",
    summary="Cleaning done, out of service or back in service",
    responses=CONFLICT,
)
async def change_bed_status(
    bed_id: uuid.UUID, data: BedStatusChange, uow: UoW, principal: BedManager
) -> BedRead:
    return await service.change_bed_status(uow, principal, bed_id, data)


@router.post(
    "/{bed_id}/assignment",
    status_code=201,
    summary="Occupy an available bed for an encounter (200 when it already holds it)",
    responses=CONFLICT,
)
async def assign_bed(
    bed_id: uuid.UUID,
    data: BedAssignmentCreate,
    uow: UoW,
    principal: BedManager,
    response: Response,
) -> BedAssignmentRead:
    outcome = await service.assign_bed(uow, principal, bed_id, data)
    if not outcome.created:
        response.status_code = 200
    return outcome.assignment


@router.delete(
    "/{bed_id}/assignment",
    summary="Release the encounter's bed (it goes to cleaning); idempotent",
    responses=CONFLICT,
)
async def release_bed(
    bed_id: uuid.UUID,
    encounter_id: Annotated[uuid.UUID, Query()],
    uow: UoW,
    principal: BedManager,
) -> BedAssignmentRead:
    return await service.release_bed(uow, principal, bed_id, encounter_id)


@router.get("/{bed_id}/assignments", summary="The bed's assignment history, newest first")
async def list_bed_assignments(
    bed_id: uuid.UUID,
    uow: UoW,
    principal: BedReader,
    limit: Annotated[PageLimit, Query()] = 50,
    offset: Annotated[PageOffset, Query()] = 0,
) -> BedAssignmentPage:
    return await service.list_bed_assignments(uow, principal, bed_id, limit=limit, offset=offset)


@router.post(
    "/{bed_id}/transfer",
    summary="Move the encounter to another available bed of the facility",
    responses=CONFLICT,
)
async def transfer_bed(
    bed_id: uuid.UUID, data: BedTransferCreate, uow: UoW, principal: BedManager
) -> BedTransferRead:
    return await service.transfer_bed(uow, principal, bed_id, data)
