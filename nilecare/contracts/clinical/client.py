"""Typed client for the clinical service's HTTP API (the caller's token is forwarded)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from pydantic import TypeAdapter

from nilecare.contracts.clinical.schemas import (
    AllergyRead,
    DiagnosisRead,
    EncounterPage,
    EncounterStatus,
    PatientRead,
    VitalSignsRead,
)
from nilecare.kernel.http.client import ServiceClient

_DIAGNOSES = TypeAdapter(list[DiagnosisRead])
_ALLERGIES = TypeAdapter(list[AllergyRead])
_VITALS = TypeAdapter(list[VitalSignsRead])


class ClinicalClient:
    def __init__(self, client: ServiceClient) -> None:
        self._client = client

    async def get_patient(self, patient_id: uuid.UUID) -> PatientRead:
        body = await self._client.json("GET", f"/api/v1/patients/{patient_id}")
        return PatientRead.model_validate(body)

    async def list_encounters(
        self,
        patient_id: uuid.UUID,
        statuses: Sequence[EncounterStatus] = (),
        limit: int = 50,
    ) -> EncounterPage:
        params: dict[str, object] = {"limit": limit}
        if statuses:
            params["status"] = [s.value for s in statuses]
        body = await self._client.json(
            "GET", f"/api/v1/patients/{patient_id}/encounters", params=params
        )
        return EncounterPage.model_validate(body)

    async def list_diagnoses(self, patient_id: uuid.UUID) -> list[DiagnosisRead]:
        body = await self._client.json("GET", f"/api/v1/patients/{patient_id}/diagnoses")
        return _DIAGNOSES.validate_python(body)

    async def list_allergies(self, patient_id: uuid.UUID) -> list[AllergyRead]:
        body = await self._client.json("GET", f"/api/v1/patients/{patient_id}/allergies")
        return _ALLERGIES.validate_python(body)

    async def latest_vital_signs(
        self, patient_id: uuid.UUID, limit: int = 1
    ) -> list[VitalSignsRead]:
        body = await self._client.json(
            "GET",
            f"/api/v1/patients/{patient_id}/vital-signs",
            params={"newest_first": "true", "limit": limit},
        )
        return _VITALS.validate_python(body)
