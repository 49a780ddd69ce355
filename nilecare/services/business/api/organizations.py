"""``/api/v1/organizations``: the organizations that run facilities."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from nilecare.contracts.business.permissions import BUSINESS_STAFF_MANAGE, BUSINESS_STAFF_READ
from nilecare.contracts.business.schemas import (
    OrganizationCreate,
    OrganizationPage,
    OrganizationRead,
    OrganizationUpdate,
)
from nilecare.kernel.auth.dependencies import SecureRouter, require
from nilecare.kernel.service import UoW
from nilecare.kernel.types import PageLimit, PageOffset
from nilecare.services.business.service import organizations as service

router: APIRouter = SecureRouter(prefix="/api/v1/organizations", tags=["organizations"])


@router.get("", dependencies=[require(BUSINESS_STAFF_READ)], summary="List organizations")
async def list_organizations(
    uow: UoW,
    q: Annotated[str | None, Query(max_length=100, description="Part of a name")] = None,
    limit: Annotated[PageLimit, Query()] = 50,
    offset: Annotated[PageOffset, Query()] = 0,
) -> OrganizationPage:
    return await service.list_organizations(uow, q=q, limit=limit, offset=offset)


@router.post(
    "",
    status_code=201,
    dependencies=[require(BUSINESS_STAFF_MANAGE)],
    summary="Register an organization",
)
async def create_organization(data: OrganizationCreate, uow: UoW) -> OrganizationRead:
    return await service.create_organization(uow, data)


@router.get(
    "/{organization_id}", dependencies=[require(BUSINESS_STAFF_READ)], summary="Get an organization"
)
async def get_organization(organization_id: uuid.UUID, uow: UoW) -> OrganizationRead:
    return await service.get_organization(uow, organization_id)


@router.patch(
    "/{organization_id}",
    dependencies=[require(BUSINESS_STAFF_MANAGE)],
    summary="Change an organization's name or contact",
)
async def update_organization(
    organization_id: uuid.UUID, data: OrganizationUpdate, uow: UoW
) -> OrganizationRead:
    return await service.update_organization(uow, organization_id, data)
