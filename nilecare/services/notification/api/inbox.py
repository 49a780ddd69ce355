"""The caller's notification centre and delivery tracking."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from nilecare.contracts.notification.schemas import DeliveryRead, NotificationPage, UnreadCount
from nilecare.kernel.service import Context, UoW
from nilecare.kernel.types import PageLimit, PageOffset
from nilecare.services.notification.api.deps import InboxReader, notifications_router
from nilecare.services.notification.service import inbox

router: APIRouter = notifications_router()


@router.get("", summary="The caller's notifications, newest first")
async def list_notifications(
    uow: UoW,
    context: Context,
    principal: InboxReader,
    unread: Annotated[bool, Query(description="Only the unread ones")] = False,
    limit: Annotated[PageLimit, Query()] = 50,
    offset: Annotated[PageOffset, Query()] = 0,
) -> NotificationPage:
    return await inbox.list_notifications(
        uow, context.keyring, principal, unread_only=unread, limit=limit, offset=offset
    )


@router.get("/unread-count", summary="How many of the caller's notifications are unread")
async def count_unread_notifications(uow: UoW, principal: InboxReader) -> UnreadCount:
    return await inbox.count_unread(uow, principal)


@router.post("/read-all", status_code=204, summary="Mark all of the caller's notifications read")
async def mark_all_notifications_read(uow: UoW, principal: InboxReader) -> None:
    await inbox.mark_all_read(uow, principal)


@router.post("/{notification_id}/read", status_code=204, summary="Mark a notification read")
async def mark_notification_read(
    notification_id: uuid.UUID, uow: UoW, principal: InboxReader
) -> None:
    await inbox.mark_read(uow, principal, notification_id)


@router.get(
    "/{notification_id}/deliveries",
    summary="Where a notification went and what became of it (own, or an administrator's)",
)
async def list_notification_deliveries(
    notification_id: uuid.UUID, uow: UoW, principal: InboxReader
) -> list[DeliveryRead]:
    return await inbox.list_deliveries(uow, principal, notification_id)
