"""Diagnoses (ICD-10-CM), allergies and manually entered vital signs of a patient."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from nilecare.contracts.clinical.events import VitalsCritical, VitalsRecorded
from nilecare.contracts.clinical.schemas import (
    ICD10_CM_SYSTEM,
    VITAL_UNITS,
    AllergyCreate,
    AllergyRead,
    DiagnosisCreate,
    DiagnosisRead,
    DiagnosisUpdate,
    ImmunizationCreate,
    ImmunizationRead,
    VitalFlag,
    VitalSignsCreate,
    VitalSignsRead,
)
from nilecare.kernel.db.types import utcnow
from nilecare.kernel.errors import NotFound, ValidationFailed
from nilecare.kernel.uow import UnitOfWork
from nilecare.services.clinical import domain, repository
from nilecare.services.clinical.models import (
    Allergy,
    Diagnosis,
    Encounter,
    Immunization,
    VitalSigns,
)
from nilecare.services.clinical.service.common import actor_id, load_patient, scope_of


async def _store_record(
    uow: UnitOfWork,
    row: Diagnosis | Allergy | Immunization,
    resource: str,
    details: dict[str, Any] | None = None,
) -> None:
    """Add a patient's record, audit its creation and commit, in the caller's unit of work."""
    uow.session.add(row)
    await uow.session.flush()
    uow.audit(
        f"{resource}.create",
        resource,
        row.id,
        patient_id=row.patient_id,
        facility_id=row.facility_id,
        details=details,
    )
    await uow.commit()


async def _check_encounter(
    uow: UnitOfWork, encounter_id: uuid.UUID | None, patient_id: uuid.UUID
) -> Encounter | None:
    if encounter_id is None:
        return None
    encounter = await repository.get_encounter(uow.session, scope_of(uow), encounter_id)
    if encounter is None or encounter.patient_id != patient_id:
        raise ValidationFailed.field("encounter_id", "no such encounter of this patient")
    return encounter


async def record_diagnosis(uow: UnitOfWork, data: DiagnosisCreate) -> DiagnosisRead:
    code = domain.normalize_icd10(data.code)
    if code is None:
        raise ValidationFailed.field("code", "not an ICD-10-CM code")
    patient = await load_patient(uow, data.patient_id)
    await _check_encounter(uow, data.encounter_id, patient.id)
    now = utcnow()
    row = Diagnosis(
        patient_id=patient.id,
        facility_id=patient.facility_id,
        encounter_id=data.encounter_id,
        code_system=ICD10_CM_SYSTEM,
        code_system_version=domain.ICD10_CM_VERSION,
        code=code,
        display=domain.icd10_display(code)[:300],
        clinical_status=data.clinical_status.value,
        verification_status=data.verification_status.value,
        onset_date=data.onset_date,
        note=data.note,
        recorded_at=now,
        created_at=now,
        updated_at=now,
    )
    await _store_record(uow, row, "diagnosis", details={"code": code})
    return DiagnosisRead.model_validate(row)


async def update_diagnosis(
    uow: UnitOfWork, diagnosis_id: uuid.UUID, data: DiagnosisUpdate
) -> DiagnosisRead:
    row = await repository.get_diagnosis(uow.session, scope_of(uow), diagnosis_id)
    if row is None:
        raise NotFound("No such diagnosis")
    if data.clinical_status is not None:
        row.clinical_status = data.clinical_status.value
    if data.verification_status is not None:
        row.verification_status = data.verification_status.value
    row.updated_at = utcnow()
    uow.audit(
        "diagnosis.update",
        "diagnosis",
        row.id,
        patient_id=row.patient_id,
        facility_id=row.facility_id,
        details=data.model_dump(mode="json", exclude_none=True),
    )
    await uow.commit()
    return DiagnosisRead.model_validate(row)


async def list_diagnoses(uow: UnitOfWork, patient_id: uuid.UUID) -> list[DiagnosisRead]:
    patient = await load_patient(uow, patient_id)
    rows = await repository.list_diagnoses(uow.session, scope_of(uow), patient.id)
    uow.audit("diagnosis.list", "diagnosis", patient_id=patient.id, facility_id=patient.facility_id)
    await uow.commit()
    return [DiagnosisRead.model_validate(r) for r in rows]


async def record_allergy(uow: UnitOfWork, data: AllergyCreate) -> AllergyRead:
    patient = await load_patient(uow, data.patient_id)
    now = utcnow()
    row = Allergy(
        patient_id=patient.id,
        facility_id=patient.facility_id,
        substance=data.substance,
        substance_code=data.substance_code,
        substance_system=data.substance_system,
        allergy_class=data.allergy_class.value,
        reaction=data.reaction,
        severity=data.severity.value if data.severity else None,
        criticality=data.criticality.value,
        recorded_at=now,
        created_at=now,
        updated_at=now,
    )
    await _store_record(uow, row, "allergy")
    return AllergyRead.model_validate(row)


async def list_allergies(uow: UnitOfWork, patient_id: uuid.UUID) -> list[AllergyRead]:
    patient = await load_patient(uow, patient_id)
    rows = await repository.list_allergies(uow.session, scope_of(uow), patient.id)
    uow.audit("allergy.list", "allergy", patient_id=patient.id, facility_id=patient.facility_id)
    await uow.commit()
    return [AllergyRead.model_validate(r) for r in rows]


def vitals_read(row: VitalSigns) -> VitalSignsRead:
    values = {
        name: float(value) for name in VITAL_UNITS if (value := getattr(row, name)) is not None
    }
    flags = domain.flag_vitals(values)
    return VitalSignsRead(
        id=row.id,
        patient_id=row.patient_id,
        encounter_id=row.encounter_id,
        facility_id=row.facility_id,
        recorded_at=row.recorded_at,
        values=values,
        units={name: VITAL_UNITS[name] for name in values},
        flags=flags,
        critical=row.critical,
    )


async def record_vital_signs(uow: UnitOfWork, data: VitalSignsCreate) -> VitalSignsRead:
    """Store a reading; publish vitals.recorded, and vitals.critical when a value is critical,
    with the ward and bed of the patient's open inpatient stay (stored locally: no call)."""
    patient = await load_patient(uow, data.patient_id)
    stay = await _check_encounter(uow, data.encounter_id, patient.id)
    if stay is None or not stay.holds_bed:
        stay = await repository.open_inpatient_stay(uow.session, scope_of(uow), patient.id)
    ward_id = stay.ward_id if stay else None
    values = {name: v for name in VITAL_UNITS if (v := getattr(data, name)) is not None}
    flags = domain.flag_vitals(values)
    flag_values = {name: flag.value for name, flag in flags.items()}
    critical = any(flag is VitalFlag.CRITICAL for flag in flags.values())
    row = VitalSigns(
        id=uuid.uuid4(),
        patient_id=patient.id,
        facility_id=patient.facility_id,
        encounter_id=data.encounter_id,
        recorded_at=data.recorded_at or utcnow(),
        recorded_by=actor_id(uow.principal),
        critical=critical,
        **values,
    )
    uow.session.add(row)
    await uow.session.flush()
    uow.publish(
        VitalsRecorded(
            vital_signs_id=row.id,
            patient_id=patient.id,
            facility_id=patient.facility_id,
            encounter_id=data.encounter_id,
            ward_id=ward_id,
            recorded_at=row.recorded_at,
            critical=critical,
            flags=flag_values,
        ),
        facility_id=patient.facility_id,
    )
    if critical:
        uow.publish(
            VitalsCritical(
                vital_signs_id=row.id,
                patient_id=patient.id,
                facility_id=patient.facility_id,
                encounter_id=data.encounter_id or (stay.id if stay else None),
                ward_id=ward_id,
                bed_id=stay.bed_id if stay else None,
                recorded_at=row.recorded_at,
                recorded_by=row.recorded_by,
                values={name: float(v) for name, v in values.items()},
                flags=flag_values,
            ),
            facility_id=patient.facility_id,
        )
    uow.audit(
        "vitals.create",
        "vital_signs",
        row.id,
        patient_id=patient.id,
        facility_id=patient.facility_id,
        details={"critical": critical},
    )
    await uow.commit()
    return vitals_read(row)


