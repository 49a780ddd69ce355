"""Routes for machines: providers' delivery-status webhooks (public, verified by the provider's
signature), the VAPID key browsers subscribe with, and the password-reset mail the auth
service asks for with its service token."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request

from nilecare.contracts.notification.schemas import Accepted, PasswordResetMail, VapidPublicKey
from nilecare.kernel.auth.dependencies import PUBLIC
from nilecare.kernel.errors import NotFound, Unauthorized
from nilecare.kernel.service import UoW
from nilecare.services.notification.api.deps import (
    InboxReader,
    Sender,
    notifications_router,
)
from nilecare.services.notification.channels.base import WebhookRejected
from nilecare.services.notification.service import outbound, sending
from nilecare.services.notification.service.state import NotificationState

router: APIRouter = notifications_router()

Provider = Annotated[str, Path(min_length=1, max_length=40, pattern=r"^[a-z0-9_-]+$")]


def _state(request: Request) -> NotificationState:
    state: NotificationState = request.app.state.notification
    return state


State = Annotated[NotificationState, Depends(_state)]


@router.post(
    "/webhooks/{provider}",
    status_code=204,
    dependencies=[PUBLIC],
    summary="A provider reports delivery status (verified by the provider's signature)",
)
async def receive_delivery_status(
    provider: Provider, request: Request, uow: UoW, state: State
) -> None:
    webhook = state.channels.webhooks.get(provider)
    if webhook is None:
        raise NotFound("No such provider", slug="provider-not-found")
    body = await request.body()
    try:
        updates = webhook.verify_and_parse(url=str(request.url), headers=request.headers, body=body)
    except WebhookRejected:
        raise Unauthorized(
            "The webhook's signature does not verify", slug="invalid-webhook-signature"
        ) from None
    await sending.apply_status_updates(uow, state, provider, updates)


@router.get("/push/vapid-public-key", summary="The key browsers subscribe to Web Push with")
async def get_vapid_public_key(principal: InboxReader, state: State) -> VapidPublicKey:
    if state.channels.vapid_public_key is None:
        raise NotFound("Web Push is not configured", slug="push-not-configured")
    return VapidPublicKey(public_key=state.channels.vapid_public_key)


@router.post(
    "/password-reset",
    status_code=202,
    summary="Mail a password-reset link (the auth service, with its service token)",
)
async def send_password_reset(
    data: PasswordResetMail, uow: UoW, principal: Sender, state: State
) -> Accepted:
    await outbound.queue_password_reset(uow, state, data)
    return Accepted()
