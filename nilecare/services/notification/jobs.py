"""The dispatcher: the loop that hands due work to the task queue.

Every ``dispatcher_interval`` it claims requests and deliveries that are due (queued with their
time come: reminders, messages deferred past quiet hours) or whose task was lost (claimed longer
than ``sending_timeout`` ago: a crashed worker), marks them claimed and enqueues their tasks.
Several replicas may run it: rows are claimed with ``FOR UPDATE SKIP LOCKED`` where the database
has it (SQLite runs in one process).
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid

import structlog

from nilecare.services.notification import repository
from nilecare.services.notification.models import Delivery, NotificationRequest
from nilecare.services.notification.repository import Claimable
from nilecare.services.notification.service.state import (
    PREPARE_QUEUE,
    SEND_QUEUE,
    NotificationState,
)

log = structlog.get_logger("nilecare.notification.dispatcher")


class Dispatcher:
    def __init__(self, state: NotificationState) -> None:
        self.state = state
        self._task: asyncio.Task[None] | None = None

    async def dispatch_once(self) -> int:
        """Claim and enqueue what is due now; returns how many tasks were enqueued."""
        requests = await self._dispatch(NotificationRequest, PREPARE_QUEUE)
        return requests + await self._dispatch(Delivery, SEND_QUEUE)

    async def _dispatch(self, model: type[Claimable], queue: str) -> int:
        state = self.state
        settings, db = state.settings, state.context.database
        now = state.clock()
        claimed: list[uuid.UUID] = []
        async with db.session() as session, session.begin():
            rows = await repository.claim_due(
                session,
                model,
                now=now,
                stuck_before=now - settings.sending_timeout,
                limit=settings.dispatcher_batch_size,
                skip_locked=db.supports_skip_locked,
            )
            for row in rows:
                if row.attempts >= settings.max_attempts:
                    row.status = "failed"
                    continue
                row.status, row.claimed_at = "sending", now
                claimed.append(row.id)
        await state.enqueue(queue, claimed)
        return len(claimed)

    async def run(self) -> None:
        while True:
            try:
                await self.dispatch_once()
            except asyncio.CancelledError:
                raise
            except Exception as error:
                log.warning("notification_dispatch_failed", error=type(error).__name__)
            await asyncio.sleep(self.state.settings.dispatcher_interval)

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self.run(), name="notification-dispatcher")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