async def list_vital_signs(
    uow: UnitOfWork,
    patient_id: uuid.UUID,
    *,
    since: datetime | None,
    until: datetime | None,
    newest_first: bool,
    limit: int,
) -> list[VitalSignsRead]:
    if since is not None and until is not None and since > until:
        raise ValidationFailed.field("since", "must not be after until")
    patient = await load_patient(uow, patient_id)
    rows = await repository.list_vital_signs(
        uow.session,
        scope_of(uow),
        patient.id,
        since=since,
        until=until,
        newest_first=newest_first,
        limit=limit,
    )
    uow.audit("vitals.list", "vital_signs", patient_id=patient.id, facility_id=patient.facility_id)
    await uow.commit()
    return [vitals_read(r) for r in rows]


async def record_immunization(uow: UnitOfWork, data: ImmunizationCreate) -> ImmunizationRead:
    patient = await load_patient(uow, data.patient_id)
    await _check_encounter(uow, data.encounter_id, patient.id)
    now = utcnow()
    row = Immunization(
        patient_id=patient.id,
        facility_id=patient.facility_id,
        encounter_id=data.encounter_id,
        vaccine_code=data.vaccine_code,
        vaccine_system=data.vaccine_system,
        vaccine_name=data.vaccine_name,
        occurred_on=data.occurred_on,
        dose_number=data.dose_number,
        lot_number=data.lot_number,
        recorded_at=now,
        created_at=now,
        updated_at=now,
    )
    await _store_record(uow, row, "immunization")
    return ImmunizationRead.model_validate(row)


async def list_immunizations(uow: UnitOfWork, patient_id: uuid.UUID) -> list[ImmunizationRead]:
    patient = await load_patient(uow, patient_id)
    rows = await repository.list_immunizations(uow.session, scope_of(uow), patient.id)
    uow.audit(
        "immunization.list", "immunization", patient_id=patient.id, facility_id=patient.facility_id
    )
    await uow.commit()
    return [ImmunizationRead.model_validate(r) for r in rows]
