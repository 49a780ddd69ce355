"""Typed client for the facility service's HTTP API."""

from __future__ import annotations

import uuid

from nilecare.contracts.facility.beds import (
    BedAssignmentCreate,
    BedAssignmentRead,
    BedRead,
    BedStatus,
)
from nilecare.contracts.facility.schemas import (
    BedAssignmentPage,
    BedPage,
    BedStatusChange,
    BedTransferCreate,
    BedTransferRead,
    FacilityPage,
    FacilityRead,
    WardOccupancy,
    WardRead,
)
from nilecare.kernel.http.client import ServiceClient


class FacilityClient:
    def __init__(self, client: ServiceClient) -> None:
        self._client = client

    async def get_bed(self, bed_id: uuid.UUID) -> BedRead:
        return BedRead.model_validate(await self._client.json("GET", f"/api/v1/beds/{bed_id}"))

    async def assign_bed(
        self,
        bed_id: uuid.UUID,
        patient_id: uuid.UUID,
        encounter_id: uuid.UUID,
        facility_id: uuid.UUID,
    ) -> BedAssignmentRead:
        """Occupy an available bed of the patient's facility; 409 problem when it is not
        available, 422 when it is another facility's."""
        body = BedAssignmentCreate(
            patient_id=patient_id, encounter_id=encounter_id, facility_id=facility_id
        )
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

    async def transfer_bed(
        self, bed_id: uuid.UUID, to_bed_id: uuid.UUID, encounter_id: uuid.UUID
    ) -> BedTransferRead:
        """Move the encounter from ``bed_id`` to the available ``to_bed_id`` in one step."""
        body = BedTransferCreate(to_bed_id=to_bed_id, encounter_id=encounter_id)
        answer = await self._client.json(
            "POST", f"/api/v1/beds/{bed_id}/transfer", json=body.model_dump(mode="json")
        )
        return BedTransferRead.model_validate(answer)

    async def change_bed_status(
        self, bed_id: uuid.UUID, status: BedStatus, reason: str | None = None
    ) -> BedRead:
        """Cleaning done or back in service (``available``), or ``out_of_service``."""
        body = BedStatusChange(status=status, reason=reason)
        answer = await self._client.json(
            "PUT", f"/api/v1/beds/{bed_id}/status", json=body.model_dump(mode="json")
        )
        return BedRead.model_validate(answer)

    async def list_beds(
        self,
        *,
        ward_id: uuid.UUID | None = None,
        status: BedStatus | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> BedPage:
        params: dict[str, str | int] = {"limit": limit, "offset": offset}
        if ward_id is not None:
            params["ward_id"] = str(ward_id)
        if status is not None:
            params["status"] = status.value
        return BedPage.model_validate(await self._client.json("GET", "/api/v1/beds", params=params))

    async def bed_assignments(self, bed_id: uuid.UUID) -> BedAssignmentPage:
        """The bed's assignment history, newest first."""
        answer = await self._client.json("GET", f"/api/v1/beds/{bed_id}/assignments")
        return BedAssignmentPage.model_validate(answer)

    async def ward_occupancy(self, ward_id: uuid.UUID) -> WardOccupancy:
        answer = await self._client.json("GET", f"/api/v1/wards/{ward_id}/occupancy")
        return WardOccupancy.model_validate(answer)

    async def get_ward(self, ward_id: uuid.UUID) -> WardRead:
        return WardRead.model_validate(await self._client.json("GET", f"/api/v1/wards/{ward_id}"))

    async def get_facility(self, facility_id: uuid.UUID) -> FacilityRead:
        answer = await self._client.json("GET", f"/api/v1/facilities/{facility_id}")
        return FacilityRead.model_validate(answer)

    async def list_facilities(self, *, limit: int = 50, offset: int = 0) -> FacilityPage:
        answer = await self._client.json(
            "GET", "/api/v1/facilities", params={"limit": limit, "offset": offset}
        )
        return FacilityPage.model_validate(answer)
