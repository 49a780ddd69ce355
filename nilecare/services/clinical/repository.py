"""Queries of the clinical service, every one filtered by the caller's facility scope."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, Subquery, and_, func, or_, select, update
from sqlalchemy.dialects import mysql, postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import defer

from nilecare.contracts.clinical.schemas import EncounterStatus
from nilecare.kernel.db.scope import FacilityScope
from nilecare.kernel.tasks.dispatch import claim_rows
from nilecare.services.clinical.models import (
    Allergy,
    Diagnosis,
    Encounter,
    FileJob,
    Immunization,
    MrnCounter,
    Patient,
    PatientNameToken,
    VitalSigns,
)

# Above every string that begins with a given word, in the tokens' code point collation.
_LAST_CODE_POINT = "\U0010ffff"


async def next_mrn_number(session: AsyncSession, facility_id: uuid.UUID) -> int:
    """Increment the facility's counter with one atomic upsert; the row stays locked until commit,
    so concurrent registrations at a facility get distinct numbers on every database."""
    dialect = session.get_bind().dialect.name
    table = MrnCounter
    statement: Any
    if dialect == "postgresql":
        pg = postgresql.insert(table).values(facility_id=facility_id, last_value=1)
        statement = pg.on_conflict_do_update(
            index_elements=["facility_id"], set_={"last_value": MrnCounter.last_value + 1}
        )
    elif dialect in {"mysql", "mariadb"}:
        my = mysql.insert(table).values(facility_id=facility_id, last_value=1)
        statement = my.on_duplicate_key_update(last_value=MrnCounter.last_value + 1)
    else:
        lite = sqlite.insert(table).values(facility_id=facility_id, last_value=1)
        statement = lite.on_conflict_do_update(
            index_elements=["facility_id"], set_={"last_value": MrnCounter.last_value + 1}
        )
    await session.execute(statement)
    value = await session.scalar(
        select(MrnCounter.last_value).where(MrnCounter.facility_id == facility_id)
    )
    assert value is not None
    return int(value)


async def get_patient(
    session: AsyncSession, scope: FacilityScope, patient_id: uuid.UUID
) -> Patient | None:
    return await session.scalar(
        select(Patient).where(Patient.id == patient_id, scope.condition(Patient.facility_id))
    )


async def find_duplicate_candidates(
    session: AsyncSession,
    scope: FacilityScope,
    *,
    national_id_hash: str | None,
    phone_hashes: Sequence[str],
    birth_date: date,
) -> list[Patient]:
    """Active in-scope patients sharing the national id or a phone, or born the same day."""
    matches = [Patient.birth_date == birth_date]
    if national_id_hash:
        matches.append(Patient.national_id_hash == national_id_hash)
    for digest in phone_hashes:
        matches.append(Patient.phone_hash == digest)
        matches.append(Patient.alternate_phone_hash == digest)
    rows = await session.scalars(
        select(Patient)
        .where(scope.condition(Patient.facility_id), Patient.status == "active", or_(*matches))
        .order_by(Patient.created_at)
        .limit(200)
    )
    return list(rows)


def _tokens_starting(scope: FacilityScope, word: str) -> Select[uuid.UUID]:
    """A range on the (facility, token) index: portable, unlike LIKE on SQLite."""
    token = PatientNameToken
    return select(token.patient_id).where(
        scope.condition(token.facility_id),
        token.token >= word,
        token.token < word + _LAST_CODE_POINT,
    )


def _name_matches(scope: FacilityScope, words: Sequence[str]) -> Subquery:
    """Ids of the patients of whose tokens one begins with each word, read from the longest
    (likely rarest) word's range, the others checked against theirs. The search joins patients
    to this derived table, which comes first: given ``patients.id IN (...)`` SQLite scans the
    facility's patients and probes the lists, and MariaDB needs STRAIGHT_JOIN to keep the order."""
    first, *rest = sorted(words, key=len, reverse=True)
    patient_id = PatientNameToken.patient_id
    return (
        _tokens_starting(scope, first)
        .where(*(patient_id.in_(_tokens_starting(scope, word)) for word in rest))
        .distinct()
        .subquery("name_matches")
    )


async def replace_name_tokens(
    session: AsyncSession, patient: Patient, tokens: Sequence[PatientNameToken]
) -> None:
    await session.execute(patient.name_tokens.delete())
    patient.name_tokens.add_all(tokens)


