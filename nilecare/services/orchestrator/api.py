"""``/api/v1/patient-summaries``: a patient's chart header gathered from the clinical service."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter

from nilecare.contracts.clinical.client import ClinicalClient
from nilecare.contracts.clinical.permissions import CLINICAL_PATIENT_READ
from nilecare.kernel.auth.dependencies import SecureRouter, require
from nilecare.kernel.auth.principal import Principal
from nilecare.kernel.service import Context
from nilecare.services.orchestrator import service
from nilecare.services.orchestrator.schemas import PatientSummary
from nilecare.services.orchestrator.settings import OrchestratorSettings

router: APIRouter = SecureRouter(prefix="/api/v1/patient-summaries", tags=["patient-summaries"])


@router.get("/{patient_id}", summary="A patient's summary; failed parts are reported, not fatal")
async def get_patient_summary(
    patient_id: uuid.UUID,
    context: Context,
    _: Annotated[Principal, require(CLINICAL_PATIENT_READ)],
) -> PatientSummary:
    settings = context.settings
    part_seconds = (
        settings.part_timeout_seconds if isinstance(settings, OrchestratorSettings) else 5.0
    )
    clinical = ClinicalClient(context.directory.client("clinical"))
    return await service.patient_summary(clinical, patient_id, part_seconds=part_seconds)


routers = (router,)
