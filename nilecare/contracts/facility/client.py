"""Typed client for the facility service's HTTP API."""

from __future__ import annotations

import uuid

from nilecare.contracts.facility.beds import BedAssignmentCreate, BedAssignmentRead, BedRead
from nilecare.kernel.http.client import ServiceClient


class FacilityClient:
    def __init__(self, client: ServiceClient) -> None:
        self._client = client

    async def get_bed(self, bed_id: uuid.UUID) -> BedRead:
        return BedRead.model_validate(await self._client.json("GET", f"/api/v1/beds/{bed_id}"))

    async def assign_bed(
        self, bed_id: uuid.UUID, patient_id: uuid.UUID, encounter_id: uuid.UUID
    ) -> BedAssignmentRead:
        """Occupy an available bed; 409 problem when it is not available."""
        body = BedAssignmentCreate(patient_id=patient_id, encounter_id=encounter_id)
        answer = await self._client.json(
            "POST", f"/api/v1/beds/{bed_id}/assignment", json=body.model_dump(mode="json")
        )
        return BedAssignmentRead.model_validate(answer)

    async def release_bed(self, bed_id: uuid.UUID, encounter_id: uuid.UUID) -> BedAssignmentRead:
        """End the encounter's assignment; the bed goes to cleaning. Idempotent."""
        answer = await self._client.json(
            "DELETE",
            f"/api/v1/beds/{bed_id}/assignment",
            params={"encounter_id": str(encounter_id)},
        )
        return BedAssignmentRead.model_validate(answer)
