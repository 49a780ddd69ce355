"""Messages other services ask for directly: the auth service's password-reset mail."""

from __future__ import annotations

import uuid

from nilecare.contracts.notification.schemas import PasswordResetMail
from nilecare.kernel.uow import UnitOfWork
from nilecare.services.notification.service.creation import create_notifications
from nilecare.services.notification.service.planning import password_reset_draft
from nilecare.services.notification.service.state import SEND_QUEUE, NotificationState


async def queue_password_reset(
    uow: UnitOfWork, state: NotificationState, mail: PasswordResetMail
) -> None:
    """Write the mail (token sealed with the template values) and hand it to the send queue.
    The answer is the same whether or not mail is configured: the caller learns nothing."""
    context = state.context
    draft = password_reset_draft(context.hasher, state.settings.password_reset_url, mail)
    due_now = await create_notifications(
        uow,
        keyring=context.keyring,
        renderer=state.renderer,
        settings=state.settings,
        available=state.available,
        source_event_id=uuid.uuid4(),
        drafts=[draft],
        now=state.clock(),
    )
    await uow.commit()
    await state.enqueue(SEND_QUEUE, due_now)
