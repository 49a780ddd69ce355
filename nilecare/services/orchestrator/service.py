"""The patient summary: the clinical service's parts fetched in parallel; a failed part is
reported, only an invisible patient fails the whole (404)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable
from typing import Any

from nilecare.contracts.clinical.client import ClinicalClient
from nilecare.contracts.clinical.schemas import EncounterStatus
from nilecare.kernel.errors import NotFound, Problem
from nilecare.services.orchestrator.schemas import PartOutcome, PartStatus, PatientSummary

ACTIVE_STATUSES = (EncounterStatus.IN_PROGRESS, EncounterStatus.ARRIVED, EncounterStatus.PLANNED)


def _describe(error: BaseException) -> str:
    if isinstance(error, Problem):
        return f"{error.status} {error.slug}: {error.detail or error.title}"
    if isinstance(error, TimeoutError):
        return "timed out"
    return f"unavailable ({type(error).__name__})"


async def _bounded(call: Awaitable[Any], seconds: float) -> Any:
    async with asyncio.timeout(seconds):
        return await call


async def patient_summary(
    clinical: ClinicalClient, patient_id: uuid.UUID, *, part_seconds: float
) -> PatientSummary:
    calls = {
        "patient": clinical.get_patient(patient_id),
        "encounters": clinical.list_encounters(patient_id, statuses=ACTIVE_STATUSES, limit=10),
        "diagnoses": clinical.list_diagnoses(patient_id),
        "allergies": clinical.list_allergies(patient_id),
        "vitals": clinical.latest_vital_signs(patient_id, limit=1),
    }
    results = await asyncio.gather(
        *(_bounded(call, part_seconds) for call in calls.values()), return_exceptions=True
    )
    outcome = dict(zip(calls, results, strict=True))
    patient = outcome["patient"]
    if isinstance(patient, BaseException):
        if isinstance(patient, Problem) and patient.status in (403, 404):
            raise NotFound("No such patient")
        raise patient
    parts = {
        name: (
            PartOutcome(status=PartStatus.FAILED, error=_describe(value))
            if isinstance(value, BaseException)
            else PartOutcome(status=PartStatus.OK)
        )
        for name, value in outcome.items()
    }

    def ok(name: str) -> Any:
        value = outcome[name]
        return None if isinstance(value, BaseException) else value

    encounters = ok("encounters")
    active = None
    if encounters is not None:
        by_priority = sorted(
            encounters.items, key=lambda e: ACTIVE_STATUSES.index(EncounterStatus(e.status))
        )
        active = by_priority[0] if by_priority else None
    vitals = ok("vitals")
    return PatientSummary(
        patient=patient,
        active_encounter=active,
        diagnoses=ok("diagnoses"),
        allergies=ok("allergies"),
        last_vitals=vitals[0] if vitals else None,
        parts=parts,
    )
