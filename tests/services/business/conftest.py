"""The business service running on each database, with tokens minted for chosen facilities."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from nilecare.contracts.business.permissions import BUSINESS_PERMISSIONS
from nilecare.services.business.app import SERVICE
from nilecare.services.business.models import kernel_tables
from tests.harness import RunningService, running_service
from tests.tokens import Signer

FACILITY_A = uuid.UUID("11111111-1111-4111-8111-111111111111")
FACILITY_B = uuid.UUID("22222222-2222-4222-8222-222222222222")


@dataclass
class Business:
    svc: RunningService
    signer: Signer

    @property
    def client(self) -> httpx.AsyncClient:
        return self.svc.client

    def token(
        self,
        facilities: tuple[uuid.UUID, ...] = (FACILITY_A,),
        permissions: frozenset[str] | set[str] = BUSINESS_PERMISSIONS,
        *,
        all_facilities: bool = False,
        user_id: uuid.UUID | None = None,
    ) -> str:
        claims: dict[str, Any] = {
            "facility_ids": [str(f) for f in facilities],
            "all_facilities": all_facilities,
        }
        if user_id is not None:
            claims["sub"] = str(user_id)
        return self.signer.token(sorted(permissions), **claims)

    def headers(self, *args: Any, **kwargs: Any) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(*args, **kwargs)}"}

    async def create_staff(
        self, headers: dict[str, str] | None = None, **fields: Any
    ) -> dict[str, Any]:
        body = staff_body(**fields)
        response = await self.client.post(
            "/api/v1/staff", json=body, headers=headers or self.headers()
        )
        assert response.status_code == 201, response.text
        result: dict[str, Any] = response.json()
        return result

    async def audit_rows(self) -> list[Any]:
        async with self.svc.context.database.engine.connect() as conn:
            rows = await conn.execute(
                select(kernel_tables.audit_events).order_by(kernel_tables.audit_events.c.seq)
            )
            return list(rows.all())

    async def published_envelopes(self) -> list[dict[str, Any]]:
        return [envelope.model_dump(mode="json") for envelope in await self.svc.published()]


_licences = iter(range(10_000, 99_999))


def staff_body(**fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "facility_id": str(FACILITY_A),
        "kind": "doctor",
        "full_name_en": "Dr. Amna Osman",
        "full_name_ar": "د. آمنة عثمان",
        "licence_number": f"SMC-{next(_licences)}",
        "specialties": ["Internal Medicine"],
    }
    body.update(fields)
    return body


@pytest.fixture
async def business(database_url: str, tmp_path: Path) -> AsyncIterator[Business]:
    signer = Signer()
    async with running_service(SERVICE, database_url, tmp_path) as svc:
        svc.platform.verifier._fetch = signer.fetch_jwks
        yield Business(svc, signer)
