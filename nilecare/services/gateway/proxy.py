"""Forwarding one request to its upstream and streaming the answer back.

``LocalProxy`` calls an in-process service app as ASGI (no sockets, no serialisation); the scope
is a copy with the forwarded headers, and ``client`` is the caller's address so the service
audits where the request really came from. ``RemoteProxy`` uses one shared, pooled
``httpx.AsyncClient`` and streams the response body through without buffering it.

Failures never leak internals: a timeout before the answer starts is a 504, an unreachable or
crashing upstream a 502. Once the answer has started it can no longer be replaced; a broken
stream is logged and the connection closed, which the client sees as a truncated response.
"""

from __future__ import annotations

import asyncio
from typing import Protocol

import httpx
import structlog
from starlette.types import Message, Receive, Scope, Send

from nilecare.kernel.errors import BadGateway, GatewayTimeout
from nilecare.services.gateway.routing import Upstream

log = structlog.get_logger("nilecare.gateway.proxy")

Headers = list[tuple[bytes, bytes]]

HOP_BY_HOP = frozenset(
    {
        b"connection",
        b"keep-alive",
        b"proxy-authenticate",
        b"proxy-authorization",
        b"proxy-connection",
        b"te",
        b"trailer",
        b"transfer-encoding",
        b"upgrade",
    }
)
# Set by the gateway itself; a client's own values are dropped, never passed on.
_REPLACED_ON_REQUEST = frozenset(
    {
        b"content-length",
        b"x-request-id",
        b"traceparent",
        b"x-forwarded-for",
        b"x-forwarded-proto",
        b"x-forwarded-host",
        b"forwarded",
        b"x-real-ip",
    }
)
# The gateway sets its own request id; the server in front of it adds its own Date and Server.
_DROPPED_ON_RESPONSE = HOP_BY_HOP | {b"x-request-id", b"date", b"server"}


def _connection_listed(headers: Headers) -> frozenset[bytes]:
    """Headers named in ``Connection`` are hop-by-hop too (RFC 9110, 7.6.1)."""
    names: set[bytes] = set()
    for name, value in headers:
        if name == b"connection":
            names.update(token.strip().lower() for token in value.split(b","))
    return frozenset(names)


def request_headers(
    headers: Headers,
    *,
    request_id: str,
    traceparent: str,
    client_ip: str,
    https: bool,
    body: bytes,
    keep_host: bool,
) -> Headers:
    """The headers an upstream receives: hop-by-hop ones stripped, ids and forwarding set."""
    listed = _connection_listed(headers)
    had_body = False
    forwarded: Headers = []
    host: bytes | None = None
    for name, value in headers:
        if name in HOP_BY_HOP or name in listed:
            had_body = had_body or name == b"transfer-encoding"
            continue
        if name in _REPLACED_ON_REQUEST:
            had_body = had_body or name == b"content-length"
            continue
        if name == b"host":
            host = value
            if not keep_host:
                continue
        forwarded.append((name, value))
    forwarded.append((b"x-request-id", request_id.encode()))
    forwarded.append((b"traceparent", traceparent.encode()))
    forwarded.append((b"x-forwarded-for", client_ip.encode()))
    forwarded.append((b"x-forwarded-proto", b"https" if https else b"http"))
    if host is not None:
        forwarded.append((b"x-forwarded-host", host))
    if body or had_body:
        forwarded.append((b"content-length", str(len(body)).encode()))
    return forwarded


def response_headers(headers: Headers) -> Headers:
    listed = _connection_listed(headers)
    return [(n, v) for n, v in headers if n not in _DROPPED_ON_RESPONSE and n not in listed]


class UpstreamProxy(Protocol):
    upstream: Upstream

    async def forward(
        self, scope: Scope, receive: Receive, send: Send, *, headers: Headers, body: bytes
    ) -> None: ...


_GATEWAY_SCOPE_KEYS = ("app", "router", "route", "endpoint", "path_params")


