"""Events the clinical service publishes (through its outbox)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import ClassVar

from nilecare.kernel.events.envelope import Event


class PatientCreated(Event):
    event_type: ClassVar[str] = "patient.created"

    patient_id: uuid.UUID
    facility_id: uuid.UUID
    mrn: str

    def partition_key(self) -> str:
        return str(self.patient_id)


class PatientUpdated(Event):
    event_type: ClassVar[str] = "patient.updated"

    patient_id: uuid.UUID
    facility_id: uuid.UUID
    fields: list[str]
    merged_into: uuid.UUID | None = None

    def partition_key(self) -> str:
        return str(self.patient_id)


class EncounterStarted(Event):
    event_type: ClassVar[str] = "encounter.started"

    encounter_id: uuid.UUID
    patient_id: uuid.UUID
    facility_id: uuid.UUID
    encounter_class: str
    bed_id: uuid.UUID | None = None
    started_at: datetime

    def partition_key(self) -> str:
        return str(self.patient_id)


class EncounterFinished(Event):
    event_type: ClassVar[str] = "encounter.finished"

    encounter_id: uuid.UUID
    patient_id: uuid.UUID
    facility_id: uuid.UUID
    encounter_class: str
    bed_id: uuid.UUID | None = None
    ended_at: datetime

    def partition_key(self) -> str:
        return str(self.patient_id)


class VitalsRecorded(Event):
    event_type: ClassVar[str] = "vitals.recorded"

    vital_signs_id: uuid.UUID
    patient_id: uuid.UUID
    facility_id: uuid.UUID
    encounter_id: uuid.UUID | None = None
    # The ward of the patient's open inpatient stay, if any (live updates go out by ward).
    ward_id: uuid.UUID | None = None
    recorded_at: datetime
    critical: bool
    flags: dict[str, str]

    def partition_key(self) -> str:
        return str(self.patient_id)


class VitalsCritical(Event):
    """A reading beyond a critical limit: the ward's on-duty staff are alerted at once.

    ``ward_id`` and ``bed_id`` are those of the patient's open inpatient stay, if any, so alerts
    reach the ward without a lookup; ``values`` holds every measured value, ``flags`` each one's
    flag (normal, abnormal, critical)."""

    event_type: ClassVar[str] = "vitals.critical"

    vital_signs_id: uuid.UUID
    patient_id: uuid.UUID
    facility_id: uuid.UUID
    encounter_id: uuid.UUID | None = None
    ward_id: uuid.UUID | None = None
    bed_id: uuid.UUID | None = None
    recorded_at: datetime
    recorded_by: uuid.UUID | None = None
    values: dict[str, float]
    flags: dict[str, str]

    def partition_key(self) -> str:
        return str(self.patient_id)


class RecordExportReady(Event):
    """A patient's record export is built: the requester is told it can be downloaded."""

    event_type: ClassVar[str] = "clinical.export.ready"

    export_id: uuid.UUID
    patient_id: uuid.UUID
    facility_id: uuid.UUID
    mrn: str
    requested_by: uuid.UUID
    filename: str
    expires_at: datetime

    def partition_key(self) -> str:
        return str(self.patient_id)


class MorbidityReportReady(Event):
    """A facility's morbidity report is built: the requester is told it can be downloaded."""

    event_type: ClassVar[str] = "clinical.report.ready"

    report_id: uuid.UUID
    facility_id: uuid.UUID
    requested_by: uuid.UUID
    period_from: date
    period_to: date
    filename: str
    expires_at: datetime

    def partition_key(self) -> str:
        return str(self.facility_id)
