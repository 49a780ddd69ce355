"""The clinical service on each database, with test tokens and a facility-service test double."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.responses import JSONResponse

from nilecare.contracts.clinical import permissions as p
from nilecare.contracts.facility.beds import BedAssignmentCreate, BedAssignmentRead
from nilecare.kernel.db.types import utcnow
from nilecare.services.clinical.app import SERVICE
from tests.harness import RunningService, running_service
from tests.tokens import Signer

ALL_CLINICAL = [
    p.CLINICAL_PATIENT_READ,
    p.CLINICAL_PATIENT_WRITE,
    p.CLINICAL_ENCOUNTER_READ,
    p.CLINICAL_ENCOUNTER_WRITE,
    p.CLINICAL_DIAGNOSIS_WRITE,
    p.CLINICAL_ALLERGY_WRITE,
    p.CLINICAL_VITALS_READ,
    p.CLINICAL_VITALS_WRITE,
]

FACILITY_A = uuid.UUID("a1a1a1a1-0000-4000-8000-0000000000a1")
FACILITY_B = uuid.UUID("b2b2b2b2-0000-4000-8000-0000000000b2")


@dataclass
class FakeFacility:
    """Stands in for the facility service's bed-assignment endpoints (same wire models)."""

    occupied: dict[uuid.UUID, BedAssignmentRead] = field(default_factory=dict)
    calls: list[tuple[str, uuid.UUID, uuid.UUID]] = field(default_factory=list)

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.post("/api/v1/beds/{bed_id}/assignment", status_code=201)
        async def assign(bed_id: uuid.UUID, body: BedAssignmentCreate) -> Any:
            self.calls.append(("assign", bed_id, body.encounter_id))
            if bed_id in self.occupied:
                return JSONResponse(
                    {
                        "type": "https://nilecare.sd/problems/bed-occupied",
                        "title": "Conflict",
                        "status": 409,
                        "detail": "The bed is occupied",
                    },
                    status_code=409,
                    media_type="application/problem+json",
                )
            assignment = BedAssignmentRead(
                id=uuid.uuid4(),
                bed_id=bed_id,
                facility_id=FACILITY_A,
                patient_id=body.patient_id,
                encounter_id=body.encounter_id,
                assigned_at=utcnow(),
                released_at=None,
            )
            self.occupied[bed_id] = assignment
            return assignment.model_dump(mode="json")

        @app.delete("/api/v1/beds/{bed_id}/assignment")
        async def release(bed_id: uuid.UUID, encounter_id: uuid.UUID) -> Any:
            self.calls.append(("release", bed_id, encounter_id))
            current = self.occupied.get(bed_id)
            if current is not None and current.encounter_id == encounter_id:
                del self.occupied[bed_id]
                current = current.model_copy(update={"released_at": utcnow()})
            if current is None:
                current = BedAssignmentRead(
                    id=uuid.uuid4(),
                    bed_id=bed_id,
                    facility_id=FACILITY_A,
                    patient_id=uuid.uuid4(),
                    encounter_id=encounter_id,
                    assigned_at=utcnow(),
                    released_at=utcnow(),
                )
            return current.model_dump(mode="json")

        return app


@dataclass
class Clinical:
    svc: RunningService
    signer: Signer
    facility: FakeFacility

    @property
    def client(self) -> httpx.AsyncClient:
        return self.svc.client

    async def published_data(self, event_type: str) -> list[dict[str, Any]]:
        """The data of each ``event_type`` event the service published, in order."""
        return [e.data for e in await self.svc.published() if e.type == event_type]

    def token(
        self,
        permissions: list[str] | None = None,
        facilities: tuple[uuid.UUID, ...] = (FACILITY_A,),
        all_facilities: bool = False,
    ) -> str:
        return self.signer.token(
            ALL_CLINICAL if permissions is None else permissions,
            facility_ids=[str(f) for f in facilities],
            all_facilities=all_facilities,
        )

    def headers(self, *args: Any, **kwargs: Any) -> dict[str, str]:
        return {"authorization": f"Bearer {self.token(*args, **kwargs)}"}

    async def register(
        self, headers: dict[str, str] | None = None, **overrides: Any
    ) -> dict[str, Any]:
        body = patient_body(**overrides)
        answer = await self.client.post(
            "/api/v1/patients", json=body, headers=headers or self.headers()
        )
        assert answer.status_code == 201, answer.text
        result: dict[str, Any] = answer.json()
        return result


_counter = iter(range(10_000, 99_999))


def patient_body(**overrides: Any) -> dict[str, Any]:
    n = next(_counter)
    body: dict[str, Any] = {
        "facility_id": str(FACILITY_A),
        "given_name_en": f"Ahmed{n}",
        "family_name_en": f"Osman{n}",
        "given_name_ar": "أحمد",
        "family_name_ar": "عثمان",
        "sex": "male",
        "birth_date": f"19{n % 90 + 10:02d}-0{n % 9 + 1}-1{n % 9}",
        "national_id": f"1{n:010d}",
        "phone": f"09{n:08d}",
        "address": {"state": "Khartoum", "locality": "Bahri", "line": "Street 5"},
        "emergency_contact": {"name": "Fatima Ali", "relation": "sister", "phone": "+249912345678"},
        "preferred_language": "ar",
    }
    body.update(overrides)
    return body


@pytest.fixture
async def clinical(database_url: str, tmp_path: Path) -> AsyncIterator[Clinical]:
    signer = Signer()
    facility = FakeFacility()
    async with running_service(SERVICE, database_url, tmp_path) as svc:
        svc.platform.verifier._fetch = signer.fetch_jwks
        svc.platform.directory.register_app("facility", facility.app())
        yield Clinical(svc, signer, facility)
