"""Requests: an event (or the auth service's call) recorded in the transaction that received it,
then prepared by the ``notification.prepare`` task: recipients looked up with no transaction
open, notifications and deliveries written in one, deliveries due now handed to the send queue.

A failed lookup the other service refused (4xx: no such patient) fails the request; anything
else (a service down) is retried with backoff, then by the dispatcher after the sending timeout,
up to ``max_attempts``.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import structlog
from sqlalchemy import insert

from nilecare.kernel.db.base import table_of
from nilecare.kernel.errors import Problem
from nilecare.kernel.uow import UnitOfWork
from nilecare.services.notification import repository
from nilecare.services.notification.domain import short_error
from nilecare.services.notification.models import NotificationRequest
from nilecare.services.notification.service.creation import create_notifications
from nilecare.services.notification.service.planning import PLANNERS, Planning
from nilecare.services.notification.service.state import SEND_QUEUE, NotificationState

log = structlog.get_logger("nilecare.notification.requests")

APPOINTMENT_CANCELLED = "appointment.cancelled"


def request_values(
    *,
    kind: str,
    source_event_id: uuid.UUID,
    payload: dict[str, Any],
    now: datetime,
    facility_id: uuid.UUID | None = None,
    reference: str | None = None,
    status: str = "queued",
) -> dict[str, Any]:
    """A request's row, due now."""
    return {
        "id": uuid.uuid4(),
        "source_event_id": source_event_id,
        "kind": kind,
        "reference": reference,
        "facility_id": facility_id,
        "status": status,
        "attempts": 0,
        "payload": payload,
        "due_at": now,
        "created_at": now,
    }


async def record_requests(uow: UnitOfWork, rows: list[dict[str, Any]]) -> None:
    """``request_values`` rows in one (multi-row) INSERT."""
    if rows:
        await uow.session.execute(insert(table_of(NotificationRequest)), rows)


async def withdraw_appointment(
    uow: UnitOfWork, *, source_event_id: uuid.UUID, reference: str, now: datetime
) -> int:
    """Cancel the appointment's pending reminders, and leave a mark so a booking prepared after
    this (its request was still waiting) makes none."""
    withdrawn = await repository.withdraw_reminders(uow.session, reference, "appointment.reminder")
    mark = request_values(
        kind=APPOINTMENT_CANCELLED,
        source_event_id=source_event_id,
        payload={},
        now=now,
        reference=reference,
        status="done",
    )
    await record_requests(uow, [mark])
    return withdrawn


class RequestFailedError(Exception):
    """A transient failure of a request's preparation: the task is retried."""


async def prepare_request(state: NotificationState, request_id: uuid.UUID) -> None:
    context, settings = state.context, state.settings
    now = state.clock()
    async with context.unit_of_work() as uow:
        row = await repository.claimed(uow.session, NotificationRequest, request_id)
        if row is None:
            return
        if row.attempts >= settings.max_attempts:
            row.status = "failed"
            await uow.commit()
            return
        attempts = row.attempts
        if not await repository.take_attempt(
            uow.session, NotificationRequest, request_id, attempts, now
        ):
            return
        kind, reference, source_event_id = row.kind, row.reference, row.source_event_id
        payload = dict(row.payload)
        cancelled = reference is not None and await repository.request_exists(
            uow.session, APPOINTMENT_CANCELLED, reference
        )
        await uow.commit()
    plan = Planning(lookups=state.lookups, now=now, cancelled=cancelled)
    try:
        drafts = await PLANNERS[kind](plan, payload)
    except Problem as problem:
        permanent = problem.status < 500
        await _record_failure(state, request_id, short_error(problem), final=permanent)
        if permanent:
            return
        raise RequestFailedError(kind) from problem
    except Exception as error:
        await _record_failure(state, request_id, short_error(error), final=False)
        raise RequestFailedError(kind) from error
    async with context.unit_of_work() as uow:
        row = await repository.claimed(uow.session, NotificationRequest, request_id)
        if row is None:
            return
        due_now = await create_notifications(
            uow,
            keyring=context.keyring,
            renderer=state.renderer,
            settings=settings,
            available=state.available,
            source_event_id=source_event_id,
            drafts=drafts,
            now=state.clock(),
        )
        row.status = "done"
        await uow.commit()
    await state.enqueue(SEND_QUEUE, due_now)


async def _record_failure(
    state: NotificationState, request_id: uuid.UUID, error: str, *, final: bool
) -> None:
    log.warning("notification_request_failed", request_id=str(request_id), final=final)
    async with state.context.unit_of_work() as uow:
        row = await repository.claimed(uow.session, NotificationRequest, request_id)
        if row is None:
            return
        row.last_error = error
        if final or row.attempts >= state.settings.max_attempts:
            row.status = "failed"
        await uow.commit()
