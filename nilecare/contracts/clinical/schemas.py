"""Wire models of the clinical service.

Rules checked here (each failure is a 422 naming the field):
- national id: exactly 11 digits (the Sudanese national number); spaces and dashes are ignored;
- phone: a Sudanese number, ``+249`` and 9 digits; the national form ``0`` + 9 digits and
  ``00249`` + 9 digits are accepted and normalised to ``+249XXXXXXXXX``;
- e-mail: optional, a valid address (pydantic ``EmailStr``), stored in lower case;
- birth date: not in the future and not before 1900;
- state: one of Sudan's 18 states.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    field_validator,
    model_validator,
)

from nilecare.kernel.types import Page, SudanPhone

SUDAN_STATES: tuple[str, ...] = (
    "Khartoum",
    "Gezira",
    "Red Sea",
    "Kassala",
    "Gedaref",
    "White Nile",
    "Blue Nile",
    "Northern",
    "River Nile",
    "Sennar",
    "North Kordofan",
    "South Kordofan",
    "West Kordofan",
    "North Darfur",
    "South Darfur",
    "West Darfur",
    "East Darfur",
    "Central Darfur",
)
NATIONAL_ID_DIGITS = 11
ICD10_CM_SYSTEM = "http://hl7.org/fhir/sid/icd-10-cm"


def normalize_national_id(value: str) -> str:
    raw = re.sub(r"[\s\-]", "", value)
    if not re.fullmatch(rf"[0-9]{{{NATIONAL_ID_DIGITS}}}", raw):
        raise ValueError(f"the national id is exactly {NATIONAL_ID_DIGITS} digits")
    return raw


def _check_state(value: str) -> str:
    for state in SUDAN_STATES:
        if state.lower() == value.strip().lower():
            return state
    raise ValueError("not one of Sudan's 18 states")


def _check_birth_date(value: date) -> date:
    if value > datetime.now(UTC).date():
        raise ValueError("the birth date is in the future")
    if value.year < 1900:
        raise ValueError("the birth date is before 1900")
    return value


Phone = SudanPhone
NationalId = Annotated[str, Field(max_length=32), AfterValidator(normalize_national_id)]
State = Annotated[str, Field(max_length=40), AfterValidator(_check_state)]
BirthDate = Annotated[date, AfterValidator(_check_birth_date)]
Name = Annotated[str, Field(min_length=1, max_length=100)]
# Lower case as a whole, so that one address is written one way.
Email = Annotated[EmailStr, Field(max_length=320), AfterValidator(str.lower)]


class Sex(StrEnum):
    MALE = "male"
    FEMALE = "female"
    OTHER = "other"
    UNKNOWN = "unknown"


class Language(StrEnum):
    AR = "ar"
    EN = "en"


class PatientStatus(StrEnum):
    ACTIVE = "active"
    MERGED = "merged"


class Address(BaseModel):
    model_config = ConfigDict(extra="forbid")

    state: State
    locality: Annotated[str, Field(min_length=1, max_length=100)]
    line: Annotated[str | None, Field(max_length=200)] = None


class EmergencyContact(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name
    relation: Annotated[str, Field(min_length=1, max_length=50)]
    phone: Phone


class PatientBase(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    given_name_en: Name
    family_name_en: Name
    given_name_ar: Name | None = None
    family_name_ar: Name | None = None
    sex: Sex
    birth_date: BirthDate
    national_id: NationalId | None = None
    phone: Phone
    alternate_phone: Phone | None = None
    email: Email | None = None
    address: Address
    emergency_contact: EmergencyContact | None = None
    preferred_language: Language = Language.AR


class PatientCreate(PatientBase):
    facility_id: uuid.UUID
    # Register even though possible duplicates were found (the clerk checked them).
    confirm_new: bool = False
    # Do not register: the person is this existing patient (one of the candidates).
    link_to_patient_id: uuid.UUID | None = None


class PatientUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    given_name_en: Name | None = None
    family_name_en: Name | None = None
    given_name_ar: Name | None = None
    family_name_ar: Name | None = None
    phone: Phone | None = None
    alternate_phone: Phone | None = None
    # An explicit null removes the e-mail address.
    email: Email | None = None
    address: Address | None = None
    emergency_contact: EmergencyContact | None = None
    preferred_language: Language | None = None


class PatientRead(PatientBase):
    model_config = ConfigDict(extra="ignore")

    id: uuid.UUID
    mrn: str
    facility_id: uuid.UUID
    status: PatientStatus
    merged_into_id: uuid.UUID | None
    created_at: datetime
    updated_at: datetime


class PatientPage(Page[PatientRead]):
    pass


class PatientMerge(BaseModel):
    model_config = ConfigDict(extra="forbid")

    duplicate_id: uuid.UUID


class EncounterClass(StrEnum):
    OUTPATIENT = "outpatient"
    INPATIENT = "inpatient"
    EMERGENCY = "emergency"


class EncounterStatus(StrEnum):
    PLANNED = "planned"
    ARRIVED = "arrived"
    IN_PROGRESS = "in_progress"
    FINISHED = "finished"
    CANCELLED = "cancelled"
    ENTERED_IN_ERROR = "entered_in_error"


class EncounterCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    patient_id: uuid.UUID
    encounter_class: EncounterClass
    status: Annotated[EncounterStatus, Field(description="planned, arrived or in_progress")] = (
        EncounterStatus.ARRIVED
    )
    reason: Annotated[str | None, Field(max_length=500)] = None
    # The bed an inpatient is admitted to (taken when the encounter is in progress).
    bed_id: uuid.UUID | None = None


class EncounterTransition(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: EncounterStatus
    bed_id: uuid.UUID | None = None


class EncounterRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    patient_id: uuid.UUID
    facility_id: uuid.UUID
    encounter_class: EncounterClass
    status: EncounterStatus
    reason: str | None
    bed_id: uuid.UUID | None
    started_at: datetime | None
    ended_at: datetime | None
    created_at: datetime


class EncounterPage(Page[EncounterRead]):
    pass


class ClinicalStatus(StrEnum):
    ACTIVE = "active"
    RECURRENCE = "recurrence"
    RELAPSE = "relapse"
    INACTIVE = "inactive"
    REMISSION = "remission"
    RESOLVED = "resolved"


class VerificationStatus(StrEnum):
    UNCONFIRMED = "unconfirmed"
    PROVISIONAL = "provisional"
    DIFFERENTIAL = "differential"
    CONFIRMED = "confirmed"
    REFUTED = "refuted"
    ENTERED_IN_ERROR = "entered-in-error"


class DiagnosisCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    patient_id: uuid.UUID
    encounter_id: uuid.UUID | None = None
    code: Annotated[str, Field(min_length=3, max_length=10)]
    clinical_status: ClinicalStatus = ClinicalStatus.ACTIVE
    verification_status: VerificationStatus = VerificationStatus.CONFIRMED
    onset_date: date | None = None
    note: Annotated[str | None, Field(max_length=1000)] = None


class DiagnosisUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    clinical_status: ClinicalStatus | None = None
    verification_status: VerificationStatus | None = None


class DiagnosisRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    patient_id: uuid.UUID
    encounter_id: uuid.UUID | None
    facility_id: uuid.UUID
    code_system: str
    code_system_version: str
    code: str
    display: str
    clinical_status: ClinicalStatus
    verification_status: VerificationStatus
    onset_date: date | None
    note: str | None
    recorded_at: datetime


class AllergyClass(StrEnum):
    DRUG = "drug"
    FOOD = "food"
    ENVIRONMENT = "environment"
    BIOLOGIC = "biologic"


class Severity(StrEnum):
    MILD = "mild"
    MODERATE = "moderate"
    SEVERE = "severe"


class Criticality(StrEnum):
    LOW = "low"
    HIGH = "high"
    UNABLE_TO_ASSESS = "unable-to-assess"


class AllergyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    patient_id: uuid.UUID
    substance: Annotated[str, Field(min_length=1, max_length=200)]
    # Optional coded substance (e.g. an RxNorm or SNOMED CT code) with its system URI.
    substance_code: Annotated[str | None, Field(max_length=64)] = None
    substance_system: Annotated[str | None, Field(max_length=200)] = None
    allergy_class: AllergyClass
    reaction: Annotated[str | None, Field(max_length=500)] = None
    severity: Severity | None = None
    criticality: Criticality = Criticality.UNABLE_TO_ASSESS

    @model_validator(mode="after")
    def _code_needs_system(self) -> AllergyCreate:
        if self.substance_code and not self.substance_system:
            raise ValueError("substance_system is required with substance_code")
        return self


class AllergyRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    patient_id: uuid.UUID
    facility_id: uuid.UUID
    substance: str
    substance_code: str | None
    substance_system: str | None
    allergy_class: AllergyClass
    reaction: str | None
    severity: Severity | None
    criticality: Criticality
    recorded_at: datetime


# UCUM units of each vital sign.
VITAL_UNITS: dict[str, str] = {
    "heart_rate": "/min",
    "systolic_bp": "mm[Hg]",
    "diastolic_bp": "mm[Hg]",
    "spo2": "%",
    "temperature": "Cel",
    "respiratory_rate": "/min",
    "weight": "kg",
    "height": "cm",
}


class VitalFlag(StrEnum):
    NORMAL = "normal"
    ABNORMAL = "abnormal"
    CRITICAL = "critical"


class VitalSignsCreate(BaseModel):
    """One set of readings; values outside what a living human can show are refused (422)."""

    model_config = ConfigDict(extra="forbid")

    patient_id: uuid.UUID
    encounter_id: uuid.UUID | None = None
    recorded_at: datetime | None = None
    heart_rate: Annotated[float | None, Field(gt=0, le=350)] = None
    systolic_bp: Annotated[float | None, Field(gt=0, le=350)] = None
    diastolic_bp: Annotated[float | None, Field(gt=0, le=250)] = None
    spo2: Annotated[float | None, Field(ge=0, le=100)] = None
    temperature: Annotated[float | None, Field(ge=20, le=45)] = None
    respiratory_rate: Annotated[float | None, Field(ge=0, le=120)] = None
    weight: Annotated[float | None, Field(gt=0, le=500)] = None
    height: Annotated[float | None, Field(gt=0, le=300)] = None

    @field_validator("recorded_at")
    @classmethod
    def _aware_and_not_future(cls, value: datetime | None) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("give the time with its UTC offset")
        if (value - datetime.now(UTC)).total_seconds() > 300:
            raise ValueError("the reading time is in the future")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> VitalSignsCreate:
        if all(getattr(self, name) is None for name in VITAL_UNITS):
            raise ValueError("at least one vital sign is needed")
        if (
            self.systolic_bp is not None
            and self.diastolic_bp is not None
            and self.diastolic_bp >= self.systolic_bp
        ):
            raise ValueError("diastolic_bp must be lower than systolic_bp")
        return self


class VitalSignsRead(BaseModel):
    id: uuid.UUID
    patient_id: uuid.UUID
    encounter_id: uuid.UUID | None
    facility_id: uuid.UUID
    recorded_at: datetime
    values: dict[str, float]
    units: dict[str, str]
    flags: dict[str, VitalFlag]
    critical: bool


class DuplicateCandidates(BaseModel):
    """Body of the 409 answered when a registration looks like an existing patient."""

    candidate_ids: list[uuid.UUID]
    reasons: dict[str, list[str]]


class ImmunizationCreate(BaseModel):
    """A vaccine given (coded, e.g. CVX ``http://hl7.org/fhir/sid/cvx``, or by name)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    patient_id: uuid.UUID
    encounter_id: uuid.UUID | None = None
    vaccine_code: Annotated[str | None, Field(max_length=32)] = None
    vaccine_system: Annotated[str | None, Field(max_length=200)] = None
    vaccine_name: Annotated[str, Field(min_length=1, max_length=200)]
    occurred_on: date
    dose_number: Annotated[int, Field(ge=1, le=20)]
    lot_number: Annotated[str | None, Field(max_length=64)] = None

    @field_validator("occurred_on")
    @classmethod
    def _not_future(cls, value: date) -> date:
        if value > datetime.now(UTC).date():
            raise ValueError("the vaccination date is in the future")
        return value

    @model_validator(mode="after")
    def _code_needs_system(self) -> ImmunizationCreate:
        if self.vaccine_code and not self.vaccine_system:
            raise ValueError("vaccine_system is required with vaccine_code")
        return self


class ImmunizationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    patient_id: uuid.UUID
    encounter_id: uuid.UUID | None
    facility_id: uuid.UUID
    vaccine_code: str | None
    vaccine_system: str | None
    vaccine_name: str
    occurred_on: date
    dose_number: int
    lot_number: str | None
    recorded_at: datetime


# --- files built by tasks: record exports and morbidity reports ---------------------------------

# The longest period one morbidity report covers (a year, leap day included).
REPORT_MAX_DAYS = 366


class FileStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    READY = "ready"
    FAILED = "failed"
    # Ready once; its content was deleted when the retention time was over.
    EXPIRED = "expired"


class FileJobRead(BaseModel):
    """A file being built by a task; ``content_type``, ``filename`` and ``size`` once ready."""

    id: uuid.UUID
    facility_id: uuid.UUID
    requested_by: uuid.UUID
    status: FileStatus
    error: str | None
    created_at: datetime
    finished_at: datetime | None
    expires_at: datetime | None
    content_type: str | None
    filename: str | None
    size: int | None


class RecordExportRead(FileJobRead):
    patient_id: uuid.UUID


class MorbidityReportCreate(BaseModel):
    """A facility's morbidity report for whole days ``from`` to ``to`` (Africa/Khartoum)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    facility_id: uuid.UUID
    period_from: Annotated[date, Field(alias="from")]
    period_to: Annotated[date, Field(alias="to")]

    @model_validator(mode="after")
    def _period(self) -> MorbidityReportCreate:
        if self.period_from > self.period_to:
            raise ValueError("from must not be after to")
        if (self.period_to - self.period_from).days >= REPORT_MAX_DAYS:
            raise ValueError(f"a report covers at most {REPORT_MAX_DAYS} days")
        return self


class MorbidityReportRead(FileJobRead):
    period_from: date
    period_to: date


class PatientRecord(BaseModel):
    """The JSON document of a record export (``nilecare.patient-record``, version 1): the
    patient and every encounter, diagnosis, allergy, vital-signs reading and immunization of
    the exporting facility, in the API's own wire models."""

    format: str = "nilecare.patient-record"
    version: int = 1
    generated_at: datetime
    facility_id: uuid.UUID
    patient: PatientRead
    encounters: list[EncounterRead]
    diagnoses: list[DiagnosisRead]
    allergies: list[AllergyRead]
    vital_signs: list[VitalSignsRead]
    immunizations: list[ImmunizationRead]