async def search_patients(
    session: AsyncSession,
    scope: FacilityScope,
    *,
    name_words: Sequence[str] | None,
    national_id_hash: str | None,
    phone_hash: str | None,
    birth_date: date | None,
    mrn: str | None,
    include_merged: bool,
    limit: int,
    offset: int,
) -> tuple[list[Patient], int]:
    query = select(Patient)
    if name_words is not None:
        if not name_words:
            return [], 0  # nothing to match a name against, so no one
        matches = _name_matches(scope, name_words)
        query = (
            query.select_from(matches)
            .join(Patient, Patient.id == matches.c.patient_id)
            .prefix_with("STRAIGHT_JOIN", dialect="mysql")
        )
    conditions: list[Any] = [scope.condition(Patient.facility_id)]
    if not include_merged:
        conditions.append(Patient.status == "active")
    if national_id_hash:
        conditions.append(Patient.national_id_hash == national_id_hash)
    if phone_hash:
        conditions.append(
            or_(Patient.phone_hash == phone_hash, Patient.alternate_phone_hash == phone_hash)
        )
    if birth_date:
        conditions.append(Patient.birth_date == birth_date)
    if mrn:
        conditions.append(Patient.mrn == mrn)
    query = query.where(*conditions)
    total = await session.scalar(query.with_only_columns(func.count()))
    rows = await session.scalars(
        query.order_by(Patient.family_name_en, Patient.given_name_en, Patient.id)
        .limit(limit)
        .offset(offset)
    )
    return list(rows), int(total or 0)


async def get_encounter(
    session: AsyncSession, scope: FacilityScope, encounter_id: uuid.UUID
) -> Encounter | None:
    return await session.scalar(
        select(Encounter).where(
            Encounter.id == encounter_id, scope.condition(Encounter.facility_id)
        )
    )


async def open_inpatient_stay(
    session: AsyncSession, scope: FacilityScope, patient_id: uuid.UUID
) -> Encounter | None:
    """The patient's in-progress encounter holding a bed (the newest, should there be two)."""
    return await session.scalar(
        select(Encounter)
        .where(
            scope.condition(Encounter.facility_id),
            Encounter.patient_id == patient_id,
            Encounter.status == EncounterStatus.IN_PROGRESS.value,
            Encounter.holds_bed.is_(True),
        )
        .order_by(Encounter.started_at.desc(), Encounter.id)
        .limit(1)
    )


async def list_encounters(
    session: AsyncSession,
    scope: FacilityScope,
    patient_id: uuid.UUID,
    *,
    statuses: Sequence[str] | None,
    limit: int | None,
    offset: int,
) -> tuple[list[Encounter], int]:
    conditions: list[Any] = [
        scope.condition(Encounter.facility_id),
        Encounter.patient_id == patient_id,
    ]
    if statuses:
        conditions.append(Encounter.status.in_(list(statuses)))
    total = await session.scalar(select(func.count()).select_from(Encounter).where(*conditions))
    rows = await session.scalars(
        select(Encounter)
        .where(*conditions)
        .order_by(Encounter.created_at.desc(), Encounter.id)
        .limit(limit)
        .offset(offset)
    )
    return list(rows), int(total or 0)


async def get_diagnosis(
    session: AsyncSession, scope: FacilityScope, diagnosis_id: uuid.UUID
) -> Diagnosis | None:
    return await session.scalar(
        select(Diagnosis).where(
            Diagnosis.id == diagnosis_id, scope.condition(Diagnosis.facility_id)
        )
    )


async def list_diagnoses(
    session: AsyncSession, scope: FacilityScope, patient_id: uuid.UUID
) -> list[Diagnosis]:
    rows = await session.scalars(
        select(Diagnosis)
        .where(scope.condition(Diagnosis.facility_id), Diagnosis.patient_id == patient_id)
        .order_by(Diagnosis.recorded_at.desc(), Diagnosis.id)
    )
    return list(rows)


async def list_allergies(
    session: AsyncSession, scope: FacilityScope, patient_id: uuid.UUID
) -> list[Allergy]:
    rows = await session.scalars(
        select(Allergy)
        .where(scope.condition(Allergy.facility_id), Allergy.patient_id == patient_id)
        .order_by(Allergy.recorded_at.desc(), Allergy.id)
    )
    return list(rows)


async def list_vital_signs(
    session: AsyncSession,
    scope: FacilityScope,
    patient_id: uuid.UUID,
    *,
    since: datetime | None,
    until: datetime | None,
    newest_first: bool,
    limit: int | None,
) -> list[VitalSigns]:
    conditions: list[Any] = [
        scope.condition(VitalSigns.facility_id),
        VitalSigns.patient_id == patient_id,
    ]
    if since is not None:
        conditions.append(VitalSigns.recorded_at >= since)
    if until is not None:
        conditions.append(VitalSigns.recorded_at <= until)
    order = VitalSigns.recorded_at.desc() if newest_first else VitalSigns.recorded_at.asc()
    rows = await session.scalars(
        select(VitalSigns).where(*conditions).order_by(order, VitalSigns.id).limit(limit)
    )
    return list(rows)


async def list_immunizations(
    session: AsyncSession, scope: FacilityScope, patient_id: uuid.UUID
) -> list[Immunization]:
    rows = await session.scalars(
        select(Immunization)
        .where(scope.condition(Immunization.facility_id), Immunization.patient_id == patient_id)
        .order_by(Immunization.occurred_on, Immunization.dose_number, Immunization.id)
    )
    return list(rows)


