"""The bed board: reading beds, their workflow, assignment, release and transfer.

Each change of occupancy is a conditional UPDATE (``... WHERE status = 'available'``) whose row
count decides the winner, so two callers racing for one bed cannot both get it, on SQLite,
PostgreSQL and MariaDB alike.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from nilecare.contracts.facility.beds import (
    BedAssignmentCreate,
    BedAssignmentRead,
    BedRead,
    BedStatus,
)
from nilecare.contracts.facility.events import BedAssigned, BedReleased
from nilecare.contracts.facility.schemas import (
    BedAssignmentPage,
    BedPage,
    BedStatusChange,
    BedTransferCreate,
    BedTransferRead,
)
from nilecare.kernel.auth.principal import Principal
from nilecare.kernel.db.types import utcnow
from nilecare.kernel.errors import Conflict, NotFound, ValidationFailed
from nilecare.kernel.uow import UnitOfWork
from nilecare.services.facility.domain import MANUAL_TARGETS, can_transition, sources_of
from nilecare.services.facility.models import Bed, BedAssignment
from nilecare.services.facility.repository import FacilityRepository
from nilecare.services.facility.service.common import not_found, repository


@dataclass(frozen=True)
class AssignmentOutcome:
    assignment: BedAssignmentRead
    created: bool


def _not_available(bed: Bed) -> Conflict:
    return Conflict(
        f"The bed is not available (it is {bed.status})",
        slug="bed-not-available",
        bed_status=bed.status,
    )


async def _bed(repo: FacilityRepository, bed_id: uuid.UUID) -> Bed:
    bed = await repo.bed(bed_id)
    if bed is None:
        raise not_found("bed")
    return bed


def _audit_bed_read(uow: UnitOfWork, action: str, bed: Bed) -> None:
    """Who saw which patient in which bed: the occupant's id is patient data."""
    if bed.patient_id is not None:
        uow.audit(action, "bed", bed.id, patient_id=bed.patient_id, facility_id=bed.facility_id)


# --- reads ------------------------------------------------------------------------------------


async def get_bed(uow: UnitOfWork, principal: Principal, bed_id: uuid.UUID) -> BedRead:
    bed = await _bed(repository(uow, principal), bed_id)
    _audit_bed_read(uow, "facility.bed.read", bed)
    await uow.commit()
    return BedRead.model_validate(bed)


async def list_beds(
    uow: UnitOfWork,
    principal: Principal,
    *,
    facility_id: uuid.UUID | None,
    ward_id: uuid.UUID | None,
    status: BedStatus | None,
    limit: int,
    offset: int,
) -> BedPage:
    rows, total = await repository(uow, principal).beds(
        facility_id=facility_id, ward_id=ward_id, status=status, limit=limit, offset=offset
    )
    for bed in rows:
        _audit_bed_read(uow, "facility.bed.list", bed)
    await uow.commit()
    return BedPage(
        items=[BedRead.model_validate(bed) for bed in rows],
        total=total,
        limit=limit,
        offset=offset,
    )


async def list_bed_assignments(
    uow: UnitOfWork, principal: Principal, bed_id: uuid.UUID, *, limit: int, offset: int
) -> BedAssignmentPage:
    repo = repository(uow, principal)
    bed = await _bed(repo, bed_id)
    rows, total = await repo.assignments_of_bed(bed.id, limit=limit, offset=offset)
    for row in rows:
        uow.audit(
            "facility.bed_assignment.list",
            "bed_assignment",
            row.id,
            patient_id=row.patient_id,
            facility_id=row.facility_id,
        )
    await uow.commit()
    return BedAssignmentPage(
        items=[BedAssignmentRead.model_validate(row) for row in rows],
        total=total,
        limit=limit,
        offset=offset,
    )


# --- workflow ---------------------------------------------------------------------------------


