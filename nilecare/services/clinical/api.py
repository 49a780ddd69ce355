"""HTTP API of the clinical service: ``/api/v1/patients``, ``/encounters``, ``/diagnoses``,
``/allergies``, ``/vital-signs``, ``/immunizations``, and the files built by tasks:
``/record-exports`` and ``/morbidity-reports``."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Response

from nilecare.contracts.clinical.permissions import (
    CLINICAL_ALLERGY_WRITE,
    CLINICAL_DIAGNOSIS_WRITE,
    CLINICAL_ENCOUNTER_READ,
    CLINICAL_ENCOUNTER_WRITE,
    CLINICAL_EXPORT_CREATE,
    CLINICAL_IMMUNIZATION_WRITE,
    CLINICAL_PATIENT_READ,
    CLINICAL_PATIENT_WRITE,
    CLINICAL_REPORT_READ,
    CLINICAL_VITALS_READ,
    CLINICAL_VITALS_WRITE,
)
from nilecare.contracts.clinical.schemas import (
    AllergyCreate,
    AllergyRead,
    DiagnosisCreate,
    DiagnosisRead,
    DiagnosisUpdate,
    EncounterCreate,
    EncounterPage,
    EncounterRead,
    EncounterStatus,
    EncounterTransition,
    ImmunizationCreate,
    ImmunizationRead,
    MorbidityReportCreate,
    MorbidityReportRead,
    PatientCreate,
    PatientMerge,
    PatientPage,
    PatientRead,
    PatientRecord,
    PatientUpdate,
    RecordExportRead,
    VitalSignsCreate,
    VitalSignsRead,
)
from nilecare.contracts.facility.client import FacilityClient
from nilecare.kernel.auth.dependencies import SecureRouter, require
from nilecare.kernel.auth.principal import Principal
from nilecare.kernel.errors import ValidationFailed
from nilecare.kernel.service import Context, ServiceContext, UoW
from nilecare.kernel.types import PageLimit, PageOffset
from nilecare.services.clinical.service import encounters, files, patients, records
from nilecare.services.clinical.service.common import clinical_settings

PatientReader = Annotated[Principal, require(CLINICAL_PATIENT_READ)]
PatientWriter = Annotated[Principal, require(CLINICAL_PATIENT_WRITE)]
EncounterReader = Annotated[Principal, require(CLINICAL_ENCOUNTER_READ)]
EncounterWriter = Annotated[Principal, require(CLINICAL_ENCOUNTER_WRITE)]
DiagnosisWriter = Annotated[Principal, require(CLINICAL_DIAGNOSIS_WRITE)]
AllergyWriter = Annotated[Principal, require(CLINICAL_ALLERGY_WRITE)]
ImmunizationWriter = Annotated[Principal, require(CLINICAL_IMMUNIZATION_WRITE)]
VitalsReader = Annotated[Principal, require(CLINICAL_VITALS_READ)]
VitalsWriter = Annotated[Principal, require(CLINICAL_VITALS_WRITE)]
Exporter = Annotated[Principal, require(CLINICAL_EXPORT_CREATE)]
ReportReader = Annotated[Principal, require(CLINICAL_REPORT_READ)]
FileListLimit = Annotated[int, Query(ge=1, le=100)]


def _facility(context: ServiceContext) -> FacilityClient:
    return FacilityClient(context.directory.client("facility"))


def _attachment(download: files.Download) -> Response:
    return Response(
        download.content,
        media_type=download.content_type,
        headers={
            "content-disposition": f'attachment; filename="{download.filename}"',
            "cache-control": "no-store",
        },
    )


def _aware(name: str, value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        raise ValidationFailed.field(name, "give the time with its UTC offset")
    return value


patients_router: APIRouter = SecureRouter(prefix="/api/v1/patients", tags=["patients"])


@patients_router.post("", status_code=201, summary="Register a patient (409 on likely duplicates)")
async def register_patient(
    data: PatientCreate, uow: UoW, context: Context, response: Response, _: PatientWriter
) -> PatientRead:
    patient, created = await patients.register_patient(
        uow, context.keyring, context.hasher, clinical_settings(context.settings), data
    )
    if not created:
        response.status_code = 200
    return patient


@patients_router.get("", summary="Search patients of the caller's facilities")
async def search_patients(
    uow: UoW,
    context: Context,
    _: PatientReader,
    name: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=100,
            description="Words that each begin a given or family name, English or Arabic "
            "(case, diacritics and hamza forms ignored): `mar osm` finds Mariam Osman.",
        ),
    ] = None,
    national_id: Annotated[str | None, Query(max_length=32)] = None,
    phone: Annotated[str | None, Query(max_length=32)] = None,
    birth_date: date | None = None,
    mrn: Annotated[str | None, Query(max_length=32)] = None,
    include_merged: bool = False,
    limit: Annotated[PageLimit, Query()] = 50,
    offset: Annotated[PageOffset, Query()] = 0,
) -> PatientPage:
    return await patients.search_patients(
        uow,
        context.keyring,
        context.hasher,
        name=name,
        national_id=national_id,
        phone=phone,
        birth_date=birth_date,
        mrn=mrn,
        include_merged=include_merged,
        limit=limit,
        offset=offset,
    )


@patients_router.get("/{patient_id}", summary="Get a patient")
async def get_patient(
    patient_id: uuid.UUID, uow: UoW, context: Context, _: PatientReader
) -> PatientRead:
    return await patients.get_patient(uow, context.keyring, patient_id)


@patients_router.patch("/{patient_id}", summary="Change a patient's names or contact details")
async def update_patient(
    patient_id: uuid.UUID, data: PatientUpdate, uow: UoW, context: Context, _: PatientWriter
) -> PatientRead:
    return await patients.update_patient(uow, context.keyring, context.hasher, patient_id, data)


@patients_router.post("/{patient_id}/merge", summary="Merge a duplicate into this patient")
async def merge_patient(
    patient_id: uuid.UUID, data: PatientMerge, uow: UoW, context: Context, _: PatientWriter
) -> PatientRead:
    return await patients.merge_patients(uow, context.keyring, patient_id, data)


@patients_router.get("/{patient_id}/encounters", summary="A patient's encounters, newest first")
async def list_patient_encounters(
    patient_id: uuid.UUID,
    uow: UoW,
    _: EncounterReader,
    status: Annotated[list[EncounterStatus] | None, Query()] = None,
    limit: Annotated[PageLimit, Query()] = 50,
    offset: Annotated[PageOffset, Query()] = 0,
) -> EncounterPage:
    return await encounters.list_encounters(
        uow, patient_id, statuses=status, limit=limit, offset=offset
    )


@patients_router.get("/{patient_id}/diagnoses", summary="A patient's diagnoses")
async def list_patient_diagnoses(
    patient_id: uuid.UUID, uow: UoW, _: PatientReader
) -> list[DiagnosisRead]:
    return await records.list_diagnoses(uow, patient_id)


@patients_router.get("/{patient_id}/allergies", summary="A patient's allergies")
async def list_patient_allergies(
    patient_id: uuid.UUID, uow: UoW, _: PatientReader
) -> list[AllergyRead]:
    return await records.list_allergies(uow, patient_id)


@patients_router.get("/{patient_id}/immunizations", summary="A patient's immunizations")
async def list_patient_immunizations(
    patient_id: uuid.UUID, uow: UoW, _: PatientReader
) -> list[ImmunizationRead]:
    return await records.list_immunizations(uow, patient_id)


@patients_router.get("/{patient_id}/vital-signs", summary="A patient's vital signs in a range")
async def list_patient_vital_signs(
    patient_id: uuid.UUID,
    uow: UoW,
    _: VitalsReader,
    since: datetime | None = None,
    until: datetime | None = None,
    newest_first: bool = False,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
) -> list[VitalSignsRead]:
    return await records.list_vital_signs(
        uow,
        patient_id,
        since=_aware("since", since),
        until=_aware("until", until),
        newest_first=newest_first,
        limit=limit,
    )


@patients_router.post(
    "/{patient_id}/exports",
    status_code=202,
    summary="Ask for an export of the patient's whole record (built by a task)",
)
async def request_record_export(
    patient_id: uuid.UUID, uow: UoW, context: Context, _: Exporter
) -> RecordExportRead:
    return await files.request_export(uow, context.tasks, patient_id)


@patients_router.get(
    "/{patient_id}/exports",
    summary="The patient's record exports, newest first (the caller's own; all with "
    "clinical.file.manage)",
)
async def list_record_exports(
    patient_id: uuid.UUID, uow: UoW, _: Exporter, limit: FileListLimit = 20
) -> list[RecordExportRead]:
    return await files.list_exports(uow, patient_id, limit)


exports_router: APIRouter = SecureRouter(prefix="/api/v1/record-exports", tags=["record-exports"])


@exports_router.get("/{export_id}", summary="A record export's status (the requester's own)")
async def get_record_export(export_id: uuid.UUID, uow: UoW, _: Exporter) -> RecordExportRead:
    return await files.get_export(uow, export_id)


@exports_router.get(
    "/{export_id}/file",
    response_class=Response,
    summary="Download a ready record export (409 before, 410 once expired)",
    responses={200: {"model": PatientRecord, "description": "The patient's record"}},
)
async def download_record_export(
    export_id: uuid.UUID, uow: UoW, context: Context, _: Exporter
) -> Response:
    return _attachment(
        await files.download_file(uow, context.keyring, files.RECORD_EXPORT, export_id)
    )


reports_router: APIRouter = SecureRouter(
    prefix="/api/v1/morbidity-reports", tags=["morbidity-reports"]
)


@reports_router.post(
    "", status_code=202, summary="Ask for a facility's morbidity report (CSV, built by a task)"
)
async def request_morbidity_report(
    data: MorbidityReportCreate, uow: UoW, context: Context, _: ReportReader
) -> MorbidityReportRead:
    return await files.request_report(uow, context.tasks, data)


@reports_router.get(
    "",
    summary="Morbidity reports, newest first, of one facility or all the caller's (the caller's "
    "own; all with clinical.file.manage)",
)
async def list_morbidity_reports(
    uow: UoW, _: ReportReader, facility_id: uuid.UUID | None = None, limit: FileListLimit = 20
) -> list[MorbidityReportRead]:
    return await files.list_reports(uow, facility_id, limit)


@reports_router.get("/{report_id}", summary="A morbidity report's status (the requester's own)")
async def get_morbidity_report(
    report_id: uuid.UUID, uow: UoW, _: ReportReader
) -> MorbidityReportRead:
    return await files.get_report(uow, report_id)


@reports_router.get(
    "/{report_id}/file",
    response_class=Response,
    summary="Download a ready morbidity report (409 before, 410 once expired)",
    responses={200: {"content": {"text/csv": {}}, "description": "The report as CSV"}},
)
async def download_morbidity_report(
    report_id: uuid.UUID, uow: UoW, context: Context, _: ReportReader
) -> Response:
    return _attachment(
        await files.download_file(uow, context.keyring, files.MORBIDITY_REPORT, report_id)
    )


encounters_router: APIRouter = SecureRouter(prefix="/api/v1/encounters", tags=["encounters"])


@encounters_router.post("", status_code=201, summary="Start an encounter (admits an inpatient)")
async def start_encounter(
    data: EncounterCreate, context: Context, principal: EncounterWriter
) -> EncounterRead:
    return await encounters.start_encounter(
        context.unit_of_work, principal, _facility(context), data
    )


@encounters_router.get("/{encounter_id}", summary="Get an encounter")
async def get_encounter(encounter_id: uuid.UUID, uow: UoW, _: EncounterReader) -> EncounterRead:
    return await encounters.get_encounter(uow, encounter_id)


@encounters_router.post(
    "/{encounter_id}/status", summary="Move an encounter on (finishing an inpatient discharges)"
)
async def change_encounter_status(
    encounter_id: uuid.UUID,
    data: EncounterTransition,
    context: Context,
    principal: EncounterWriter,
) -> EncounterRead:
    return await encounters.change_encounter_status(
        context.unit_of_work, principal, _facility(context), encounter_id, data
    )


diagnoses_router: APIRouter = SecureRouter(prefix="/api/v1/diagnoses", tags=["diagnoses"])


@diagnoses_router.post("", status_code=201, summary="Record an ICD-10-CM diagnosis")
async def record_diagnosis(data: DiagnosisCreate, uow: UoW, _: DiagnosisWriter) -> DiagnosisRead:
    return await records.record_diagnosis(uow, data)


@diagnoses_router.patch("/{diagnosis_id}", summary="Change a diagnosis' status")
async def update_diagnosis(
    diagnosis_id: uuid.UUID, data: DiagnosisUpdate, uow: UoW, _: DiagnosisWriter
) -> DiagnosisRead:
    return await records.update_diagnosis(uow, diagnosis_id, data)


allergies_router: APIRouter = SecureRouter(prefix="/api/v1/allergies", tags=["allergies"])


@allergies_router.post("", status_code=201, summary="Record an allergy or intolerance")
async def record_allergy(data: AllergyCreate, uow: UoW, _: AllergyWriter) -> AllergyRead:
    return await records.record_allergy(uow, data)


vitals_router: APIRouter = SecureRouter(prefix="/api/v1/vital-signs", tags=["vital-signs"])


@vitals_router.post("", status_code=201, summary="Record vital signs (flagged per value)")
async def record_vital_signs(data: VitalSignsCreate, uow: UoW, _: VitalsWriter) -> VitalSignsRead:
    return await records.record_vital_signs(uow, data)


immunizations_router: APIRouter = SecureRouter(
    prefix="/api/v1/immunizations", tags=["immunizations"]
)


@immunizations_router.post("", status_code=201, summary="Record a vaccine given")
async def record_immunization(
    data: ImmunizationCreate, uow: UoW, _: ImmunizationWriter
) -> ImmunizationRead:
    return await records.record_immunization(uow, data)


routers = (
    patients_router,
    encounters_router,
    diagnoses_router,
    allergies_router,
    vitals_router,
    immunizations_router,
    exports_router,
    reports_router,
)