class LocalProxy:
    def __init__(self, upstream: Upstream, *, timeout: float) -> None:
        if upstream.app is None:
            raise ValueError(f"upstream {upstream.service!r} has no in-process app")
        self.upstream = upstream
        self.app = upstream.app
        self.timeout = timeout

    async def forward(
        self, scope: Scope, receive: Receive, send: Send, *, headers: Headers, body: bytes
    ) -> None:
        child = dict(scope)
        for key in _GATEWAY_SCOPE_KEYS:
            child.pop(key, None)
        child["headers"] = headers
        child["state"] = {}
        replayed = False

        async def receive_body() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        started = False
        deadline = asyncio.timeout(self.timeout)

        async def send_filtered(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                # The time limit is on starting to answer; a long stream may go on.
                deadline.reschedule(None)
                message = {**message, "headers": response_headers(message.get("headers", []))}
            await send(message)

        service = self.upstream.service
        try:
            async with deadline:
                await self.app(child, receive_body, send_filtered)
        except Exception as exc:
            if started:
                log.warning("upstream_stream_broken", service=service, error=type(exc).__name__)
                return
            if isinstance(exc, TimeoutError) and deadline.expired():
                log.warning("upstream_timeout", service=service, seconds=self.timeout)
                raise GatewayTimeout(f"The {service} service did not answer in time") from exc
            log.error("upstream_failed", service=service, error=type(exc).__name__)
            raise BadGateway(f"The {service} service failed") from exc


class RemoteProxy:
    def __init__(self, upstream: Upstream, *, http: httpx.AsyncClient) -> None:
        if upstream.url is None:
            raise ValueError(f"upstream {upstream.service!r} has no URL")
        self.upstream = upstream
        self.http = http
        self.base = httpx.URL(upstream.url)
        self._base_path = self.base.raw_path.split(b"?", 1)[0].rstrip(b"/")

    def target(self, scope: Scope) -> httpx.URL:
        path: bytes = scope.get("raw_path") or scope["path"].encode()
        query: bytes = scope.get("query_string", b"")
        raw = self._base_path + path + (b"?" + query if query else b"")
        return self.base.copy_with(raw_path=raw)

    async def forward(
        self, scope: Scope, receive: Receive, send: Send, *, headers: Headers, body: bytes
    ) -> None:
        service = self.upstream.service
        request = self.http.build_request(
            scope["method"], self.target(scope), headers=headers, content=body
        )
        try:
            response = await self.http.send(request, stream=True)
        except httpx.TimeoutException as exc:
            log.warning("upstream_timeout", service=service, error=type(exc).__name__)
            raise GatewayTimeout(f"The {service} service did not answer in time") from exc
        except httpx.TransportError as exc:
            log.warning("upstream_unreachable", service=service, error=type(exc).__name__)
            raise BadGateway(f"The {service} service is unreachable") from exc
        try:
            await send(
                {
                    "type": "http.response.start",
                    "status": response.status_code,
                    "headers": response_headers(response.headers.raw),
                }
            )
            async for chunk in response.aiter_raw():
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
            await send({"type": "http.response.body", "body": b"", "more_body": False})
        except httpx.TransportError as exc:
            log.warning("upstream_stream_broken", service=service, error=type(exc).__name__)
        finally:
            await response.aclose()


def shared_http_client(*, timeout: float, max_connections: int) -> httpx.AsyncClient:
    """One pooled client for every remote upstream; it adds no headers of its own, so what the
    upstream sees (notably Accept-Encoding) is what the caller sent."""
    client = httpx.AsyncClient(
        timeout=httpx.Timeout(timeout),
        limits=httpx.Limits(
            max_connections=max_connections, max_keepalive_connections=max_connections
        ),
        follow_redirects=False,
        trust_env=False,
    )
    for name in ("accept", "accept-encoding", "user-agent"):
        del client.headers[name]
    return client