async def change_bed_status(
    uow: UnitOfWork, principal: Principal, bed_id: uuid.UUID, data: BedStatusChange
) -> BedRead:
    """Cleaning done (cleaning → available), out of service (from available or cleaning), and
    back in service (out_of_service → available)."""
    target = data.status
    if target not in MANUAL_TARGETS:
        raise ValidationFailed.field(
            "status", "only available or out_of_service are set by hand; assign or release instead"
        )
    repo = repository(uow, principal)
    bed = await _bed(repo, bed_id)
    current = BedStatus(bed.status)
    if current == target:
        return BedRead.model_validate(bed)
    if not can_transition(current, target):
        raise Conflict(
            f"A bed cannot go from {current.value} to {target.value}",
            slug="invalid-bed-transition",
            bed_status=current.value,
        )
    now = utcnow()
    if not await repo.set_status_if_in(bed, target, sources_of(target) & {current}, now):
        raise Conflict("The bed changed meanwhile; reload it", slug="invalid-bed-transition")
    uow.audit(
        "facility.bed.status",
        "bed",
        bed.id,
        facility_id=bed.facility_id,
        details={"from": current.value, "to": target.value, "reason": data.reason},
    )
    changed = await repo.fresh_bed(bed.id)
    assert changed is not None
    await uow.commit()
    return BedRead.model_validate(changed)


async def assign_bed(
    uow: UnitOfWork, principal: Principal, bed_id: uuid.UUID, data: BedAssignmentCreate
) -> AssignmentOutcome:
    """Occupy an available bed for an encounter. Repeating the same request answers the
    existing assignment (not created again); another encounter gets 409."""
    repo = repository(uow, principal)
    bed = await _bed(repo, bed_id)
    if bed.status == BedStatus.OCCUPIED.value and bed.encounter_id == data.encounter_id:
        existing = await repo.open_assignment(bed.id, data.encounter_id)
        if existing is not None:
            return AssignmentOutcome(BedAssignmentRead.model_validate(existing), created=False)
    if data.facility_id is not None and data.facility_id != bed.facility_id:
        raise ValidationFailed.field("bed_id", "the bed belongs to another facility")
    if bed.status != BedStatus.AVAILABLE.value:
        raise _not_available(bed)
    elsewhere = await repo.open_assignment_of_encounter(data.encounter_id)
    if elsewhere is not None:
        raise Conflict(
            "The encounter already has a bed; transfer it instead",
            slug="encounter-has-bed",
            bed_id=str(elsewhere.bed_id),
        )
    now = utcnow()
    if not await repo.occupy_if_available(bed, data.patient_id, data.encounter_id, now):
        raise Conflict("The bed was just taken", slug="bed-not-available")
    assignment = _open(uow, bed, data.patient_id, data.encounter_id, now)
    await uow.session.flush()
    uow.audit(
        "facility.bed.assign",
        "bed",
        bed.id,
        patient_id=data.patient_id,
        facility_id=bed.facility_id,
        details={"encounter_id": str(data.encounter_id), "assignment_id": str(assignment.id)},
    )
    _publish_assigned(uow, bed, assignment, transferred_from=None)
    await uow.commit()
    return AssignmentOutcome(BedAssignmentRead.model_validate(assignment), created=True)


async def release_bed(
    uow: UnitOfWork, principal: Principal, bed_id: uuid.UUID, encounter_id: uuid.UUID
) -> BedAssignmentRead:
    """End the encounter's stay in the bed; the bed goes to cleaning. Releasing an assignment
    already released answers it unchanged."""
    repo = repository(uow, principal)
    bed = await _bed(repo, bed_id)
    assignment = await repo.latest_assignment(bed.id, encounter_id)
    if assignment is None:
        raise NotFoundAssignment()
    if assignment.released_at is not None:
        return BedAssignmentRead.model_validate(assignment)
    now = utcnow()
    if not await repo.vacate_if_held(bed, encounter_id, now):
        # Released by a concurrent request: answer what it stored (a fresh transaction sees
        # it; the rollback expires the objects loaded so far, so use the ids given).
        await uow.rollback()
        again = await repo.latest_assignment(bed_id, encounter_id)
        if again is not None and again.released_at is not None:
            return BedAssignmentRead.model_validate(again)
        raise Conflict("The bed is not held by this encounter", slug="bed-not-held")
    _close(assignment, "release", now)
    await uow.session.flush()
    uow.audit(
        "facility.bed.release",
        "bed",
        bed.id,
        patient_id=assignment.patient_id,
        facility_id=bed.facility_id,
        details={"encounter_id": str(encounter_id), "assignment_id": str(assignment.id)},
    )
    _publish_released(uow, bed, assignment, "release")
    await uow.commit()
    return BedAssignmentRead.model_validate(assignment)


