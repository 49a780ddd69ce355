"""Queries of the business database. Staff, their hours and the charge master belong to a
facility: every query of them goes through the caller's ``FacilityScope`` (fails closed), so a
record of another facility reads as missing and list totals count only what the caller sees."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any, cast

from sqlalchemy import Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from nilecare.kernel.db.scope import FacilityScope
from nilecare.services.business.models import (
    AvailabilityException,
    ChargeItem,
    Organization,
    Staff,
    StaffDepartment,
    StaffSpecialty,
    WorkingHours,
)


async def _page(
    session: AsyncSession, query: Select[Any], order: Sequence[Any], limit: int, offset: int
) -> tuple[Sequence[Any], int]:
    total = await session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = await session.scalars(query.order_by(*order).limit(limit).offset(offset))
    return rows.all(), int(total or 0)


class Organizations:
    """Organizations own facilities; they are not facility-scoped themselves."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, organization_id: uuid.UUID) -> Organization | None:
        return await self.session.get(Organization, organization_id)

    async def by_registration(self, registration_number: str) -> Organization | None:
        return cast(
            Organization | None,
            await self.session.scalar(
                select(Organization).where(Organization.registration_number == registration_number)
            ),
        )

    async def registration_taken(
        self, registration_number: str, *, other_than: uuid.UUID | None = None
    ) -> bool:
        query = select(Organization.id).where(
            Organization.registration_number == registration_number
        )
        if other_than is not None:
            query = query.where(Organization.id != other_than)
        return await self.session.scalar(query.limit(1)) is not None

    async def page(
        self, *, q: str | None, limit: int, offset: int
    ) -> tuple[Sequence[Organization], int]:
        query = select(Organization)
        if q:
            query = query.where(
                or_(
                    Organization.name.contains(q, autoescape=True),
                    Organization.name_ar.contains(q, autoescape=True),
                    Organization.registration_number.contains(q, autoescape=True),
                )
            )
        return await _page(self.session, query, [Organization.name, Organization.id], limit, offset)


class StaffMembers:
    def __init__(self, session: AsyncSession, scope: FacilityScope) -> None:
        self.session = session
        self.scope = scope

    def _scoped(self) -> Select[Any]:
        return select(Staff).where(self.scope.condition(Staff.facility_id))

    async def get(self, staff_id: uuid.UUID, *, for_update: bool = False) -> Staff | None:
        query = self._scoped().where(Staff.id == staff_id)
        if for_update:
            query = query.with_for_update()
        return cast(Staff | None, await self.session.scalar(query))

    async def licence_taken(
        self, kind: str, licence_number: str, *, other_than: uuid.UUID | None = None
    ) -> bool:
        # A licence is a national registration: unique per kind whatever the caller's scope.
        query = select(Staff.id).where(Staff.kind == kind, Staff.licence_number == licence_number)
        if other_than is not None:
            query = query.where(Staff.id != other_than)
        return await self.session.scalar(query.limit(1)) is not None

    async def user_linked(self, user_id: uuid.UUID, *, other_than: uuid.UUID | None = None) -> bool:
        query = select(Staff.id).where(Staff.user_id == user_id)
        if other_than is not None:
            query = query.where(Staff.id != other_than)
        return await self.session.scalar(query.limit(1)) is not None

    async def page(
        self,
        *,
        facility_id: uuid.UUID | None,
        kind: str | None,
        department_id: uuid.UUID | None,
        specialty: str | None,
        active: bool | None,
        q: str | None,
        user_id: uuid.UUID | None,
        limit: int,
        offset: int,
    ) -> tuple[Sequence[Staff], int]:
        query = self._scoped()
        if facility_id is not None:
            query = query.where(Staff.facility_id == facility_id)
        if kind is not None:
            query = query.where(Staff.kind == kind)
        if department_id is not None:
            query = query.where(
                Staff.id.in_(
                    select(StaffDepartment.staff_id).where(
                        StaffDepartment.department_id == department_id
                    )
                )
            )
        if specialty:
            query = query.where(
                Staff.id.in_(
                    select(StaffSpecialty.staff_id).where(
                        func.lower(StaffSpecialty.specialty) == specialty.lower()
                    )
                )
            )
        if active is not None:
            query = query.where(Staff.is_active == active)
        if user_id is not None:
            query = query.where(Staff.user_id == user_id)
        if q:
            query = query.where(
                or_(
                    func.lower(Staff.full_name_en).contains(q.lower(), autoescape=True),
                    Staff.full_name_ar.contains(q, autoescape=True),
                    Staff.licence_number.contains(q.upper(), autoescape=True),
                )
            )
        return await _page(self.session, query, [Staff.full_name_en, Staff.id], limit, offset)

    async def active_at(
        self, facility_id: uuid.UUID, kinds: Sequence[str], department_id: uuid.UUID | None
    ) -> Sequence[Staff]:
        """Active staff of the facility, of the given kinds (every kind when empty)."""
        query = self._scoped().where(Staff.facility_id == facility_id, Staff.is_active.is_(True))
        if kinds:
            query = query.where(Staff.kind.in_(list(kinds)))
        if department_id is not None:
            query = query.where(
                Staff.id.in_(
                    select(StaffDepartment.staff_id).where(
                        StaffDepartment.department_id == department_id
                    )
                )
            )
        rows = await self.session.scalars(query.order_by(Staff.full_name_en, Staff.id))
        return rows.all()


