"""The charge master: priced services of a facility (integer minor units, SDG)."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.exc import IntegrityError

from nilecare.contracts.business.schemas import (
    ChargeCategory,
    ChargeItemCreate,
    ChargeItemPage,
    ChargeItemRead,
    ChargeItemUpdate,
)
from nilecare.kernel.db.scope import FacilityScope
from nilecare.kernel.db.types import utcnow
from nilecare.kernel.errors import Conflict, ValidationFailed
from nilecare.kernel.uow import UnitOfWork
from nilecare.services.business.domain import check_currency, check_effective_dates
from nilecare.services.business.models import ChargeItem
from nilecare.services.business.repository import ChargeItems
from nilecare.services.business.service.common import check_facility, checked, not_found


def _code_taken() -> Conflict:
    return Conflict("This facility already has a charge item with this code", slug="code-taken")


def today() -> date:
    return utcnow().date()


async def create_charge_item(
    uow: UnitOfWork, scope: FacilityScope, data: ChargeItemCreate
) -> ChargeItemRead:
    check_facility(scope, data.facility_id)
    checked(check_currency, data.currency)
    effective_from = data.effective_from or today()
    checked(check_effective_dates, effective_from, data.effective_to)
    items = ChargeItems(uow.session, scope)
    if await items.code_taken(data.facility_id, data.code):
        raise _code_taken()
    item = ChargeItem(
        facility_id=data.facility_id,
        code=data.code,
        name_en=data.name_en,
        name_ar=data.name_ar,
        category=data.category.value,
        price_minor=data.price_minor,
        currency=data.currency,
        is_active=data.is_active,
        effective_from=effective_from,
        effective_to=data.effective_to,
    )
    uow.session.add(item)
    try:
        await uow.session.flush()
    except IntegrityError:
        raise _code_taken() from None
    uow.audit(
        "charge_item.create",
        "charge_item",
        item.id,
        facility_id=item.facility_id,
        details={"code": item.code, "price_minor": item.price_minor},
    )
    await uow.commit()
    return ChargeItemRead.model_validate(item)


async def _visible(uow: UnitOfWork, scope: FacilityScope, item_id: uuid.UUID) -> ChargeItem:
    item = await ChargeItems(uow.session, scope).get(item_id)
    if item is None:
        raise not_found("charge item")
    return item


async def get_charge_item(
    uow: UnitOfWork, scope: FacilityScope, item_id: uuid.UUID
) -> ChargeItemRead:
    return ChargeItemRead.model_validate(await _visible(uow, scope, item_id))


async def list_charge_items(
    uow: UnitOfWork,
    scope: FacilityScope,
    *,
    facility_id: uuid.UUID | None = None,
    code: str | None = None,
    q: str | None = None,
    category: ChargeCategory | None = None,
    active: bool | None = None,
    effective_on: date | None = None,
    limit: int = 50,
    offset: int = 0,
) -> ChargeItemPage:
    rows, total = await ChargeItems(uow.session, scope).page(
        facility_id=facility_id,
        code=code,
        q=q,
        category=category.value if category is not None else None,
        active=active,
        effective_on=effective_on,
        limit=limit,
        offset=offset,
    )
    return ChargeItemPage(
        items=[ChargeItemRead.model_validate(r) for r in rows],
        total=total,
        limit=limit,
        offset=offset,
    )


_REQUIRED = ("name_en", "name_ar", "category", "price_minor", "currency", "is_active")


async def update_charge_item(
    uow: UnitOfWork, scope: FacilityScope, item_id: uuid.UUID, data: ChargeItemUpdate
) -> ChargeItemRead:
    item = await _visible(uow, scope, item_id)
    fields = data.model_fields_set
    for name in (*_REQUIRED, "effective_from"):
        if name in fields and getattr(data, name) is None:
            raise ValidationFailed.field(name, "may be changed but not removed")
    if data.currency is not None:
        checked(check_currency, data.currency)
    effective_from = data.effective_from or item.effective_from
    effective_to = data.effective_to if "effective_to" in fields else item.effective_to
    checked(check_effective_dates, effective_from, effective_to)
    changed: dict[str, object] = {}
    for name in sorted(fields):
        value = getattr(data, name)
        if isinstance(value, ChargeCategory):
            value = value.value
        if getattr(item, name) != value:
            changed[name] = value
            setattr(item, name, value)
    if changed:
        await uow.session.flush()
        uow.audit(
            "charge_item.update",
            "charge_item",
            item.id,
            facility_id=item.facility_id,
            details={"fields": sorted(changed), "price_minor": item.price_minor},
        )
        await uow.commit()
    return ChargeItemRead.model_validate(item)


async def delete_charge_item(uow: UnitOfWork, scope: FacilityScope, item_id: uuid.UUID) -> None:
    """Remove an item entered by mistake. Invoices keep their own copy of code, name and price;
    to stop charging a service that was used, deactivate it or end its effective dates."""
    item = await _visible(uow, scope, item_id)
    await uow.session.delete(item)
    uow.audit(
        "charge_item.delete",
        "charge_item",
        item.id,
        facility_id=item.facility_id,
        details={"code": item.code},
    )
    await uow.commit()
