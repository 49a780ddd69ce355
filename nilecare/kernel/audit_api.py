"""Every service's own audit rows, read at ``/internal/audit-events`` (not routed by the gateway;
the orchestrator gathers them into ``/api/v1/audit-events``). Reading the trail is audited too."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel
from sqlalchemy import func, or_, select

from nilecare.kernel.auth.dependencies import SecureRouter, require
from nilecare.kernel.auth.principal import Principal
from nilecare.kernel.db.scope import FacilityScope
from nilecare.kernel.uow import UnitOfWork

AUDIT_EVENT_READ = "audit.event.read"
AUDIT_PATH = "/internal/audit-events"


class AuditEventRead(BaseModel):
    seq: int
    occurred_at: datetime
    actor_id: str | None
    action: str
    resource_type: str
    resource_id: str | None
    patient_id: str | None
    facility_id: str | None
    outcome: str
    ip: str | None
    request_id: str | None


class AuditEventPage(BaseModel):
    items: list[AuditEventRead]
    total: int


def audit_router() -> APIRouter:
    router: APIRouter = SecureRouter(tags=["audit"])

    @router.get(AUDIT_PATH, summary="This service's audit rows (who touched what, when)")
    async def list_audit_events(
        request: Request,
        principal: Annotated[Principal, require(AUDIT_EVENT_READ)],
        patient_id: uuid.UUID | None = None,
        actor_id: uuid.UUID | None = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 100,
        offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    ) -> AuditEventPage:
        # The service's context is on the app (this module must not import kernel.service).
        async with request.app.state.context.unit_of_work(principal) as uow:
            return await _read_page(uow, principal, patient_id, actor_id, limit, offset)

    return router


async def _read_page(
    uow: UnitOfWork,
    principal: Principal,
    patient_id: uuid.UUID | None,
    actor_id: uuid.UUID | None,
    limit: int,
    offset: int,
) -> AuditEventPage:
    table = uow.tables.audit_events
    scope = FacilityScope.of(principal)
    conditions: list[Any] = []
    if not scope.all_facilities:
        # Rows of the caller's facilities, and the caller's own actions.
        allowed = [str(f) for f in scope.facility_ids]
        conditions.append(
            or_(table.c.facility_id.in_(allowed), table.c.actor_id == str(principal.user_id))
        )
    if patient_id is not None:
        conditions.append(table.c.patient_id == str(patient_id))
    if actor_id is not None:
        conditions.append(table.c.actor_id == str(actor_id))
    query = select(table).where(*conditions)
    total = await uow.session.scalar(select(func.count()).select_from(query.subquery()))
    rows = (
        await uow.session.execute(query.order_by(table.c.seq.desc()).limit(limit).offset(offset))
    ).mappings()
    items = [AuditEventRead.model_validate(dict(row)) for row in rows]
    uow.audit(
        "audit.read",
        "audit_events",
        patient_id=patient_id,
        details={"actor_filter": str(actor_id) if actor_id else None, "rows": len(items)},
    )
    await uow.commit()
    return AuditEventPage(items=items, total=int(total or 0))
