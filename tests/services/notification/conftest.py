"""The notification service on each database, with test tokens for users of chosen facilities
and a helper that makes notifications through the service's own creation use case."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from nilecare.contracts.notification.permissions import ALL_PERMISSIONS
from nilecare.contracts.notification.schemas import Channel
from nilecare.kernel.db.types import utcnow
from nilecare.services.notification.app import SERVICE
from nilecare.services.notification.models import Delivery, kernel_tables
from nilecare.services.notification.rendering import Renderer
from nilecare.services.notification.service.common import notification_settings
from nilecare.services.notification.service.creation import Draft, create_notifications
from tests.harness import RunningService, running_service
from tests.tokens import Signer

FACILITY_A = uuid.UUID("a1a1a1a1-0000-4000-8000-0000000000a1")
FACILITY_B = uuid.UUID("b2b2b2b2-0000-4000-8000-0000000000b2")
STAFF = [p for p in ALL_PERMISSIONS if p != "notification.send"]
# What every staff role has: their own notification centre, no delivery tracking of others'.
OWN = ["notification.inbox.read", "notification.preference.manage"]

LAB_VALUES = {
    "test_name": "Potassium",
    "value": "6.8",
    "unit": "mmol/L",
    "flag": "critical-high",
    "resulted_at": "2026-03-05T12:30:00+00:00",
    "patient_name": "Hawa Elnour",
    "mrn": "KRT-000123",
}


@dataclass
class Notifications:
    svc: RunningService
    signer: Signer

    @property
    def client(self) -> httpx.AsyncClient:
        return self.svc.client

    def headers(
        self,
        user_id: uuid.UUID,
        facility_ids: tuple[uuid.UUID, ...] = (FACILITY_A,),
        permissions: list[str] | None = None,
        **claims: Any,
    ) -> dict[str, str]:
        token = self.signer.token(
            STAFF if permissions is None else permissions,
            sub=str(user_id),
            facility_ids=[str(f) for f in facility_ids],
            **claims,
        )
        return {"Authorization": f"Bearer {token}"}

    async def notify(
        self,
        user_id: uuid.UUID,
        *,
        kind: str = "lab.result.critical",
        patient_id: uuid.UUID | None = None,
        facility_id: uuid.UUID | None = FACILITY_A,
        email: str | None = "dr.amal@example.org",
        phone: str | None = "+249912345678",
        values: dict[str, Any] | None = None,
        available: frozenset[Channel] = frozenset({"email", "sms", "push"}),
        source_event_id: uuid.UUID | None = None,
    ) -> list[uuid.UUID]:
        """Make one notification for ``user_id``; returns the deliveries due now."""
        context = self.svc.context
        draft = Draft(
            kind=kind,
            recipient=f"user:{user_id}",
            language="en",
            values=LAB_VALUES if values is None else values,
            user_id=user_id,
            patient_id=patient_id or uuid.uuid4(),
            facility_id=facility_id,
            email=email,
            phone=phone,
        )
        async with context.unit_of_work() as uow:
            due = await create_notifications(
                uow,
                keyring=context.keyring,
                renderer=Renderer(),
                settings=notification_settings(context.settings),
                available=available,
                source_event_id=source_event_id or uuid.uuid4(),
                drafts=[draft],
                now=utcnow(),
            )
            await uow.commit()
        return due

    async def deliveries(self) -> list[Delivery]:
        async with self.svc.context.database.session() as session:
            return list(await session.scalars(select(Delivery).order_by(Delivery.channel)))

    async def audit_rows(self, action: str) -> list[Any]:
        audit = kernel_tables.audit_events
        async with self.svc.context.database.engine.connect() as conn:
            rows = await conn.execute(select(audit).where(audit.c.action == action))
            return list(rows.all())


@pytest.fixture
async def notifications(database_url: str, tmp_path: Path) -> AsyncIterator[Notifications]:
    signer = Signer()
    async with running_service(SERVICE, database_url, tmp_path) as svc:
        svc.platform.verifier._fetch = signer.fetch_jwks
        yield Notifications(svc, signer)
