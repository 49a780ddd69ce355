"""The dispatcher: the loop that hands due work to the task queue (``kernel.tasks.dispatch``).

Every ``dispatcher_interval`` it claims requests and deliveries that are due (queued with their
time come: reminders, messages deferred past quiet hours) or whose task was lost (claimed longer
than ``sending_timeout`` ago: a crashed worker), marks them claimed and enqueues their tasks.
"""

from __future__ import annotations

import uuid

from nilecare.kernel.tasks import dispatch
from nilecare.services.notification import repository
from nilecare.services.notification.models import Delivery, NotificationRequest
from nilecare.services.notification.repository import Claimable
from nilecare.services.notification.service.state import (
    PREPARE_QUEUE,
    SEND_QUEUE,
    NotificationState,
)


class Dispatcher(dispatch.Dispatcher):
    def __init__(self, state: NotificationState) -> None:
        super().__init__("notification-dispatcher", lambda: state.settings.dispatcher_interval)
        self.state = state

    async def dispatch_once(self) -> int:
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
