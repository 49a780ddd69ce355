"""HTTP routes of the notification service, all under ``/api/v1/notifications``."""

from __future__ import annotations

from fastapi import APIRouter

from nilecare.services.notification.api.inbox import router as inbox_router
from nilecare.services.notification.api.preferences import router as preferences_router
from nilecare.services.notification.api.providers import router as providers_router

routers: tuple[APIRouter, ...] = (inbox_router, preferences_router, providers_router)
