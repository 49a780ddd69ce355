"""The caller's preferences and Web Push subscriptions."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from nilecare.contracts.notification.schemas import (
    Preferences,
    PushSubscriptionCreate,
    PushSubscriptionRead,
)
from nilecare.kernel.service import Context, UoW
from nilecare.services.notification.api.deps import (
    PreferenceManager,
    notifications_router,
    settings_of,
)
from nilecare.services.notification.service import preferences

router: APIRouter = notifications_router()


@router.get("/preferences", summary="The caller's language, channels and quiet hours")
async def get_notification_preferences(
    uow: UoW, context: Context, principal: PreferenceManager
) -> Preferences:
    return await preferences.get_preferences(uow, settings_of(context), principal)


@router.put("/preferences", summary="Change the caller's language, channels and quiet hours")
async def put_notification_preferences(
    data: Preferences, uow: UoW, context: Context, principal: PreferenceManager
) -> Preferences:
    return await preferences.put_preferences(uow, settings_of(context), principal, data)


@router.get(
    "/push-subscriptions",
    summary="The caller's Web Push subscriptions (a browser finds its own by endpoint)",
)
async def list_push_subscriptions(
    uow: UoW, principal: PreferenceManager
) -> list[PushSubscriptionRead]:
    return await preferences.list_push_subscriptions(uow, principal)


@router.post("/push-subscriptions", status_code=201, summary="Register this browser for Web Push")
async def add_push_subscription(
    data: PushSubscriptionCreate, uow: UoW, context: Context, principal: PreferenceManager
) -> PushSubscriptionRead:
    return await preferences.add_push_subscription(uow, context.keyring, principal, data)


@router.delete(
    "/push-subscriptions/{subscription_id}",
    status_code=204,
    summary="Stop Web Push to a browser",
)
async def remove_push_subscription(
    subscription_id: uuid.UUID, uow: UoW, principal: PreferenceManager
) -> None:
    await preferences.remove_push_subscription(uow, principal, subscription_id)
