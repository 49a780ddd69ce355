"""Queries of the notification service. A caller's notifications are read through their user id
and facility scope (a notification about a facility the caller no longer belongs to is not
shown); the dispatcher claims due rows with ``FOR UPDATE SKIP LOCKED`` where the database has
it, so several replicas share the work."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import TypeVar

from sqlalchemy import ColumnElement, and_, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from nilecare.kernel.db.scope import FacilityScope
from nilecare.kernel.tasks.dispatch import claim_rows
from nilecare.services.notification.models import (
    Delivery,
    Notification,
    NotificationRequest,
    Preference,
    PushSubscription,
)

Claimable = TypeVar("Claimable", Delivery, NotificationRequest)


def _visible(user_id: uuid.UUID, scope: FacilityScope) -> ColumnElement[bool]:
    return and_(
        Notification.user_id == user_id,
        Notification.in_app.is_(True),
        or_(Notification.facility_id.is_(None), scope.condition(Notification.facility_id)),
    )


async def inbox(
    session: AsyncSession,
    user_id: uuid.UUID,
    scope: FacilityScope,
    *,
    unread_only: bool,
    limit: int,
    offset: int,
) -> tuple[list[Notification], int]:
    condition = _visible(user_id, scope)
    if unread_only:
        condition = and_(condition, Notification.read_at.is_(None))
    total = await session.scalar(select(func.count()).select_from(Notification).where(condition))
    rows = await session.scalars(
        select(Notification)
        .where(condition)
        .order_by(Notification.created_at.desc(), Notification.id)
        .limit(limit)
        .offset(offset)
    )
    return list(rows), int(total or 0)


async def unread_count(session: AsyncSession, user_id: uuid.UUID, scope: FacilityScope) -> int:
    condition = and_(_visible(user_id, scope), Notification.read_at.is_(None))
    total = await session.scalar(select(func.count()).select_from(Notification).where(condition))
    return int(total or 0)


async def own_notification(
    session: AsyncSession, user_id: uuid.UUID, scope: FacilityScope, notification_id: uuid.UUID
) -> Notification | None:
    row: Notification | None = await session.scalar(
        select(Notification).where(Notification.id == notification_id, _visible(user_id, scope))
    )
    return row


async def mark_all_read(
    session: AsyncSession, user_id: uuid.UUID, scope: FacilityScope, now: datetime
) -> int:
    result = await session.execute(
        update(Notification)
        .where(_visible(user_id, scope), Notification.read_at.is_(None))
        .values(read_at=now)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def notification(session: AsyncSession, notification_id: uuid.UUID) -> Notification | None:
    return await session.get(Notification, notification_id)


async def existing_notifications(
    session: AsyncSession, source_event_id: uuid.UUID
) -> set[tuple[str, str]]:
    """(recipient, kind) of the notifications an event already made."""
    rows = await session.execute(
        select(Notification.recipient, Notification.kind).where(
            Notification.source_event_id == source_event_id
        )
    )
    return {(recipient, kind) for recipient, kind in rows.all()}


async def deliveries_of(session: AsyncSession, notification_id: uuid.UUID) -> list[Delivery]:
    rows = await session.scalars(
        select(Delivery)
        .where(Delivery.notification_id == notification_id)
        .order_by(Delivery.due_at, Delivery.channel, Delivery.id)
    )
    return list(rows)


async def delivery(session: AsyncSession, delivery_id: uuid.UUID) -> Delivery | None:
    return await session.get(Delivery, delivery_id)


async def deliveries_by_provider_id(
    session: AsyncSession, provider: str, provider_message_ids: Sequence[str]
) -> list[Delivery]:
    if not provider_message_ids:
        return []
    rows = await session.scalars(
        select(Delivery).where(
            Delivery.provider == provider,
            Delivery.provider_message_id.in_(sorted(set(provider_message_ids))),
        )
    )
    return list(rows)


async def withdraw_reminders(session: AsyncSession, reference: str, kind: str) -> int:
    """Cancel the queued deliveries of the reference's notifications of ``kind``."""
    of_reference = select(Notification.id).where(
        Notification.reference == reference, Notification.kind == kind
    )
    result = await session.execute(
        update(Delivery)
        .where(Delivery.notification_id.in_(of_reference), Delivery.status == "queued")
        .values(status="cancelled")
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def request_exists(session: AsyncSession, kind: str, reference: str) -> bool:
    found = await session.scalar(
        select(NotificationRequest.id).where(
            NotificationRequest.kind == kind, NotificationRequest.reference == reference
        )
    )
    return found is not None


async def preference(session: AsyncSession, user_id: uuid.UUID) -> Preference | None:
    return await session.get(Preference, user_id)


async def preferences_of(
    session: AsyncSession, user_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Preference]:
    if not user_ids:
        return {}
    rows = await session.scalars(
        select(Preference).where(Preference.user_id.in_(sorted(set(user_ids))))
    )
    return {row.user_id: row for row in rows}


async def push_subscriptions_of(
    session: AsyncSession, user_ids: Sequence[uuid.UUID]
) -> list[PushSubscription]:
    if not user_ids:
        return []
    rows = await session.scalars(
        select(PushSubscription)
        .where(PushSubscription.user_id.in_(sorted(set(user_ids))))
        .order_by(PushSubscription.created_at, PushSubscription.id)
    )
    return list(rows)


async def push_subscription_by_digest(
    session: AsyncSession, digest: str
) -> PushSubscription | None:
    row: PushSubscription | None = await session.scalar(
        select(PushSubscription).where(PushSubscription.endpoint_digest == digest)
    )
    return row


async def delete_push_subscription(
    session: AsyncSession, user_id: uuid.UUID, subscription_id: uuid.UUID
) -> bool:
    result = await session.execute(
        delete(PushSubscription).where(
            PushSubscription.id == subscription_id, PushSubscription.user_id == user_id
        )
    )
    return bool(getattr(result, "rowcount", 0))


async def delete_push_subscription_by_digest(session: AsyncSession, digest: str) -> None:
    await session.execute(
        delete(PushSubscription).where(PushSubscription.endpoint_digest == digest)
    )


async def claim_due(
    session: AsyncSession,
    model: type[Claimable],
    *,
    now: datetime,
    stuck_before: datetime,
    limit: int,
    skip_locked: bool,
) -> list[Claimable]:
    """Rows whose time has come (``queued``, due) or whose task was lost (``sending`` and
    claimed before ``stuck_before``), locked for this transaction; the caller marks them."""
    return await claim_rows(
        session,
        model,
        or_(
            and_(model.status == "queued", model.due_at <= now),
            and_(model.status == "sending", model.claimed_at < stuck_before),
        ),
        order_by=(model.due_at, model.id),
        limit=limit,
        skip_locked=skip_locked,
    )


async def claimed(
    session: AsyncSession, model: type[Claimable], row_id: uuid.UUID
) -> Claimable | None:
    """The row if it is claimed for sending (anything else: nothing is left to do)."""
    row: Claimable | None = await session.scalar(
        select(model).where(model.id == row_id, model.status == "sending")
    )
    return row


async def take_attempt(
    session: AsyncSession,
    model: type[Claimable],
    row_id: uuid.UUID,
    seen_attempts: int,
    now: datetime,
) -> bool:
    """Count one attempt at a claimed row; False when another worker took this attempt first
    (a lost task re-queued while the first one still ran)."""
    result = await session.execute(
        update(model)
        .where(model.id == row_id, model.status == "sending", model.attempts == seen_attempts)
        .values(attempts=seen_attempts + 1, claimed_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))
