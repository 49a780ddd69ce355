"""``/api/v1/patient-summaries``: a patient's chart header gathered from the clinical service."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from nilecare.contracts.clinical.client import ClinicalClient
from nilecare.contracts.clinical.permissions import CLINICAL_PATIENT_READ
from nilecare.kernel.audit_api import AUDIT_EVENT_READ
from nilecare.kernel.auth.dependencies import SecureRouter, require
from nilecare.kernel.auth.principal import Principal
from nilecare.kernel.service import Context
from nilecare.services.orchestrator import service
from nilecare.services.orchestrator.schemas import AuditTrail, PatientSummary
from nilecare.services.orchestrator.settings import OrchestratorSettings

router: APIRouter = SecureRouter(prefix="/api/v1/patient-summaries", tags=["patient-summaries"])


@router.get("/{patient_id}", summary="A patient's summary; failed parts are reported, not fatal")
async def get_patient_summary(
    patient_id: uuid.UUID,
    context: Context,
    _: Annotated[Principal, require(CLINICAL_PATIENT_READ)],
) -> PatientSummary:
    clinical = ClinicalClient(context.directory.client("clinical"))
    return await service.patient_summary(
        clinical, patient_id, part_seconds=_part_seconds(context.settings)
    )


audit_router: APIRouter = SecureRouter(prefix="/api/v1/audit-events", tags=["audit"])


@audit_router.get("", summary="Who accessed what: audit rows of every service, newest first")
async def list_audit_events(
    context: Context,
    _: Annotated[Principal, require(AUDIT_EVENT_READ)],
    patient_id: uuid.UUID | None = None,
    actor_id: uuid.UUID | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> AuditTrail:
    return await service.audit_trail(
        context.directory,
        patient_id=patient_id,
        actor_id=actor_id,
        limit=limit,
        part_seconds=_part_seconds(context.settings),
    )


def _part_seconds(settings: object) -> float:
    return settings.part_timeout_seconds if isinstance(settings, OrchestratorSettings) else 5.0


routers = (router, audit_router)
