"""The unit of work: one transaction per use case, with an explicit commit.

Events (``publish``) and audit entries (``audit``) are collected while the use case runs and
written in the same transaction at ``commit``: the change, its events and its audit trail are
stored together or not at all.
"""

from __future__ import annotations

import base64
import contextlib
from collections.abc import Callable, Iterator
from types import TracebackType
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from nilecare.kernel.audit import AuditEntry, Outcome, append_audit
from nilecare.kernel.auth.principal import Principal
from nilecare.kernel.context import current_context
from nilecare.kernel.db.engine import Database
from nilecare.kernel.db.kernel_tables import KernelTables
from nilecare.kernel.events.envelope import Envelope, Event
from nilecare.kernel.events.outbox import write_outbox


class UnitOfWork:
    def __init__(
        self,
        service: str,
        db: Database,
        tables: KernelTables,
        audit_key: bytes,
        *,
        principal: Principal | None = None,
        on_events_committed: Callable[[], None] | None = None,
    ) -> None:
        self.service = service
        self.db = db
        self.tables = tables
        self.principal = principal
        self._audit_key = audit_key
        self._on_events = on_events_committed
        self._events: list[Envelope] = []
        self._audit: list[AuditEntry] = []
        self._session: AsyncSession | None = None
        self._committer: str | None = None
        self.committed = False

    @property
    def session(self) -> AsyncSession:
        if self._session is None:
            raise RuntimeError("the unit of work is not open")
        return self._session

    async def __aenter__(self) -> UnitOfWork:
        self._session = self.db.session()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._session is not None:
            if not self.committed:
                await self._session.rollback()
            await self._session.close()
            self._session = None

    def publish(
        self,
        event: Event,
        *,
        facility_id: Any = None,
        key: str | None = None,
    ) -> Envelope:
        ctx = current_context()
        envelope = Envelope(
            type=event.event_type,
            version=event.event_version,
            source=self.service,
            key=key or event.partition_key(),
            facility_id=facility_id,
            actor=str(self.principal.user_id) if self.principal else None,
            correlation_id=ctx.request_id if ctx else None,
            traceparent=ctx.traceparent if ctx else None,
            data=event.model_dump(mode="json"),
        )
        self._events.append(envelope)
        return envelope

    def audit(
        self,
        action: str,
        resource_type: str,
        resource_id: Any = None,
        *,
        outcome: Outcome = "success",
        patient_id: Any = None,
        facility_id: Any = None,
        actor_id: Any = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        self._audit.append(
            build_audit_entry(
                self.principal,
                action,
                resource_type,
                resource_id,
                outcome=outcome,
                patient_id=patient_id,
                facility_id=facility_id,
                actor_id=actor_id,
                details=details,
            )
        )

    @contextlib.contextmanager
    def committed_by(self, committer: str) -> Iterator[None]:
        """While inside, ``commit`` raises: ``committer`` commits the work done here with its
        own, all or nothing (a consumer's effects with its inbox claims)."""
        self._committer = committer
        try:
            yield
        finally:
            self._committer = None

    async def commit(self) -> None:
        if self._committer is not None:
            raise RuntimeError(f"{self._committer} commits this unit of work, not its handler")
        session = self.session
        events, entries = self._events, self._audit
        await session.flush()
        await write_outbox(session, self.tables, events)
        await append_audit(session, self.tables, self._audit_key, entries)
        await session.commit()
        self._events, self._audit = [], []
        self.committed = True
        if events and self._on_events is not None:
            self._on_events()

    async def rollback(self) -> None:
        self._events, self._audit = [], []
        await self.session.rollback()


def build_audit_entry(
    principal: Principal | None,
    action: str,
    resource_type: str,
    resource_id: Any = None,
    *,
    outcome: Outcome = "success",
    patient_id: Any = None,
    facility_id: Any = None,
    actor_id: Any = None,
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    ctx = current_context()
    actor = actor_id if actor_id is not None else (principal.user_id if principal else None)
    if principal is not None and principal.service is not None and actor_id is None:
        # A service's id is a uuid like a user's; the name says which service acted.
        details = {"actor_service": principal.service, **(details or {})}
    return AuditEntry(
        action=action,
        resource_type=resource_type,
        resource_id=_text(resource_id),
        outcome=outcome,
        patient_id=_text(patient_id),
        facility_id=_text(facility_id),
        actor_id=_text(actor),
        ip=ctx.client_ip if ctx else None,
        request_id=ctx.request_id if ctx else None,
        details=details or {},
    )


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def audit_key_from_b64(encoded: str) -> bytes:
    return base64.b64decode(encoded)
