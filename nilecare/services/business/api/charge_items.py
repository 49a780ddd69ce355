"""``/api/v1/charge-items``: the charge master (priced services, SDG minor units)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Response

from nilecare.contracts.business.permissions import BUSINESS_CHARGE_MANAGE, BUSINESS_CHARGE_READ
from nilecare.contracts.business.schemas import (
    ChargeCategory,
    ChargeItemCreate,
    ChargeItemPage,
    ChargeItemRead,
    ChargeItemUpdate,
)
from nilecare.kernel.auth.dependencies import SecureRouter, require
from nilecare.kernel.auth.principal import Principal
from nilecare.kernel.db.scope import FacilityScope
from nilecare.kernel.service import UoW
from nilecare.kernel.types import PageLimit, PageOffset
from nilecare.services.business.service import charges as service

router: APIRouter = SecureRouter(prefix="/api/v1/charge-items", tags=["charge-items"])

Reader = Annotated[Principal, require(BUSINESS_CHARGE_READ)]
Manager = Annotated[Principal, require(BUSINESS_CHARGE_MANAGE)]


@router.get("", summary="List or search the charge master (of the caller's facilities)")
async def list_charge_items(
    uow: UoW,
    principal: Reader,
    facility_id: uuid.UUID | None = None,
    code: Annotated[str | None, Query(max_length=32, description="Exact code")] = None,
    q: Annotated[str | None, Query(max_length=100, description="Part of a name or code")] = None,
    category: ChargeCategory | None = None,
    active: bool | None = None,
    effective_on: date | None = None,
    limit: Annotated[PageLimit, Query()] = 50,
    offset: Annotated[PageOffset, Query()] = 0,
) -> ChargeItemPage:
    return await service.list_charge_items(
        uow,
        FacilityScope.of(principal),
        facility_id=facility_id,
        code=code,
        q=q,
        category=category,
        active=active,
        effective_on=effective_on,
        limit=limit,
        offset=offset,
    )


@router.post("", status_code=201, summary="Add a priced service")
async def create_charge_item(
    data: ChargeItemCreate, uow: UoW, principal: Manager
) -> ChargeItemRead:
    return await service.create_charge_item(uow, FacilityScope.of(principal), data)


@router.get("/{charge_item_id}", summary="Get a priced service")
async def get_charge_item(charge_item_id: uuid.UUID, uow: UoW, principal: Reader) -> ChargeItemRead:
    return await service.get_charge_item(uow, FacilityScope.of(principal), charge_item_id)


@router.patch("/{charge_item_id}", summary="Change a priced service (price, names, dates, ...)")
async def update_charge_item(
    charge_item_id: uuid.UUID, data: ChargeItemUpdate, uow: UoW, principal: Manager
) -> ChargeItemRead:
    return await service.update_charge_item(uow, FacilityScope.of(principal), charge_item_id, data)


@router.delete("/{charge_item_id}", status_code=204, summary="Delete a mistaken entry")
async def delete_charge_item(charge_item_id: uuid.UUID, uow: UoW, principal: Manager) -> Response:
    await service.delete_charge_item(uow, FacilityScope.of(principal), charge_item_id)
    return Response(status_code=204)
