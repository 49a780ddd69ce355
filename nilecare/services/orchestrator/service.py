"""The patient summary: the clinical service's parts fetched in parallel; a failed part is
reported, only an invisible patient fails the whole (404)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable
from typing import Any

from nilecare.contracts.clinical.client import ClinicalClient
from nilecare.contracts.clinical.schemas import EncounterStatus
from nilecare.kernel.audit_api import AUDIT_PATH, AuditEventPage
from nilecare.kernel.errors import NotFound, Problem
from nilecare.kernel.http.client import ServiceDirectory
from nilecare.services.orchestrator.schemas import (
    AuditTrail,
    PartOutcome,
    PartStatus,
    PatientSummary,
    ServiceAuditEvent,
)

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


async def _service_audit(
    directory: ServiceDirectory, service: str, params: dict[str, str], seconds: float
) -> list[ServiceAuditEvent] | None:
    """A service's matching audit rows; None when the service keeps no audit trail (404)."""
    async with asyncio.timeout(seconds):
        response = await directory.client(service).request("GET", AUDIT_PATH, params=params)
    if response.status_code == 404:
        return None
    if not response.is_success:
        raise Problem(f"{service} answered {response.status_code}", status=502, slug="bad-gateway")
    page = AuditEventPage.model_validate(response.json())
    return [ServiceAuditEvent(service=service, **item.model_dump()) for item in page.items]


async def audit_trail(
    directory: ServiceDirectory,
    *,
    patient_id: uuid.UUID | None,
    actor_id: uuid.UUID | None,
    limit: int,
    part_seconds: float,
) -> AuditTrail:
    params = {"limit": str(limit)}
    if patient_id is not None:
        params["patient_id"] = str(patient_id)
    if actor_id is not None:
        params["actor_id"] = str(actor_id)
    services = directory.names()
    results = await asyncio.gather(
        *(_service_audit(directory, name, params, part_seconds) for name in services),
        return_exceptions=True,
    )
    items: list[ServiceAuditEvent] = []
    parts: dict[str, PartOutcome] = {}
    for name, result in zip(services, results, strict=True):
        if isinstance(result, BaseException):
            parts[name] = PartOutcome(status=PartStatus.FAILED, error=_describe(result))
        elif result is not None:
            parts[name] = PartOutcome(status=PartStatus.OK)
            items.extend(result)
    items.sort(key=lambda event: event.occurred_at, reverse=True)
    return AuditTrail(items=items[:limit], parts=parts)
