"""The notification service's definition: ``SERVICE`` is what the runtime loads."""

from __future__ import annotations

import uuid
from pathlib import Path

from fastapi import FastAPI

from nilecare.kernel.service import ServiceContext, ServiceSpec, TaskWorker
from nilecare.kernel.tasks.queue import Task
from nilecare.services.notification.api import routers
from nilecare.services.notification.consumers import CONSUMERS
from nilecare.services.notification.file_consumers import FILE_READY_CONSUMERS
from nilecare.services.notification.jobs import Dispatcher
from nilecare.services.notification.models import kernel_tables, metadata
from nilecare.services.notification.service.lookups import LOOKUP_PERMISSIONS
from nilecare.services.notification.service.requests import prepare_request
from nilecare.services.notification.service.sending import send_delivery
from nilecare.services.notification.service.state import (
    PREPARE_QUEUE,
    SEND_QUEUE,
    close_state,
    state_of,
)
from nilecare.services.notification.settings import NotificationSettings


async def run_prepare(context: ServiceContext, task: Task) -> None:
    await prepare_request(state_of(context), uuid.UUID(task.payload["id"]))


async def run_send(context: ServiceContext, task: Task) -> None:
    await send_delivery(state_of(context), uuid.UUID(task.payload["id"]))


async def start_notifications(context: ServiceContext, app: FastAPI) -> None:
    state = state_of(context)
    app.state.notification = state
    app.state.dispatcher = Dispatcher(state)
    app.state.dispatcher.start()


async def stop_notifications(context: ServiceContext, app: FastAPI) -> None:
    await app.state.dispatcher.stop()
    await close_state(context)


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
    consumers=(*CONSUMERS, *FILE_READY_CONSUMERS),
    tasks=(TaskWorker(PREPARE_QUEUE, run_prepare), TaskWorker(SEND_QUEUE, run_send)),
    service_permissions=LOOKUP_PERMISSIONS,
    on_startup=(start_notifications,),
    on_shutdown=(stop_notifications,),
)
