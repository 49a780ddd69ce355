"""The facility service running on each database, tokens for chosen facilities, and helpers
that build a facility's structure through the API."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from nilecare.contracts.facility.permissions import ALL_PERMISSIONS
from nilecare.kernel.events.envelope import Envelope
from nilecare.services.facility.app import SERVICE
from nilecare.services.facility.models import kernel_tables
from tests.harness import RunningService, running_service
from tests.tokens import Signer

STAFF = list(ALL_PERMISSIONS)


@dataclass
class Ward:
    facility_id: uuid.UUID
    ward_id: uuid.UUID
    bed_ids: list[uuid.UUID]


@dataclass
class Facility:
    svc: RunningService
    signer: Signer

    @property
    def client(self) -> httpx.AsyncClient:
        return self.svc.client

    def token(
        self,
        facility_ids: tuple[uuid.UUID, ...] = (),
        *,
        permissions: list[str] | None = None,
        all_facilities: bool = False,
    ) -> str:
        return self.signer.token(
            STAFF if permissions is None else permissions,
            facility_ids=[str(f) for f in facility_ids],
            all_facilities=all_facilities,
        )

    def headers(
        self,
        facility_ids: tuple[uuid.UUID, ...] = (),
        *,
        permissions: list[str] | None = None,
        all_facilities: bool = False,
    ) -> dict[str, str]:
        token = self.token(facility_ids, permissions=permissions, all_facilities=all_facilities)
        return {"Authorization": f"Bearer {token}"}

    @property
    def admin(self) -> dict[str, str]:
        """A cross-facility administrator (super admin)."""
        return self.headers(all_facilities=True)

    async def post(self, path: str, body: dict[str, Any], headers: dict[str, str]) -> Any:
        response = await self.client.post(path, json=body, headers=headers)
        assert response.status_code == 201, response.text
        return response.json()

    async def facility(self, code: str | None = None, **fields: Any) -> uuid.UUID:
        body = {
            "name": "Khartoum North Hospital",
            "code": code or f"F{uuid.uuid4().hex[:6].upper()}",
            "kind": "hospital",
            "state": "Khartoum",
            "locality": "Bahri",
            "phone": "0912345678",
            **fields,
        }
        return uuid.UUID((await self.post("/api/v1/facilities", body, self.admin))["id"])

    async def ward(self, beds: int = 3, facility_id: uuid.UUID | None = None) -> Ward:
        """A facility (unless given) with a department, a ward, one room and ``beds`` beds."""
        facility_id = facility_id or await self.facility()
        headers = self.headers((facility_id,))
        department = await self.post(
            "/api/v1/departments",
            {"facility_id": str(facility_id), "name": "Internal Medicine", "code": "IM"},
            headers,
        )
        ward = await self.post(
            "/api/v1/wards",
            {
                "facility_id": str(facility_id),
                "department_id": department["id"],
                "name": "Medical Ward",
                "code": f"W{uuid.uuid4().hex[:4].upper()}",
            },
            headers,
        )
        room = await self.post("/api/v1/rooms", {"ward_id": ward["id"], "label": "R1"}, headers)
        bed_ids = []
        for number in range(1, beds + 1):
            bed = await self.post(
                "/api/v1/beds",
                {"ward_id": ward["id"], "room_id": room["id"], "label": f"B{number}"},
                headers,
            )
            bed_ids.append(uuid.UUID(bed["id"]))
        return Ward(facility_id, uuid.UUID(ward["id"]), bed_ids)

    async def audit_rows(self, action: str | None = None) -> list[Any]:
        audit = kernel_tables.audit_events
        query = select(audit).order_by(audit.c.seq)
        if action is not None:
            query = query.where(audit.c.action == action)
        async with self.svc.context.database.engine.connect() as conn:
            return list((await conn.execute(query)).all())

    async def published(self) -> list[Envelope]:
        return await self.svc.published()


@pytest.fixture
async def facility(database_url: str, tmp_path: Path) -> AsyncIterator[Facility]:
    signer = Signer()
    async with running_service(SERVICE, database_url, tmp_path) as svc:
        svc.platform.verifier._fetch = signer.fetch_jwks
        yield Facility(svc, signer)
