"""``/ws``: the handshake (token, Origin) and the life of one socket.

A pure-ASGI middleware that takes every WebSocket scope (HTTP passes through). The handshake is
refused before accept (HTTP 403 on the upgrade) for a foreign Origin, for a missing, invalid,
expired, revoked or service token, and when the client address is over its rate limit. The token
comes as the ``token`` query parameter (removed from the scope at once, so no later log line,
uvicorn's handshake line included, can contain it) or as ``Sec-WebSocket-Protocol: bearer,
<token>`` (then accepted with the ``bearer`` subprotocol, as browsers require).

Once open: a welcome, a ping every heartbeat, the client's frames answered in order; the socket is
closed with 4401 when the token expires or its session is revoked.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode

import structlog
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.websockets import WebSocket, WebSocketDisconnect

from nilecare.kernel.auth.principal import Principal
from nilecare.kernel.auth.tokens import TokenVerifier
from nilecare.kernel.errors import Problem
from nilecare.services.gateway.client_address import ClientAddresses, rate_limit_identity
from nilecare.services.gateway.live.access import Refused, SubscriptionAccess
from nilecare.services.gateway.live.alerts import AlertsUnavailable
from nilecare.services.gateway.live.frames import (
    FrameError,
    PingFrame,
    SubscribeFrame,
    UnsubscribeFrame,
    parse_frame,
)
from nilecare.services.gateway.live.hub import may_receive
from nilecare.services.gateway.live.session import (
    CLOSE_POLICY,
    CLOSE_TOKEN_EXPIRED,
    CLOSE_TOO_BIG,
    LiveSession,
)
from nilecare.services.gateway.live.topics import TopicError, parse_client_topic
from nilecare.services.gateway.live.updates import LiveUpdates
from nilecare.services.gateway.ratelimit import GatewayRateLimits
from nilecare.services.gateway.settings import GatewaySettings

WS_PATH = "/ws"
BEARER_SUBPROTOCOL = "bearer"
TOKEN_PARAMETER = "token"  # noqa: S105 - a parameter name, not a secret

log = structlog.get_logger("nilecare.gateway.live")
security_log = structlog.get_logger("nilecare.security")


def take_token(scope: Scope) -> tuple[str | None, bool]:
    """The access token and whether the client offered the ``bearer`` subprotocol. A ``token``
    query parameter is taken out of ``scope["query_string"]`` in place."""
    pairs = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
    kept = [(name, value) for name, value in pairs if name != TOKEN_PARAMETER]
    token = next((value for name, value in pairs if name == TOKEN_PARAMETER), None)
    if len(kept) != len(pairs):
        scope["query_string"] = urlencode(kept).encode("latin-1")
    offered: list[str] = list(scope.get("subprotocols") or [])
    bearer = bool(offered) and offered[0] == BEARER_SUBPROTOCOL
    if not token and bearer and len(offered) == 2:
        token = offered[1]
    return token or None, bearer


def origin_allowed(scope: Scope, allowed: Iterable[str], *, https: bool) -> bool:
    """No Origin (not a browser), a configured CORS origin, or the gateway's own origin."""
    headers = Headers(scope=scope)
    origin = headers.get("origin")
    if origin is None:
        return True
    origin = origin.rstrip("/").lower()
    allowed = {entry.rstrip("/").lower() for entry in allowed}
    if "*" in allowed or origin in allowed:
        return True
    host = headers.get("host")
    return host is not None and origin == f"{'https' if https else 'http'}://{host.lower()}"


def _error(status: int, detail: str, topic: str | None = None) -> dict[str, Any]:
    frame: dict[str, Any] = {"type": "error", "status": status, "detail": detail}
    if topic is not None:
        frame["topic"] = topic
    return frame


def _now() -> str:
    return datetime.now(UTC).isoformat()


class LiveSocketMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        live: LiveUpdates,
        access: SubscriptionAccess,
        verifier: TokenVerifier,
        limits: GatewayRateLimits,
        addresses: ClientAddresses,
        settings: GatewaySettings,
    ) -> None:
        self.app = app
        self.live = live
        self.access = access
        self.verifier = verifier
        self.limits = limits
        self.addresses = addresses
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "websocket":
            await self.app(scope, receive, send)
            return
        websocket = WebSocket(scope, receive, send)
        if scope["path"] != WS_PATH:
            await websocket.close(CLOSE_POLICY)
            return
        token, bearer = take_token(scope)
        client_ip = self.addresses.client_ip(scope)
        principal = await self._handshake(scope, token, client_ip)
        if principal is None or token is None:
            await websocket.close(CLOSE_POLICY)
            return
        await websocket.accept(subprotocol=BEARER_SUBPROTOCOL if bearer else None)
        session = LiveSession(
            principal,
            token,
            client_ip=client_ip,
            send_queue=self.settings.ws_send_queue,
            messages_per_minute=self.settings.ws_messages_per_minute,
        )
        await self._serve(websocket, session)

    async def _handshake(self, scope: Scope, token: str | None, client_ip: str) -> Principal | None:
        https = self.addresses.is_https(scope)
        reason: str
        if not origin_allowed(scope, self.settings.cors_origins, https=https):
            reason = "foreign-origin"
        elif token is None:
            reason = "missing-token"
        else:
            try:
                await self.limits.check_ip(rate_limit_identity(client_ip))
                return await self.verifier.verify(token)
            except Problem as problem:
                reason = problem.slug
        security_log.warning(
            "websocket_refused",
            category="security",
            reason=reason,
            origin=Headers(scope=scope).get("origin"),
            client_ip=client_ip,
        )
        return None

    async def _serve(self, websocket: WebSocket, session: LiveSession) -> None:
        session.send(
            {
                "type": "welcome",
                "user_id": str(session.principal.user_id),
                "heartbeat_seconds": self.settings.ws_heartbeat_seconds,
            }
        )
        loop = asyncio.get_running_loop()
        remaining = max(0.0, session.principal.expires_at - time.time())
        expiry = loop.call_later(remaining, session.close, CLOSE_TOKEN_EXPIRED)
        tasks = [
            loop.create_task(self._read(websocket, session)),
            loop.create_task(self._write(websocket, session)),
            loop.create_task(self._heartbeat(session)),
            loop.create_task(session.closing.wait()),
        ]
        try:
            await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        finally:
            expiry.cancel()
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            for topic in session.topics:
                self.live.hub.remove(topic, session)
        if session.close_code is not None:
            with contextlib.suppress(WebSocketDisconnect, RuntimeError, OSError):
                await websocket.close(session.close_code)

    async def _write(self, websocket: WebSocket, session: LiveSession) -> None:
        with contextlib.suppress(WebSocketDisconnect, RuntimeError, OSError):
            while True:
                await websocket.send_json(await session.outgoing.get())

    async def _heartbeat(self, session: LiveSession) -> None:
        session_id = session.principal.session_id
        while True:
            await asyncio.sleep(self.settings.ws_heartbeat_seconds)
            session.send({"type": "ping", "at": _now()})
            if session_id is None:
                continue
            try:
                revoked = await self.verifier.revocations.is_session_revoked(session_id)
            except Problem:
                # Checked again at the next heartbeat; expiry still ends the socket in time.
                log.warning("live_revocation_check_failed")
                continue
            if revoked:
                session.close(CLOSE_TOKEN_EXPIRED)
                return

    async def _read(self, websocket: WebSocket, session: LiveSession) -> None:
        limit = self.settings.ws_max_frame_bytes
        while True:
            message = await websocket.receive()
            if message["type"] == "websocket.disconnect":
                return
            text: str | None = message.get("text")
            size = len(text.encode()) if text is not None else len(message.get("bytes") or b"")
            if size > limit:
                session.close(CLOSE_TOO_BIG)
                return
            if not session.allow_frame():
                session.send(_error(429, "Too many frames; slow down"))
            elif text is None:
                session.send(_error(422, "Frames are JSON text, not binary"))
            else:
                await self._handle(session, text)

    async def _handle(self, session: LiveSession, text: str) -> None:
        try:
            frame = parse_frame(text)
        except FrameError as exc:
            session.send(_error(422, exc.detail, exc.topic))
            return
        if isinstance(frame, PingFrame):
            session.send({"type": "pong"})
        elif isinstance(frame, UnsubscribeFrame):
            try:
                topic = parse_client_topic(frame.topic, session.principal.user_id)
            except TopicError as exc:
                session.send(_error(422, str(exc), frame.topic))
                return
            session.topics.pop(topic.name, None)
            self.live.hub.remove(topic.name, session)
        else:
            await self._subscribe(session, frame)

    async def _subscribe(self, session: LiveSession, frame: SubscribeFrame) -> None:
        try:
            topic = parse_client_topic(frame.topic, session.principal.user_id)
        except TopicError as exc:
            session.send(_error(422, str(exc), frame.topic))
            return
        limit = self.settings.ws_max_subscriptions
        if topic.name not in session.topics and len(session.topics) >= limit:
            session.send(_error(429, f"At most {limit} topics per connection", frame.topic))
            return
        try:
            await self.access.check(
                session.principal, session.token, topic, client_ip=session.client_ip
            )
        except Refused as refused:
            if refused.status == 401:
                session.close(CLOSE_TOKEN_EXPIRED)
                return
            log.info("live_subscription_refused", topic_kind=topic.kind, status=refused.status)
            session.send(_error(refused.status, refused.detail, frame.topic))
            return
        session.topics[topic.name] = topic.client_name
        session.send({"type": "subscribed", "topic": topic.client_name})
        self.live.hub.add(topic.name, session)
        try:
            missed = await self.live.alerts.since(topic.name, frame.since)
        except AlertsUnavailable:
            session.send(_error(503, "Missed alerts cannot be loaded right now", frame.topic))
            return
        for alert in missed:
            if may_receive(session.principal, alert):
                session.offer(alert)
