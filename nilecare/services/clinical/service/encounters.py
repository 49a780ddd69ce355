"""Encounter use cases. Admission and discharge call the facility service for the bed BEFORE the
unit of work opens (never awaiting another service inside a transaction); when the clinical
commit then fails, the bed taken is released again (compensation)."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import structlog

from nilecare.contracts.clinical.events import EncounterFinished, EncounterStarted
from nilecare.contracts.clinical.schemas import (
    EncounterClass,
    EncounterCreate,
    EncounterPage,
    EncounterRead,
    EncounterStatus,
    EncounterTransition,
)
from nilecare.contracts.facility.client import FacilityClient
from nilecare.contracts.facility.events import BedAssigned
from nilecare.kernel.auth.principal import Principal
from nilecare.kernel.db.scope import FacilityScope
from nilecare.kernel.db.types import new_id, utcnow
from nilecare.kernel.errors import Conflict, NotFound, ValidationFailed
from nilecare.kernel.uow import UnitOfWork
from nilecare.services.clinical import domain, repository
from nilecare.services.clinical.models import Encounter
from nilecare.services.clinical.service.common import load_patient, scope_of

log = structlog.get_logger("nilecare.clinical")

ENCOUNTER = "encounter"
UnitOfWorkFactory = Callable[[Principal | None], UnitOfWork]


def _needs_bed(encounter_class: EncounterClass, status: EncounterStatus) -> bool:
    return encounter_class is EncounterClass.INPATIENT and status is EncounterStatus.IN_PROGRESS


async def _release_quietly(
    facility: FacilityClient, bed_id: uuid.UUID, encounter_id: uuid.UUID
) -> None:
    try:
        await facility.release_bed(bed_id, encounter_id)
    except Exception as error:  # the original failure is what the caller must see
        log.error("bed_compensation_failed", bed_id=str(bed_id), error=type(error).__name__)


def _started(uow: UnitOfWork, encounter: Encounter) -> None:
    uow.publish(
        EncounterStarted(
            encounter_id=encounter.id,
            patient_id=encounter.patient_id,
            facility_id=encounter.facility_id,
            encounter_class=encounter.encounter_class,
            bed_id=encounter.bed_id if encounter.holds_bed else None,
            started_at=encounter.started_at or utcnow(),
        ),
        facility_id=encounter.facility_id,
    )


async def start_encounter(
    unit_of_work: UnitOfWorkFactory,
    principal: Principal,
    facility: FacilityClient,
    data: EncounterCreate,
) -> EncounterRead:
    if data.status not in domain.INITIAL_STATUSES:
        raise ValidationFailed.field(
            "status", "an encounter starts planned, arrived or in_progress"
        )
    if data.bed_id is not None and data.encounter_class is not EncounterClass.INPATIENT:
        raise ValidationFailed.field("bed_id", "only an inpatient encounter takes a bed")
    needs_bed = _needs_bed(data.encounter_class, data.status)
    if needs_bed and data.bed_id is None:
        raise ValidationFailed.field("bed_id", "admitting an inpatient needs a bed")
    # 1. Check the patient is visible (short read-only transaction, closed before the call).
    async with unit_of_work(principal) as uow:
        patient = await load_patient(uow, data.patient_id)
        facility_id = patient.facility_id
    encounter_id = new_id()
    # 2. Take the bed in the facility service (its 409 is passed on as it is).
    if needs_bed:
        assert data.bed_id is not None
        await facility.assign_bed(data.bed_id, data.patient_id, encounter_id, facility_id)
    # 3. Record the encounter; give the bed back if that fails.
    try:
        async with unit_of_work(principal) as uow:
            patient = await load_patient(uow, data.patient_id)
            now = utcnow()
            encounter = Encounter(
                id=encounter_id,
                patient_id=patient.id,
                facility_id=facility_id,
                encounter_class=data.encounter_class.value,
                status=data.status.value,
                reason=data.reason,
                bed_id=data.bed_id,
                holds_bed=needs_bed,
                started_at=now if data.status is EncounterStatus.IN_PROGRESS else None,
                created_at=now,
                updated_at=now,
            )
            uow.session.add(encounter)
            await uow.session.flush()
            if data.status is EncounterStatus.IN_PROGRESS:
                _started(uow, encounter)
            uow.audit(
                "encounter.create",
                ENCOUNTER,
                encounter.id,
                patient_id=patient.id,
                facility_id=facility_id,
                details={"class": encounter.encounter_class, "status": encounter.status},
            )
            await uow.commit()
            return EncounterRead.model_validate(encounter)
    except BaseException:
        if needs_bed and data.bed_id is not None:
            await _release_quietly(facility, data.bed_id, encounter_id)
        raise


async def change_encounter_status(
    unit_of_work: UnitOfWorkFactory,
    principal: Principal,
    facility: FacilityClient,
    encounter_id: uuid.UUID,
    data: EncounterTransition,
) -> EncounterRead:
    target = data.status
    async with unit_of_work(principal) as uow:
        current = await repository.get_encounter(uow.session, scope_of(uow), encounter_id)
        if current is None:
            raise NotFound("No such encounter")
        status = EncounterStatus(current.status)
        try:
            domain.check_transition(status, target)
        except domain.InvalidTransition as exc:
            raise Conflict(str(exc), slug="invalid-transition") from exc
        encounter_class = EncounterClass(current.encounter_class)
        bed_id = data.bed_id or current.bed_id
        holds_bed = current.holds_bed
        patient_id, facility_id = current.patient_id, current.facility_id
    admit = _needs_bed(encounter_class, target) and not holds_bed
    discharge = holds_bed and domain.ends_encounter(target)
    if data.bed_id is not None and not admit:
        raise ValidationFailed.field("bed_id", "a bed is given only when admitting an inpatient")
    if admit and bed_id is None:
        raise ValidationFailed.field("bed_id", "admitting an inpatient needs a bed")
    if admit:
        assert bed_id is not None
        await facility.assign_bed(bed_id, patient_id, encounter_id, facility_id)
    try:
        async with unit_of_work(principal) as uow:
            encounter = await repository.get_encounter(uow.session, scope_of(uow), encounter_id)
            if encounter is None:
                raise NotFound("No such encounter")
            if encounter.status != status.value or encounter.holds_bed != holds_bed:
                raise Conflict("The encounter changed meanwhile; retry", slug="concurrent-change")
            now = utcnow()
            encounter.status = target.value
            encounter.updated_at = now
            if admit:
                encounter.bed_id = bed_id
                encounter.holds_bed = True
            if target is EncounterStatus.IN_PROGRESS:
                encounter.started_at = now
                _started(uow, encounter)
            if domain.ends_encounter(target):
                encounter.ended_at = now
                encounter.holds_bed = False
            if target is EncounterStatus.FINISHED:
                uow.publish(
                    EncounterFinished(
                        encounter_id=encounter.id,
                        patient_id=encounter.patient_id,
                        facility_id=encounter.facility_id,
                        encounter_class=encounter.encounter_class,
                        bed_id=encounter.bed_id,
                        ended_at=now,
                    ),
                    facility_id=encounter.facility_id,
                )
            uow.audit(
                "encounter.status",
                ENCOUNTER,
                encounter.id,
                patient_id=encounter.patient_id,
                facility_id=encounter.facility_id,
                details={"from": status.value, "to": target.value},
            )
            await uow.commit()
            result = EncounterRead.model_validate(encounter)
    except BaseException:
        if admit and bed_id is not None:
            await _release_quietly(facility, bed_id, encounter_id)
        raise
    # Discharge: the encounter is closed; now give the bed back (release is idempotent, so a
    # failure here is logged and can be retried by calling the facility service again).
    if discharge and bed_id is not None:
        await facility.release_bed(bed_id, encounter_id)
    return result


async def get_encounter(uow: UnitOfWork, encounter_id: uuid.UUID) -> EncounterRead:
    encounter = await repository.get_encounter(uow.session, scope_of(uow), encounter_id)
    if encounter is None:
        raise NotFound("No such encounter")
    uow.audit(
        "encounter.read",
        ENCOUNTER,
        encounter.id,
        patient_id=encounter.patient_id,
        facility_id=encounter.facility_id,
    )
    await uow.commit()
    return EncounterRead.model_validate(encounter)


async def list_encounters(
    uow: UnitOfWork,
    patient_id: uuid.UUID,
    *,
    statuses: list[EncounterStatus] | None,
    limit: int,
    offset: int,
) -> EncounterPage:
    patient = await load_patient(uow, patient_id)
    rows, total = await repository.list_encounters(
        uow.session,
        scope_of(uow),
        patient.id,
        statuses=[s.value for s in statuses] if statuses else None,
        limit=limit,
        offset=offset,
    )
    uow.audit("encounter.list", ENCOUNTER, patient_id=patient.id, facility_id=patient.facility_id)
    await uow.commit()
    return EncounterPage(
        items=[EncounterRead.model_validate(r) for r in rows],
        total=total,
        limit=limit,
        offset=offset,
    )


async def note_bed_assigned(uow: UnitOfWork, event: BedAssigned) -> None:
    """Keep the encounter's bed and ward as the facility service assigned them (admission or
    transfer); an older assignment arriving late changes nothing."""
    encounter = await repository.get_encounter(
        uow.session, FacilityScope.everything(), event.encounter_id
    )
    if encounter is None or encounter.patient_id != event.patient_id:
        return
    if encounter.bed_assigned_at is not None and encounter.bed_assigned_at > event.assigned_at:
        return
    encounter.bed_id = event.bed_id
    encounter.ward_id = event.ward_id
    encounter.bed_assigned_at = event.assigned_at
