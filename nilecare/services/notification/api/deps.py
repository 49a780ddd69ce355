"""Dependencies shared by the notification routes."""

from __future__ import annotations

from typing import Annotated

from nilecare.contracts.notification.permissions import (
    NOTIFICATION_INBOX_READ,
    NOTIFICATION_PREFERENCE_MANAGE,
    NOTIFICATION_SEND,
)
from nilecare.kernel.auth.dependencies import SecureRouter, require
from nilecare.kernel.auth.principal import Principal
from nilecare.kernel.service import ServiceContext
from nilecare.services.notification.service.common import notification_settings
from nilecare.services.notification.settings import NotificationSettings

PREFIX = "/api/v1/notifications"

InboxReader = Annotated[Principal, require(NOTIFICATION_INBOX_READ)]
PreferenceManager = Annotated[Principal, require(NOTIFICATION_PREFERENCE_MANAGE)]
Sender = Annotated[Principal, require(NOTIFICATION_SEND)]


def settings_of(context: ServiceContext) -> NotificationSettings:
    return notification_settings(context.settings)


def notifications_router() -> SecureRouter:
    return SecureRouter(prefix=PREFIX, tags=["notifications"])
