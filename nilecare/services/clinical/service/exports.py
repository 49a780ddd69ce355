"""A patient's record export: one JSON document (``PatientRecord``) holding the patient and
every encounter, diagnosis, allergy, vital-signs reading and immunization the exporting facility
holds, in the API's wire models (so the document reads like the API's answers)."""

from __future__ import annotations

from datetime import datetime

from nilecare.contracts.clinical.events import RecordExportReady
from nilecare.contracts.clinical.schemas import (
    AllergyRead,
    DiagnosisRead,
    EncounterRead,
    ImmunizationRead,
    PatientRecord,
)
from nilecare.kernel.crypto import Keyring
from nilecare.kernel.db.types import utcnow
from nilecare.kernel.tasks.queue import PermanentTaskError
from nilecare.kernel.uow import UnitOfWork
from nilecare.services.clinical import repository
from nilecare.services.clinical.models import FileJob
from nilecare.services.clinical.service.common import scope_of_job, to_read
from nilecare.services.clinical.service.files import BuiltFile
from nilecare.services.clinical.service.records import vitals_read

EXPORT_CONTENT_TYPE = "application/json"


async def build_record_export(
    uow: UnitOfWork, keyring: Keyring, job: FileJob, expires_at: datetime
) -> BuiltFile:
    assert job.patient_id is not None  # every record export names its patient
    session, scope = uow.session, scope_of_job(job.facility_id)
    patient = await repository.get_patient(session, scope, job.patient_id)
    if patient is None:
        raise PermanentTaskError("The patient is no longer in this facility's registry")
    encounters, _ = await repository.list_encounters(
        session, scope, patient.id, statuses=None, limit=None, offset=0
    )
    vitals = await repository.list_vital_signs(
        session, scope, patient.id, since=None, until=None, newest_first=False, limit=None
    )
    now = utcnow()
    record = PatientRecord(
        generated_at=now,
        facility_id=job.facility_id,
        patient=to_read(keyring, patient),
        encounters=[EncounterRead.model_validate(row) for row in encounters],
        diagnoses=[
            DiagnosisRead.model_validate(row)
            for row in await repository.list_diagnoses(session, scope, patient.id)
        ],
        allergies=[
            AllergyRead.model_validate(row)
            for row in await repository.list_allergies(session, scope, patient.id)
        ],
        vital_signs=[vitals_read(row) for row in vitals],
        immunizations=[
            ImmunizationRead.model_validate(row)
            for row in await repository.list_immunizations(session, scope, patient.id)
        ],
    )
    filename = f"patient-record-{patient.mrn}-{now:%Y%m%d}.json"
    return BuiltFile(
        content=record.model_dump_json(indent=2),
        content_type=EXPORT_CONTENT_TYPE,
        filename=filename,
        ready=RecordExportReady(
            export_id=job.id,
            patient_id=patient.id,
            facility_id=job.facility_id,
            mrn=patient.mrn,
            requested_by=job.requested_by,
            filename=filename,
            expires_at=expires_at,
        ),
    )
