"""A user's notification preferences and Web Push subscriptions."""

from __future__ import annotations

import hashlib
import json
import uuid

from nilecare.contracts.notification.schemas import (
    ChannelChoice,
    Preferences,
    PushSubscriptionCreate,
    PushSubscriptionRead,
    QuietHours,
)
from nilecare.kernel.auth.principal import Principal
from nilecare.kernel.crypto import Keyring
from nilecare.kernel.errors import NotFound
from nilecare.kernel.uow import UnitOfWork
from nilecare.services.notification import repository
from nilecare.services.notification.models import Preference, PushSubscription
from nilecare.services.notification.service.common import seal
from nilecare.services.notification.settings import NotificationSettings


def default_preferences(settings: NotificationSettings) -> Preferences:
    return Preferences(
        language=settings.default_language,
        channels=ChannelChoice(),
        quiet_hours=QuietHours(start=settings.default_quiet_start, end=settings.default_quiet_end),
        timezone=settings.default_timezone,
    )


def preferences_read(row: Preference | None, settings: NotificationSettings) -> Preferences:
    if row is None:
        return default_preferences(settings)
    quiet = (
        QuietHours(start=row.quiet_start, end=row.quiet_end)
        if row.quiet_start and row.quiet_end
        else None
    )
    return Preferences(
        language=row.language,
        channels=ChannelChoice(email=row.email, sms=row.sms, push=row.push),
        quiet_hours=quiet,
        timezone=row.timezone,
    )


async def get_preferences(
    uow: UnitOfWork, settings: NotificationSettings, principal: Principal
) -> Preferences:
    return preferences_read(await repository.preference(uow.session, principal.user_id), settings)


async def put_preferences(
    uow: UnitOfWork, settings: NotificationSettings, principal: Principal, data: Preferences
) -> Preferences:
    row = await repository.preference(uow.session, principal.user_id)
    if row is None:
        row = Preference(user_id=principal.user_id)
        uow.session.add(row)
    row.language = data.language
    row.email, row.sms, row.push = data.channels.email, data.channels.sms, data.channels.push
    row.quiet_start = data.quiet_hours.start if data.quiet_hours else None
    row.quiet_end = data.quiet_hours.end if data.quiet_hours else None
    row.timezone = data.timezone
    await uow.commit()
    return preferences_read(row, settings)


def endpoint_digest(endpoint: str) -> str:
    return hashlib.sha256(endpoint.encode()).hexdigest()


async def add_push_subscription(
    uow: UnitOfWork, keyring: Keyring, principal: Principal, data: PushSubscriptionCreate
) -> PushSubscriptionRead:
    endpoint = str(data.endpoint)
    digest = endpoint_digest(endpoint)
    row = await repository.push_subscription_by_digest(uow.session, digest)
    if row is None:
        row = PushSubscription(id=uuid.uuid4(), endpoint_digest=digest, endpoint=endpoint)
        uow.session.add(row)
    # A browser re-subscribing after another user signed in on it now belongs to this user.
    row.user_id = principal.user_id
    subscription = {"endpoint": endpoint, "keys": data.keys.model_dump()}
    row.subscription_enc = seal(keyring, row.id, "subscription", json.dumps(subscription))
    await uow.session.flush()
    await uow.commit()
    return _subscription_read(row)


async def list_push_subscriptions(
    uow: UnitOfWork, principal: Principal
) -> list[PushSubscriptionRead]:
    rows = await repository.push_subscriptions_of(uow.session, [principal.user_id])
    return [_subscription_read(row) for row in rows]


def _subscription_read(row: PushSubscription) -> PushSubscriptionRead:
    return PushSubscriptionRead(id=row.id, endpoint=row.endpoint, created_at=row.created_at)


async def remove_push_subscription(
    uow: UnitOfWork, principal: Principal, subscription_id: uuid.UUID
) -> None:
    if not await repository.delete_push_subscription(
        uow.session, principal.user_id, subscription_id
    ):
        raise NotFound("No such push subscription", slug="push-subscription-not-found")
    await uow.commit()
