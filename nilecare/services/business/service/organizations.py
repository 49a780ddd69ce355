"""Organizations: the bodies that run facilities (name, registration number, contact)."""

from __future__ import annotations

import uuid

from sqlalchemy.exc import IntegrityError

from nilecare.contracts.business.schemas import (
    OrganizationCreate,
    OrganizationPage,
    OrganizationRead,
    OrganizationUpdate,
)
from nilecare.kernel.errors import Conflict, ValidationFailed
from nilecare.kernel.uow import UnitOfWork
from nilecare.services.business.models import Organization
from nilecare.services.business.repository import Organizations
from nilecare.services.business.service.common import not_found


def _taken() -> Conflict:
    return Conflict(
        "An organization with this registration number exists", slug="registration-taken"
    )


async def create_organization(uow: UnitOfWork, data: OrganizationCreate) -> OrganizationRead:
    organizations = Organizations(uow.session)
    if await organizations.registration_taken(data.registration_number):
        raise _taken()
    organization = Organization(
        name=data.name,
        name_ar=data.name_ar,
        registration_number=data.registration_number,
        phone=data.phone,
        email=str(data.email).lower() if data.email else None,
        address=data.address or None,
    )
    uow.session.add(organization)
    try:
        await uow.session.flush()
    except IntegrityError:
        raise _taken() from None
    uow.audit("organization.create", "organization", organization.id)
    await uow.commit()
    return OrganizationRead.model_validate(organization)


async def get_organization(uow: UnitOfWork, organization_id: uuid.UUID) -> OrganizationRead:
    organization = await Organizations(uow.session).get(organization_id)
    if organization is None:
        raise not_found("organization")
    return OrganizationRead.model_validate(organization)


async def list_organizations(
    uow: UnitOfWork, *, q: str | None, limit: int, offset: int
) -> OrganizationPage:
    rows, total = await Organizations(uow.session).page(q=q, limit=limit, offset=offset)
    return OrganizationPage(
        items=[OrganizationRead.model_validate(o) for o in rows],
        total=total,
        limit=limit,
        offset=offset,
    )


async def update_organization(
    uow: UnitOfWork, organization_id: uuid.UUID, data: OrganizationUpdate
) -> OrganizationRead:
    organization = await Organizations(uow.session).get(organization_id)
    if organization is None:
        raise not_found("organization")
    changed: list[str] = []
    for name in sorted(data.model_fields_set):
        value = getattr(data, name)
        if name == "name" and value is None:
            raise ValidationFailed.field("name", "an organization needs a name")
        if name == "email" and value is not None:
            value = str(value).lower()
        if getattr(organization, name) != value:
            setattr(organization, name, value)
            changed.append(name)
    if changed:
        await uow.session.flush()
        uow.audit(
            "organization.update", "organization", organization.id, details={"fields": changed}
        )
        await uow.commit()
    return OrganizationRead.model_validate(organization)
