"""Plays our webhook endpoint (on the same path): keeps each provider callback as it arrived
(URL, headers, raw body) for a test to hand to the adapter's verifier."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from nilecare.services.notification.channels.registry import WEBHOOK_PATH


@dataclass(frozen=True)
class Callback:
    url: str
    headers: dict[str, str]
    body: bytes


@dataclass
class WebhookReceiver:
    received: asyncio.Queue[Callback] = field(default_factory=asyncio.Queue)
    base_url: str = ""

    def url(self, provider: str) -> str:
        return f"{self.base_url}{WEBHOOK_PATH}/{provider}"

    async def next(self) -> Callback:
        # A bound on a hang, not a timing expectation.
        return await asyncio.wait_for(self.received.get(), timeout=10)

    def app(self) -> Starlette:
        async def receive(request: Request) -> Response:
            body = await request.body()
            await self.received.put(Callback(str(request.url), dict(request.headers), body))
            return Response(status_code=204)

        return Starlette(routes=[Route(WEBHOOK_PATH + "/{provider}", receive, methods=["POST"])])
