"""One pure-ASGI middleware per service: request context, metrics, access log, last-resort 500.

Written as raw ASGI rather than ``BaseHTTPMiddleware`` so it costs microseconds, not a task hop.
"""

from __future__ import annotations

import json
import time
from typing import Any

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from nilecare.kernel.context import (
    RequestContext,
    accept_request_id,
    child_traceparent,
    reset_context,
    set_context,
)
from nilecare.kernel.errors import PROBLEM_JSON, internal_error_body
from nilecare.kernel.observability.metrics import observe_request

log = structlog.get_logger("nilecare.http")


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return str(value.decode("latin-1"))
    return None


def bearer_token(scope: Scope) -> str | None:
    value = _header(scope, b"authorization")
    if value and value[:7].lower() == "bearer ":
        return value[7:].strip() or None
    return None


def client_ip(scope: Scope) -> str | None:
    client = scope.get("client")
    return str(client[0]) if client else None


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp, service: str) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        ctx = RequestContext(
            request_id=accept_request_id(_header(scope, b"x-request-id")),
            traceparent=child_traceparent(_header(scope, b"traceparent")),
            bearer_token=bearer_token(scope),
            client_ip=client_ip(scope),
        )
        token = set_context(ctx)
        status = 500
        started = False
        begin = time.perf_counter()

        async def send_with_ids(message: Message) -> None:
            nonlocal status, started
            if message["type"] == "http.response.start":
                started = True
                status = message["status"]
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", ctx.request_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_ids)
        except Exception:
            log.exception("unhandled_error", path=scope.get("path"), method=scope.get("method"))
            if not started:
                await _send_internal_error(send, ctx.request_id)
            status = 500
        finally:
            elapsed = time.perf_counter() - begin
            route: Any = scope.get("route")
            template = getattr(route, "path", None) or "unmatched"
            method = scope.get("method", "")
            observe_request(self.service, method, template, status, elapsed)
            # The route template, never the raw path or query: those can carry patient data.
            log.info(
                "http_request",
                service=self.service,
                method=method,
                route=template,
                status=status,
                ms=round(elapsed * 1000, 2),
            )
            reset_context(token)


async def _send_internal_error(send: Send, request_id: str) -> None:
    body = internal_error_body()
    body["request_id"] = request_id
    payload = json.dumps(body).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 500,
            "headers": [
                (b"content-type", PROBLEM_JSON.encode()),
                (b"content-length", str(len(payload)).encode()),
                (b"x-request-id", request_id.encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})