# --- files built by tasks --------------------------------------------------------------------

ACTIVE_FILE_STATUSES = ("queued", "running")
# Diagnoses and encounters that did not happen are left out of the figures.
_NOT_DIAGNOSED = ("entered-in-error", "refuted")
_NOT_SEEN = (EncounterStatus.CANCELLED.value, EncounterStatus.ENTERED_IN_ERROR.value)


async def get_file_job(
    session: AsyncSession, scope: FacilityScope, kind: str, job_id: uuid.UUID
) -> FileJob | None:
    return await session.scalar(
        select(FileJob).where(
            FileJob.id == job_id, FileJob.kind == kind, scope.condition(FileJob.facility_id)
        )
    )


async def list_file_jobs(
    session: AsyncSession,
    scope: FacilityScope,
    kind: str,
    *,
    patient_id: uuid.UUID | None = None,
    facility_id: uuid.UUID | None = None,
    requested_by: uuid.UUID | None = None,
    limit: int,
) -> Sequence[FileJob]:
    """Newest first, without their content (the list never needs it)."""
    query = select(FileJob).where(FileJob.kind == kind, scope.condition(FileJob.facility_id))
    for column, value in (
        (FileJob.patient_id, patient_id),
        (FileJob.facility_id, facility_id),
        (FileJob.requested_by, requested_by),
    ):
        if value is not None:
            query = query.where(column == value)
    query = query.options(defer(FileJob.content_enc))
    return (
        await session.scalars(query.order_by(FileJob.created_at.desc(), FileJob.id).limit(limit))
    ).all()


async def active_file_job(session: AsyncSession, job_id: uuid.UUID) -> FileJob | None:
    """The job if its file is still to be built (anything else: nothing is left to do)."""
    return await session.scalar(
        select(FileJob).where(FileJob.id == job_id, FileJob.status.in_(ACTIVE_FILE_STATUSES))
    )


async def take_file_attempt(
    session: AsyncSession, job_id: uuid.UUID, seen_attempts: int, now: datetime
) -> bool:
    """Start one attempt at a job; False when another worker took this attempt first."""
    result = await session.execute(
        update(FileJob)
        .where(
            FileJob.id == job_id,
            FileJob.status.in_(ACTIVE_FILE_STATUSES),
            FileJob.attempts == seen_attempts,
        )
        .values(status="running", attempts=seen_attempts + 1, claimed_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))


async def claim_lost_file_jobs(
    session: AsyncSession, *, stuck_before: datetime, limit: int, skip_locked: bool
) -> list[FileJob]:
    """Jobs claimed before ``stuck_before`` and still unfinished: their task was lost."""
    return await claim_rows(
        session,
        FileJob,
        and_(FileJob.status.in_(ACTIVE_FILE_STATUSES), FileJob.claimed_at < stuck_before),
        order_by=(FileJob.claimed_at, FileJob.id),
        limit=limit,
        skip_locked=skip_locked,
    )


async def expire_files(session: AsyncSession, now: datetime) -> int:
    """Delete the content of every ready file whose retention is over."""
    result = await session.execute(
        update(FileJob)
        .where(FileJob.status == "ready", FileJob.expires_at <= now)
        .values(status="expired", content_enc=None)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def diagnosis_counts(
    session: AsyncSession, facility_id: uuid.UUID, since: datetime, before: datetime
) -> list[tuple[str, str, int, int]]:
    """(code, display, diagnoses, patients) recorded at the facility in [since, before)."""
    rows = await session.execute(
        select(
            Diagnosis.code,
            func.min(Diagnosis.display),
            func.count(),
            func.count(Diagnosis.patient_id.distinct()),
        )
        .where(
            Diagnosis.facility_id == facility_id,
            Diagnosis.recorded_at >= since,
            Diagnosis.recorded_at < before,
            Diagnosis.verification_status.not_in(_NOT_DIAGNOSED),
        )
        .group_by(Diagnosis.code)
        .order_by(Diagnosis.code)
    )
    return [(code, display, int(n), int(patients)) for code, display, n, patients in rows]


async def encounter_counts(
    session: AsyncSession, facility_id: uuid.UUID, since: datetime, before: datetime
) -> list[tuple[str, int, int]]:
    """(encounter class, encounters, patients) started at the facility in [since, before)."""
    rows = await session.execute(
        select(
            Encounter.encounter_class,
            func.count(),
            func.count(Encounter.patient_id.distinct()),
        )
        .where(
            Encounter.facility_id == facility_id,
            Encounter.started_at >= since,
            Encounter.started_at < before,
            Encounter.status.not_in(_NOT_SEEN),
        )
        .group_by(Encounter.encounter_class)
        .order_by(Encounter.encounter_class)
    )
    return [(kind, int(n), int(patients)) for kind, n, patients in rows]