class Schedules:
    """Working hours and exceptions of one staff member (already loaded through the scope)."""

    def __init__(self, session: AsyncSession, scope: FacilityScope) -> None:
        self.session = session
        self.scope = scope

    async def hours(self, staff_id: uuid.UUID) -> Sequence[WorkingHours]:
        return await self.hours_of([staff_id])

    async def hours_of(self, staff_ids: Sequence[uuid.UUID]) -> Sequence[WorkingHours]:
        rows = await self.session.scalars(
            select(WorkingHours)
            .where(
                WorkingHours.staff_id.in_(list(staff_ids)),
                self.scope.condition(Staff.facility_id),
            )
            .join(Staff, Staff.id == WorkingHours.staff_id)
            .order_by(WorkingHours.staff_id, WorkingHours.weekday, WorkingHours.start_minute)
        )
        return rows.all()

    async def hours_entry(self, staff_id: uuid.UUID, entry_id: uuid.UUID) -> WorkingHours | None:
        return cast(
            WorkingHours | None,
            await self.session.scalar(
                select(WorkingHours)
                .join(Staff, Staff.id == WorkingHours.staff_id)
                .where(
                    WorkingHours.id == entry_id,
                    WorkingHours.staff_id == staff_id,
                    self.scope.condition(Staff.facility_id),
                )
            ),
        )

    async def exceptions(
        self,
        staff_id: uuid.UUID,
        *,
        overlapping: tuple[date, date] | None = None,
    ) -> Sequence[AvailabilityException]:
        return await self.exceptions_of([staff_id], overlapping=overlapping)

    async def exceptions_of(
        self,
        staff_ids: Sequence[uuid.UUID],
        *,
        overlapping: tuple[date, date] | None = None,
    ) -> Sequence[AvailabilityException]:
        query = (
            select(AvailabilityException)
            .join(Staff, Staff.id == AvailabilityException.staff_id)
            .where(
                AvailabilityException.staff_id.in_(list(staff_ids)),
                self.scope.condition(Staff.facility_id),
            )
        )
        if overlapping is not None:
            first, last = overlapping
            query = query.where(
                AvailabilityException.start_date <= last,
                AvailabilityException.end_date >= first,
            )
        rows = await self.session.scalars(
            query.order_by(AvailabilityException.start_date, AvailabilityException.id)
        )
        return rows.all()

    async def exception(
        self, staff_id: uuid.UUID, exception_id: uuid.UUID
    ) -> AvailabilityException | None:
        return cast(
            AvailabilityException | None,
            await self.session.scalar(
                select(AvailabilityException)
                .join(Staff, Staff.id == AvailabilityException.staff_id)
                .where(
                    AvailabilityException.id == exception_id,
                    AvailabilityException.staff_id == staff_id,
                    self.scope.condition(Staff.facility_id),
                )
            ),
        )


class ChargeItems:
    def __init__(self, session: AsyncSession, scope: FacilityScope) -> None:
        self.session = session
        self.scope = scope

    def _scoped(self) -> Select[Any]:
        return select(ChargeItem).where(self.scope.condition(ChargeItem.facility_id))

    async def get(self, item_id: uuid.UUID) -> ChargeItem | None:
        return cast(
            ChargeItem | None,
            await self.session.scalar(self._scoped().where(ChargeItem.id == item_id)),
        )

    async def code_taken(
        self, facility_id: uuid.UUID, code: str, *, other_than: uuid.UUID | None = None
    ) -> bool:
        query = select(ChargeItem.id).where(
            ChargeItem.facility_id == facility_id, ChargeItem.code == code
        )
        if other_than is not None:
            query = query.where(ChargeItem.id != other_than)
        return await self.session.scalar(query.limit(1)) is not None

    async def page(
        self,
        *,
        facility_id: uuid.UUID | None,
        code: str | None,
        q: str | None,
        category: str | None,
        active: bool | None,
        effective_on: date | None,
        limit: int,
        offset: int,
    ) -> tuple[Sequence[ChargeItem], int]:
        query = self._scoped()
        if facility_id is not None:
            query = query.where(ChargeItem.facility_id == facility_id)
        if code:
            query = query.where(ChargeItem.code == code.strip().upper())
        if category is not None:
            query = query.where(ChargeItem.category == category)
        if active is not None:
            query = query.where(ChargeItem.is_active == active)
        if effective_on is not None:
            query = query.where(
                ChargeItem.effective_from <= effective_on,
                or_(ChargeItem.effective_to.is_(None), ChargeItem.effective_to >= effective_on),
            )
        if q:
            query = query.where(
                or_(
                    func.lower(ChargeItem.name_en).contains(q.lower(), autoescape=True),
                    ChargeItem.name_ar.contains(q, autoescape=True),
                    ChargeItem.code.contains(q.upper(), autoescape=True),
                )
            )
        return await _page(
            self.session, query, [ChargeItem.code, ChargeItem.facility_id], limit, offset
        )
