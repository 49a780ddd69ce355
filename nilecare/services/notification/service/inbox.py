"""The caller's notification centre: list, count, mark read; and the delivery tracking of a
notification (its recipient's, or an administrator's of its facility)."""

from __future__ import annotations

import uuid

from nilecare.contracts.notification.permissions import NOTIFICATION_DELIVERY_READ
from nilecare.contracts.notification.schemas import (
    DeliveryRead,
    NotificationPage,
    NotificationRead,
    UnreadCount,
)
from nilecare.kernel.auth.principal import Principal
from nilecare.kernel.crypto import Keyring
from nilecare.kernel.db.types import utcnow
from nilecare.kernel.uow import UnitOfWork
from nilecare.services.notification import repository
from nilecare.services.notification.models import Delivery, Notification
from nilecare.services.notification.service.common import notification_not_found, scope_of, unseal

NOTIFICATION = "notification"


def to_read(keyring: Keyring, row: Notification) -> NotificationRead:
    return NotificationRead(
        id=row.id,
        kind=row.kind,
        severity=row.severity,
        title=row.title,
        body=unseal(keyring, row.id, "body", row.body_enc),
        patient_id=row.patient_id,
        facility_id=row.facility_id,
        created_at=row.created_at,
        read_at=row.read_at,
    )


async def list_notifications(
    uow: UnitOfWork,
    keyring: Keyring,
    principal: Principal,
    *,
    unread_only: bool,
    limit: int,
    offset: int,
) -> NotificationPage:
    scope = scope_of(principal)
    rows, total = await repository.inbox(
        uow.session,
        principal.user_id,
        scope,
        unread_only=unread_only,
        limit=limit,
        offset=offset,
    )
    unread = await repository.unread_count(uow.session, principal.user_id, scope)
    # Bodies may describe a patient: one audit row per patient shown.
    shown = {(row.patient_id, row.facility_id) for row in rows if row.patient_id is not None}
    for patient_id, facility_id in sorted(shown, key=str):
        uow.audit(
            "notification.inbox.read",
            NOTIFICATION,
            patient_id=patient_id,
            facility_id=facility_id,
        )
    await uow.commit()
    return NotificationPage(
        items=[to_read(keyring, row) for row in rows], total=total, unread=unread
    )


async def count_unread(uow: UnitOfWork, principal: Principal) -> UnreadCount:
    unread = await repository.unread_count(uow.session, principal.user_id, scope_of(principal))
    return UnreadCount(unread=unread)


async def mark_read(uow: UnitOfWork, principal: Principal, notification_id: uuid.UUID) -> None:
    row = await repository.own_notification(
        uow.session, principal.user_id, scope_of(principal), notification_id
    )
    if row is None:
        raise notification_not_found()
    if row.read_at is None:
        row.read_at = utcnow()
        await uow.commit()


async def mark_all_read(uow: UnitOfWork, principal: Principal) -> None:
    await repository.mark_all_read(uow.session, principal.user_id, scope_of(principal), utcnow())
    await uow.commit()


def delivery_read(row: Delivery) -> DeliveryRead:
    return DeliveryRead(
        id=row.id,
        notification_id=row.notification_id,
        channel=row.channel,
        address=row.address_hint,
        status=row.status,
        provider=row.provider,
        provider_message_id=row.provider_message_id,
        attempts=row.attempts,
        due_at=row.due_at,
        sent_at=row.sent_at,
        delivered_at=row.delivered_at,
        last_error=row.last_error,
        created_at=row.created_at,
    )


async def list_deliveries(
    uow: UnitOfWork, principal: Principal, notification_id: uuid.UUID
) -> list[DeliveryRead]:
    row = await repository.notification(uow.session, notification_id)
    own = row is not None and row.user_id == principal.user_id
    administered = (
        row is not None
        and principal.has(NOTIFICATION_DELIVERY_READ)
        and (principal.all_facilities or principal.can_access_facility(row.facility_id))
    )
    if row is None or not (own or administered):
        raise notification_not_found()
    deliveries = await repository.deliveries_of(uow.session, notification_id)
    uow.audit(
        "notification.delivery.read",
        NOTIFICATION,
        notification_id,
        patient_id=row.patient_id,
        facility_id=row.facility_id,
    )
    await uow.commit()
    return [delivery_read(delivery) for delivery in deliveries]
