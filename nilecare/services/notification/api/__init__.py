"""HTTP routes of the notification service, all under ``/api/v1/notifications``."""

from __future__ import annotations

from fastapi import APIRouter

from nilecare.services.notification.api.inbox import router as inbox_router
from nilecare.services.notification.api.preferences import router as preferences_router

# The fixed paths first: ``/preferences`` must not be taken for a notification id.
routers: tuple[APIRouter, ...] = (preferences_router, inbox_router)
