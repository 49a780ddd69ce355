"""Sending one delivery (the ``notification.send`` task) and what providers report afterwards.

The task is safe to run twice: it acts only on a delivery claimed for sending, and counts its
attempt with a compare-and-set on ``attempts`` before it calls the provider, so a lost task
re-queued while the first still runs does not send twice. The provider is called with no
transaction open.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence

import structlog
from jinja2 import TemplateError

from nilecare.contracts.notification.events import NotificationSent
from nilecare.kernel.uow import UnitOfWork
from nilecare.services.notification import repository
from nilecare.services.notification.channels.base import (
    OutboundMessage,
    PermanentDeliveryError,
    SendReceipt,
    StatusUpdate,
)
from nilecare.services.notification.domain import reported_status, short_error
from nilecare.services.notification.models import Delivery
from nilecare.services.notification.rendering import TemplateMissing
from nilecare.services.notification.service.common import unseal, unseal_json
from nilecare.services.notification.service.preferences import endpoint_digest
from nilecare.services.notification.service.state import NotificationState

log = structlog.get_logger("nilecare.notification.sending")


class DeliveryRetry(Exception):
    """A transient failure: the task is retried with backoff."""


async def send_delivery(state: NotificationState, delivery_id: uuid.UUID) -> None:
    context, keyring = state.context, state.context.keyring
    async with context.unit_of_work() as uow:
        row = await repository.claimed(uow.session, Delivery, delivery_id)
        if row is None:
            return
        if row.attempts >= state.settings.max_attempts:
            row.status = "failed"
            await uow.commit()
            return
        attempt = row.attempts + 1
        if not await repository.take_attempt(
            uow.session, Delivery, delivery_id, row.attempts, state.clock()
        ):
            return
        notification = await repository.notification(uow.session, row.notification_id)
        assert notification is not None  # a foreign key
        channel = row.channel
        address = unseal(keyring, row.id, "address", row.address_enc)
        values = unseal_json(keyring, notification.id, "context", notification.context_enc)
        kind, language = notification.kind, notification.language
        page = app_page(notification.kind, notification.patient_id)
        await uow.commit()
    adapter = state.adapter(channel)
    if adapter is None:
        await _fail(state, delivery_id, f"the {channel} channel is not configured", final=True)
        return
    try:
        rendered = state.renderer.render(kind, channel, language, values)
    except (TemplateMissing, TemplateError) as error:
        await _fail(state, delivery_id, short_error(error), final=True)
        return
    message = OutboundMessage(
        channel=channel,
        address=address,
        body=rendered.body,
        subject=rendered.title,
        html=rendered.html,
        reference=str(delivery_id),
        language=language,
        url=page,
    )
    try:
        receipt = await adapter.send(message)
    except PermanentDeliveryError as error:
        await _fail(state, delivery_id, short_error(error), final=True)
        if channel == "push":
            await _forget_subscription(state, address)
        return
    except Exception as error:
        # Transient (timeouts, 5xx, 429) and anything unexpected: worth another attempt.
        final = attempt >= state.settings.max_attempts
        await _fail(state, delivery_id, short_error(error), final=final)
        if not final:
            raise DeliveryRetry(str(delivery_id)) from error
        return
    await _sent(state, delivery_id, receipt)


# Where the texts of messages about no patient send the reader, by kind.
_PAGES = {"clinical.report.ready": "/reports"}


def app_page(kind: str, patient_id: uuid.UUID | None) -> str:
    """The web app's page a message opens (a push, when clicked): the chart of the patient it is
    about, as the texts say ("tap to open the chart"), the page its kind names, else the
    notification centre, which lists it."""
    if patient_id is not None:
        return f"/patients/{patient_id}"
    return _PAGES.get(kind, "/notifications")


async def _sent(state: NotificationState, delivery_id: uuid.UUID, receipt: SendReceipt) -> None:
    now = state.clock()
    async with state.context.unit_of_work() as uow:
        row = await repository.claimed(uow.session, Delivery, delivery_id)
        if row is None:
            return
        row.status = "delivered" if receipt.status == "delivered" else "sent"
        row.provider = receipt.provider[:40]
        row.provider_message_id = (receipt.provider_message_id or "")[:200] or None
        row.sent_at = now
        row.delivered_at = now if row.status == "delivered" else None
        row.last_error = None
        notification = await repository.notification(uow.session, row.notification_id)
        assert notification is not None
        uow.publish(
            NotificationSent(
                delivery_id=row.id,
                notification_id=row.notification_id,
                user_id=notification.user_id,
                channel=row.channel,
                provider=row.provider,
                provider_message_id=row.provider_message_id,
                sent_at=now,
            ),
            facility_id=notification.facility_id,
        )
        await uow.commit()


async def _fail(
    state: NotificationState, delivery_id: uuid.UUID, error: str, *, final: bool
) -> None:
    log.warning("notification_delivery_failed", delivery_id=str(delivery_id), final=final)
    async with state.context.unit_of_work() as uow:
        row = await repository.claimed(uow.session, Delivery, delivery_id)
        if row is None:
            return
        row.last_error = error
        if final:
            row.status = "failed"
        await uow.commit()


async def _forget_subscription(state: NotificationState, address: str) -> None:
    """A push service said the subscription is gone (404/410): stop pushing to it."""
    endpoint = json.loads(address).get("endpoint", "")
    async with state.context.unit_of_work() as uow:
        await repository.delete_push_subscription_by_digest(uow.session, endpoint_digest(endpoint))
        await uow.commit()


async def apply_status_updates(
    uow: UnitOfWork, state: NotificationState, provider: str, updates: Sequence[StatusUpdate]
) -> int:
    """Record what a provider's webhook reports; returns how many deliveries changed."""
    rows = await repository.deliveries_by_provider_id(
        uow.session, provider, [update.provider_message_id for update in updates]
    )
    by_id = {row.provider_message_id: row for row in rows}
    now, changed = state.clock(), 0
    for update in updates:
        row = by_id.get(update.provider_message_id)
        status = reported_status(row.status, update.status) if row is not None else None
        if row is None or status is None:
            continue
        row.status = status
        if status == "delivered":
            row.delivered_at = now
        else:
            row.last_error = (update.error or "reported failed by the provider")[:200]
        changed += 1
    await uow.commit()
    return changed
