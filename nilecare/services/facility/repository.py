"""Queries of the facility database, every one filtered by the caller's ``FacilityScope``
(fails closed: a row of another facility is simply not found)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any, TypeVar, cast

from sqlalchemy import CursorResult, Select, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from nilecare.contracts.facility.beds import BedStatus
from nilecare.kernel.db.scope import FacilityScope
from nilecare.services.facility.models import (
    Bed,
    BedAssignment,
    Department,
    Facility,
    Room,
    Ward,
)

Row = TypeVar("Row", Department, Ward, Room, Bed, BedAssignment)


def _rowcount(result: Any) -> int:
    return int(cast(CursorResult[Any], result).rowcount)


class FacilityRepository:
    def __init__(self, session: AsyncSession, scope: FacilityScope) -> None:
        self.session = session
        self.scope = scope

    # --- generic helpers --------------------------------------------------------------------

    async def _page(
        self, query: Select[Any], order: Sequence[Any], limit: int, offset: int
    ) -> tuple[list[Any], int]:
        total = await self.session.scalar(select(func.count()).select_from(query.subquery()))
        rows = await self.session.scalars(query.order_by(*order).limit(limit).offset(offset))
        return list(rows), int(total or 0)

    async def _get(self, model: type[Row], row_id: uuid.UUID) -> Row | None:
        query = select(model).where(model.id == row_id, self.scope.condition(model.facility_id))
        return cast(Row | None, await self.session.scalar(query))

    # --- facilities -------------------------------------------------------------------------

    async def facility(self, facility_id: uuid.UUID) -> Facility | None:
        query = select(Facility).where(
            Facility.id == facility_id, self.scope.condition(Facility.id)
        )
        return cast(Facility | None, await self.session.scalar(query))

    async def facility_code_taken(self, code: str) -> bool:
        # Codes are unique across the platform, whatever the caller's scope.
        return (
            await self.session.scalar(select(Facility.id).where(Facility.code == code)) is not None
        )

    async def facilities(self, *, limit: int, offset: int) -> tuple[list[Facility], int]:
        query = select(Facility).where(self.scope.condition(Facility.id))
        return await self._page(query, (Facility.name, Facility.id), limit, offset)

    # --- departments, wards, rooms ----------------------------------------------------------

    async def department(self, department_id: uuid.UUID) -> Department | None:
        return await self._get(Department, department_id)

    async def department_code_taken(self, facility_id: uuid.UUID, code: str) -> bool:
        query = select(Department.id).where(
            Department.facility_id == facility_id, Department.code == code
        )
        return await self.session.scalar(query) is not None

    async def departments(
        self, *, facility_id: uuid.UUID | None, limit: int, offset: int
    ) -> tuple[list[Department], int]:
        query = select(Department).where(self.scope.condition(Department.facility_id))
        if facility_id is not None:
            query = query.where(Department.facility_id == facility_id)
        return await self._page(query, (Department.name, Department.id), limit, offset)

    async def ward(self, ward_id: uuid.UUID) -> Ward | None:
        return await self._get(Ward, ward_id)

    async def ward_code_taken(self, facility_id: uuid.UUID, code: str) -> bool:
        query = select(Ward.id).where(Ward.facility_id == facility_id, Ward.code == code)
        return await self.session.scalar(query) is not None

    async def wards(
        self,
        *,
        facility_id: uuid.UUID | None,
        department_id: uuid.UUID | None,
        limit: int,
        offset: int,
    ) -> tuple[list[Ward], int]:
        query = select(Ward).where(self.scope.condition(Ward.facility_id))
        if facility_id is not None:
            query = query.where(Ward.facility_id == facility_id)
        if department_id is not None:
            query = query.where(Ward.department_id == department_id)
        return await self._page(query, (Ward.name, Ward.id), limit, offset)

    async def room(self, room_id: uuid.UUID) -> Room | None:
        return await self._get(Room, room_id)

    async def room_label_taken(self, ward_id: uuid.UUID, label: str) -> bool:
        query = select(Room.id).where(Room.ward_id == ward_id, Room.label == label)
        return await self.session.scalar(query) is not None

    async def rooms(
        self, *, ward_id: uuid.UUID | None, limit: int, offset: int
    ) -> tuple[list[Room], int]:
        query = select(Room).where(self.scope.condition(Room.facility_id))
        if ward_id is not None:
            query = query.where(Room.ward_id == ward_id)
        return await self._page(query, (Room.label, Room.id), limit, offset)

    # --- beds -------------------------------------------------------------------------------

    async def bed(self, bed_id: uuid.UUID) -> Bed | None:
        return await self._get(Bed, bed_id)

    async def fresh_bed(self, bed_id: uuid.UUID) -> Bed | None:
        """The bed as stored now (after conditional updates), not the session's copy."""
        query = (
            select(Bed)
            .where(Bed.id == bed_id, self.scope.condition(Bed.facility_id))
            .execution_options(populate_existing=True)
        )
        return cast(Bed | None, await self.session.scalar(query))

    async def bed_label_taken(self, ward_id: uuid.UUID, label: str) -> bool:
        query = select(Bed.id).where(Bed.ward_id == ward_id, Bed.label == label)
        return await self.session.scalar(query) is not None

    async def beds(
        self,
        *,
        facility_id: uuid.UUID | None,
        ward_id: uuid.UUID | None,
        status: BedStatus | None,
        limit: int,
        offset: int,
    ) -> tuple[list[Bed], int]:
        query = select(Bed).where(self.scope.condition(Bed.facility_id))
        if facility_id is not None:
            query = query.where(Bed.facility_id == facility_id)
        if ward_id is not None:
            query = query.where(Bed.ward_id == ward_id)
        if status is not None:
            query = query.where(Bed.status == status.value)
        return await self._page(query, (Bed.ward_id, Bed.label, Bed.id), limit, offset)

    async def occupy_if_available(
        self, bed: Bed, patient_id: uuid.UUID, encounter_id: uuid.UUID, now: datetime
    ) -> bool:
        """Occupy the bed only if it is still available: of two racing callers, one wins."""
        result = await self.session.execute(
            update(Bed)
            .where(
                Bed.id == bed.id,
                Bed.status == BedStatus.AVAILABLE.value,
                self.scope.condition(Bed.facility_id),
            )
            .values(
                status=BedStatus.OCCUPIED.value,
                patient_id=patient_id,
                encounter_id=encounter_id,
                status_changed_at=now,
                updated_at=now,
            )
            .execution_options(synchronize_session=False)
        )
        return _rowcount(result) == 1

    async def vacate_if_held(self, bed: Bed, encounter_id: uuid.UUID, now: datetime) -> bool:
        """Send the bed to cleaning only if ``encounter_id`` still occupies it."""
        result = await self.session.execute(
            update(Bed)
            .where(
                Bed.id == bed.id,
                Bed.status == BedStatus.OCCUPIED.value,
                Bed.encounter_id == encounter_id,
                self.scope.condition(Bed.facility_id),
            )
            .values(
                status=BedStatus.CLEANING.value,
                patient_id=None,
                encounter_id=None,
                status_changed_at=now,
                updated_at=now,
            )
            .execution_options(synchronize_session=False)
        )
        return _rowcount(result) == 1

    async def set_status_if_in(
        self, bed: Bed, target: BedStatus, sources: frozenset[BedStatus], now: datetime
    ) -> bool:
        """Move the bed to ``target`` only from one of ``sources`` (never from occupied)."""
        result = await self.session.execute(
            update(Bed)
            .where(
                Bed.id == bed.id,
                Bed.status.in_(sorted(s.value for s in sources)),
                self.scope.condition(Bed.facility_id),
            )
            .values(status=target.value, status_changed_at=now, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        return _rowcount(result) == 1

    async def occupancy(self, ward_id: uuid.UUID) -> dict[str, int]:
        query = (
            select(Bed.status, func.count())
            .where(Bed.ward_id == ward_id, self.scope.condition(Bed.facility_id))
            .group_by(Bed.status)
        )
        return {status: int(count) for status, count in (await self.session.execute(query)).all()}

    # --- assignments ------------------------------------------------------------------------

    async def open_assignment(
        self, bed_id: uuid.UUID, encounter_id: uuid.UUID
    ) -> BedAssignment | None:
        query = select(BedAssignment).where(
            BedAssignment.bed_id == bed_id,
            BedAssignment.encounter_id == encounter_id,
            BedAssignment.released_at.is_(None),
            self.scope.condition(BedAssignment.facility_id),
        )
        return cast(BedAssignment | None, await self.session.scalar(query))

    async def latest_assignment(
        self, bed_id: uuid.UUID, encounter_id: uuid.UUID
    ) -> BedAssignment | None:
        query = (
            select(BedAssignment)
            .where(
                BedAssignment.bed_id == bed_id,
                BedAssignment.encounter_id == encounter_id,
                self.scope.condition(BedAssignment.facility_id),
            )
            .order_by(BedAssignment.assigned_at.desc(), BedAssignment.id)
            .limit(1)
            .execution_options(populate_existing=True)
        )
        return cast(BedAssignment | None, await self.session.scalar(query))

    async def open_assignment_of_encounter(self, encounter_id: uuid.UUID) -> BedAssignment | None:
        query = select(BedAssignment).where(
            BedAssignment.encounter_id == encounter_id,
            BedAssignment.released_at.is_(None),
            self.scope.condition(BedAssignment.facility_id),
        )
        return cast(BedAssignment | None, await self.session.scalar(query.limit(1)))

    async def assignments_of_bed(
        self, bed_id: uuid.UUID, *, limit: int, offset: int
    ) -> tuple[list[BedAssignment], int]:
        query = select(BedAssignment).where(
            BedAssignment.bed_id == bed_id, self.scope.condition(BedAssignment.facility_id)
        )
        order = (BedAssignment.assigned_at.desc(), BedAssignment.id)
        return await self._page(query, order, limit, offset)
