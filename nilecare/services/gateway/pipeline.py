"""What happens to a request under ``/api/``, in order, as one pure-ASGI middleware:

1. find the upstream owning the resource prefix (404 when none);
2. refuse a declared body over the size limit (413) before anything else is spent on it;
3. rate-limit the client address (the login limit too, on credential paths);
4. unless the endpoint is public for that upstream, verify the access token (401) and
   rate-limit the user;
5. read the body, counting bytes (413 for a chunked body over the limit);
6. forward with the request id, a child traceparent and the client address.

Every refusal is a problem+json answer. Paths outside ``/api/`` go to the gateway's own routes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import structlog
from starlette.types import ASGIApp, Receive, Scope, Send

from nilecare.kernel.auth.principal import Principal
from nilecare.kernel.auth.tokens import TokenVerifier
from nilecare.kernel.context import accept_request_id, child_traceparent, current_context
from nilecare.kernel.errors import (
    BadRequest,
    NotFound,
    PayloadTooLarge,
    Problem,
    Unauthorized,
    problem_response,
)
from nilecare.kernel.observability.middleware import bearer_token
from nilecare.services.gateway.client_address import ClientAddresses, rate_limit_identity
from nilecare.services.gateway.proxy import UpstreamProxy, request_headers
from nilecare.services.gateway.ratelimit import GatewayRateLimits
from nilecare.services.gateway.routing import API_ROOT, Route, RouteTable, has_dot_segment

log = structlog.get_logger("nilecare.gateway")
security_log = structlog.get_logger("nilecare.security")


@dataclass(frozen=True)
class MetricsRoute:
    """Put in ``scope["route"]`` so the request middleware labels metrics with the upstream
    service rather than the raw path (which would give one time series per patient id)."""

    path: str


class ClientDisconnected(Exception):
    """The client went away while sending its body; there is no one left to answer."""


def declared_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                length = int(value)
            except ValueError:
                raise BadRequest("Content-Length is not a number") from None
            if length < 0:
                raise BadRequest("Content-Length is negative")
            return length
    return None


async def read_body(receive: Receive, limit: int) -> bytes:
    """The whole request body, refused with 413 as soon as it passes ``limit`` bytes."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientDisconnected()
        chunk: bytes = message.get("body", b"")
        if chunk:
            size += len(chunk)
            if size > limit:
                raise PayloadTooLarge(f"The request body is larger than {limit} bytes")
            chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


class GatewayMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        routes: RouteTable,
        proxies: Mapping[str, UpstreamProxy],
        verifier: TokenVerifier,
        limits: GatewayRateLimits,
        addresses: ClientAddresses,
        max_body_bytes: int,
        login_paths: Iterable[str],
    ) -> None:
        self.app = app
        self.routes = routes
        self.proxies = dict(proxies)
        self.verifier = verifier
        self.limits = limits
        self.addresses = addresses
        self.max_body_bytes = max_body_bytes
        self.login_paths = frozenset(path.rstrip("/") for path in login_paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        try:
            if path.startswith(API_ROOT) or path == API_ROOT[:-1]:
                await self._proxy(scope, receive, send)
            else:
                self._check_declared_size(scope)
                await self.app(scope, receive, send)
        except Problem as problem:
            await problem_response(problem, path)(scope, receive, send)
        except ClientDisconnected:
            return

    def _check_declared_size(self, scope: Scope) -> None:
        length = declared_length(scope)
        if length is not None and length > self.max_body_bytes:
            raise PayloadTooLarge(f"The request body is larger than {self.max_body_bytes} bytes")

    def _is_login(self, method: str, path: str) -> bool:
        """A POST to a credential path or below it (``/password-reset/confirmation``)."""
        if method != "POST":
            return False
        path = path.rstrip("/")
        return any(path == p or path.startswith(p + "/") for p in self.login_paths)

    async def _proxy(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope["path"]
        route = self.routes.route_for(path)
        if route is None:
            raise NotFound("No service answers at this path")
        scope["route"] = MetricsRoute(route.upstream.service)
        if has_dot_segment(path):
            raise BadRequest("Paths with '.' or '..' segments are not accepted")
        self._check_declared_size(scope)

        method: str = scope["method"]
        client_ip = self.addresses.client_ip(scope)
        identity = rate_limit_identity(client_ip)
        if self._is_login(method, path):
            await self.limits.check_login(identity)
        await self.limits.check_ip(identity)
        if not route.public.matches(method, path):
            principal = await self._authenticate(scope, route, client_ip)
            await self.limits.check_user(str(principal.user_id))

        body = await read_body(receive, self.max_body_bytes)
        context = current_context()
        request_id = context.request_id if context else accept_request_id(None)
        proxy = self.proxies[route.upstream.service]
        headers = request_headers(
            scope["headers"],
            request_id=request_id,
            traceparent=child_traceparent(context.traceparent if context else None),
            client_ip=client_ip,
            https=self.addresses.is_https(scope),
            body=body,
            keep_host=route.upstream.app is not None,
        )
        if client_ip != _peer_host(scope):
            scope = {**scope, "client": (client_ip, 0)}
        await proxy.forward(scope, receive, send, headers=headers, body=body)

    async def _authenticate(self, scope: Scope, route: Route, client_ip: str) -> Principal:
        token = bearer_token(scope)
        try:
            if token is None:
                raise Unauthorized()
            return await self.verifier.verify(token)
        except Unauthorized as problem:
            # The path can carry identifiers; the resource prefix says enough.
            security_log.warning(
                "authentication_refused",
                category="security",
                reason="missing-token" if token is None else problem.slug,
                detail=problem.detail,
                method=scope["method"],
                service=route.upstream.service,
                resource=scope["path"].split("/")[3],
                client_ip=client_ip,
            )
            raise


def _peer_host(scope: Scope) -> str | None:
    client = scope.get("client")
    return str(client[0]) if client else None
