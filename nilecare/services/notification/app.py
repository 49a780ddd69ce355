"""The notification service's definition: ``SERVICE`` is what the runtime loads."""

from __future__ import annotations

from pathlib import Path

from nilecare.kernel.service import ServiceSpec
from nilecare.services.notification.api import routers
from nilecare.services.notification.models import kernel_tables, metadata
from nilecare.services.notification.settings import NotificationSettings

SERVICE = ServiceSpec(
    name="notification",
    title="Notification",
    description=(
        "Notifications in-app and by e-mail, SMS and Web Push from English and Arabic "
        "templates; delivery tracking with provider webhooks; preferences and quiet hours."
    ),
    port=7150,
    prefixes=("notifications",),
    routers=routers,
    settings_class=NotificationSettings,
    metadata=metadata,
    tables=kernel_tables,
    migrations=Path(__file__).parent / "migrations",
)
