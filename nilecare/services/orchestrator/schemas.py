"""Wire models of the orchestrator's patient summary (made of the clinical contract's models)."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel

from nilecare.contracts.clinical.schemas import (
    AllergyRead,
    DiagnosisRead,
    EncounterRead,
    PatientRead,
    VitalSignsRead,
)
from nilecare.kernel.audit_api import AuditEventRead


class PartStatus(StrEnum):
    OK = "ok"
    FAILED = "failed"


class PartOutcome(BaseModel):
    status: PartStatus
    # Why the part is missing (e.g. "403 forbidden", "clinical service unreachable").
    error: str | None = None


class PatientSummary(BaseModel):
    """A patient's chart header; a part that could not be fetched is None and says why in
    ``parts`` instead of failing the whole summary."""

    patient: PatientRead
    active_encounter: EncounterRead | None = None
    diagnoses: list[DiagnosisRead] | None = None
    allergies: list[AllergyRead] | None = None
    last_vitals: VitalSignsRead | None = None
    parts: dict[str, PartOutcome]


class ServiceAuditEvent(AuditEventRead):
    service: str


class AuditTrail(BaseModel):
    """Audit rows gathered from every service, newest first; ``parts`` says which service's rows
    could not be read (the trail is then incomplete, and says so)."""

    items: list[ServiceAuditEvent]
    parts: dict[str, PartOutcome]