async def transfer_bed(
    uow: UnitOfWork, principal: Principal, bed_id: uuid.UUID, data: BedTransferCreate
) -> BedTransferRead:
    """Move the encounter from this bed to an available one in the same facility: the old
    assignment closes (bed to cleaning) and a new one opens, together or not at all."""
    repo = repository(uow, principal)
    source = await _bed(repo, bed_id)
    if data.to_bed_id == source.id:
        raise ValidationFailed.field("to_bed_id", "the patient is already in this bed")
    target = await repo.bed(data.to_bed_id)
    if target is None:
        raise not_found("bed")
    if target.facility_id != source.facility_id:
        raise ValidationFailed.field("to_bed_id", "transfers stay within one facility")
    current = await repo.open_assignment(source.id, data.encounter_id)
    if current is None:
        raise Conflict("The encounter does not occupy this bed", slug="bed-not-held")
    if target.status != BedStatus.AVAILABLE.value:
        raise _not_available(target)
    now = utcnow()
    if not await repo.occupy_if_available(target, current.patient_id, data.encounter_id, now):
        raise Conflict("The bed was just taken", slug="bed-not-available")
    if not await repo.vacate_if_held(source, data.encounter_id, now):
        await uow.rollback()
        raise Conflict("The encounter does not occupy this bed", slug="bed-not-held")
    _close(current, "transfer", now)
    moved = _open(uow, target, current.patient_id, data.encounter_id, now)
    await uow.session.flush()
    uow.audit(
        "facility.bed.transfer",
        "bed",
        target.id,
        patient_id=current.patient_id,
        facility_id=target.facility_id,
        details={
            "encounter_id": str(data.encounter_id),
            "from_bed_id": str(source.id),
            "to_bed_id": str(target.id),
        },
    )
    _publish_released(uow, source, current, "transfer")
    _publish_assigned(uow, target, moved, transferred_from=source.id)
    await uow.commit()
    return BedTransferRead(
        released=BedAssignmentRead.model_validate(current),
        assigned=BedAssignmentRead.model_validate(moved),
    )


# --- helpers ----------------------------------------------------------------------------------


class NotFoundAssignment(NotFound):
    """No assignment of this encounter to this bed, ever."""

    slug = "bed-assignment-not-found"

    def __init__(self) -> None:
        super().__init__("The encounter was never assigned to this bed")


def _open(
    uow: UnitOfWork, bed: Bed, patient_id: uuid.UUID, encounter_id: uuid.UUID, now: datetime
) -> BedAssignment:
    assignment = BedAssignment(
        id=uuid.uuid4(),
        facility_id=bed.facility_id,
        bed_id=bed.id,
        patient_id=patient_id,
        encounter_id=encounter_id,
        assigned_at=now,
        released_at=None,
    )
    uow.session.add(assignment)
    return assignment


def _close(assignment: BedAssignment, reason: str, now: datetime) -> None:
    assignment.released_at = now
    assignment.release_reason = reason


def _publish_assigned(
    uow: UnitOfWork, bed: Bed, assignment: BedAssignment, *, transferred_from: uuid.UUID | None
) -> None:
    uow.publish(
        BedAssigned(
            assignment_id=assignment.id,
            bed_id=bed.id,
            ward_id=bed.ward_id,
            facility_id=bed.facility_id,
            patient_id=assignment.patient_id,
            encounter_id=assignment.encounter_id,
            assigned_at=assignment.assigned_at,
            transferred_from_bed_id=transferred_from,
        ),
        facility_id=bed.facility_id,
    )


def _publish_released(uow: UnitOfWork, bed: Bed, assignment: BedAssignment, reason: str) -> None:
    assert assignment.released_at is not None
    uow.publish(
        BedReleased(
            assignment_id=assignment.id,
            bed_id=bed.id,
            ward_id=bed.ward_id,
            facility_id=bed.facility_id,
            patient_id=assignment.patient_id,
            encounter_id=assignment.encounter_id,
            released_at=assignment.released_at,
            reason="transfer" if reason == "transfer" else "release",
        ),
        facility_id=bed.facility_id,
    )
