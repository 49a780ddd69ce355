"""``build_gateway``: the gateway app in front of a set of upstreams.

Middleware, outermost first (all pure ASGI): security headers -> request context, metrics and
last-resort 500 (the kernel's) -> CORS (when origins are configured) -> live updates, which take
every WebSocket (``/ws``) -> the gateway pipeline, which answers everything under ``/api/``
itself. The FastAPI app underneath serves only the gateway's own routes: health,
``/openapi.json``, ``/docs``, ``/metrics`` and the web app.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.openapi.utils import get_openapi
from redis.asyncio import Redis
from starlette.responses import HTMLResponse, JSONResponse

from nilecare.kernel.auth.tokens import TokenVerifier
from nilecare.kernel.config import PlatformSettings
from nilecare.kernel.errors import install_error_handlers
from nilecare.kernel.events.bus import EventBus
from nilecare.kernel.observability.metrics import metrics_endpoint
from nilecare.kernel.observability.middleware import RequestContextMiddleware
from nilecare.services.gateway.client_address import ClientAddresses
from nilecare.services.gateway.cors import ProblemCORSMiddleware
from nilecare.services.gateway.health import Readiness
from nilecare.services.gateway.live.access import SubscriptionAccess
from nilecare.services.gateway.live.updates import build_live_updates
from nilecare.services.gateway.live.websocket import LiveSocketMiddleware
from nilecare.services.gateway.openapi import OpenApiAggregator, swagger_ui
from nilecare.services.gateway.pipeline import GatewayMiddleware
from nilecare.services.gateway.proxy import (
    LocalProxy,
    RemoteProxy,
    UpstreamProxy,
    shared_http_client,
)
from nilecare.services.gateway.ratelimit import (
    GatewayRateLimits,
    MemoryWindowCounter,
    RedisWindowCounter,
    SlidingWindowLimiter,
    WindowCounter,
)
from nilecare.services.gateway.routing import PrefixClashError, RouteTable, Upstream
from nilecare.services.gateway.security_headers import SecurityHeadersMiddleware
from nilecare.services.gateway.settings import GatewaySettings
from nilecare.services.gateway.static import SinglePageApp, has_web_app

__all__ = ["GatewaySettings", "PrefixClashError", "Upstream", "build_gateway"]

SERVICE = "gateway"
TITLE = "NileCare API"
DESCRIPTION = "Every NileCare service behind one gateway. Send the access token as a Bearer token."
# Health checks and document fetches must not wait as long as a slow clinical request may.
PROBE_TIMEOUT_SECONDS = 5.0


def _own_routes(readiness: Readiness, aggregator: OpenApiAggregator) -> APIRouter:
    router = APIRouter()

    @router.get("/health/live", tags=["health"], summary="Liveness")
    async def live() -> dict[str, str]:
        return {"status": "ok"}

    @router.get("/health/ready", tags=["health"], summary="Readiness, with each upstream's")
    async def ready() -> dict[str, Any]:
        return await readiness.report()

    @router.get("/openapi.json", include_in_schema=False)
    async def openapi() -> JSONResponse:
        return JSONResponse(await aggregator.document())

    @router.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return swagger_ui("/openapi.json", TITLE)

    return router


def build_gateway(
    upstreams: Sequence[Upstream],
    *,
    settings: GatewaySettings,
    platform: PlatformSettings,
    verifier: TokenVerifier,
    redis: Redis | None = None,
    bus: EventBus | None = None,
    web_dir: Path | None = None,
    lifespan: Callable[[], AbstractAsyncContextManager[None]] | None = None,
) -> FastAPI:
    """The gateway app. Raises ``PrefixClashError`` when two upstreams claim one prefix.

    With a ``bus``, its live events reach WebSocket clients (subscribed in the lifespan)."""
    routes = RouteTable(upstreams)
    if not platform.is_development and "*" in settings.cors_origins:
        raise ValueError("NILECARE_GATEWAY__CORS_ORIGINS may not contain '*' in production")
    addresses = ClientAddresses(settings.trusted_proxies)
    http = shared_http_client(
        timeout=settings.upstream_timeout_seconds,
        max_connections=settings.upstream_max_connections,
    )
    counter: WindowCounter = (
        RedisWindowCounter(redis, settings.rate_limit_key_prefix)
        if redis is not None
        else MemoryWindowCounter()
    )
    limits = GatewayRateLimits(
        SlidingWindowLimiter(counter),
        per_ip=settings.ip_requests_per_minute,
        per_user=settings.user_requests_per_minute,
        login_per_ip=settings.login_requests_per_minute,
    )
    proxies: dict[str, UpstreamProxy] = {
        u.service: (
            LocalProxy(u, timeout=settings.upstream_timeout_seconds)
            if u.app is not None
            else RemoteProxy(u, http=http)
        )
        for u in routes.upstreams
    }
    probe_timeout = min(PROBE_TIMEOUT_SECONDS, settings.upstream_timeout_seconds)
    readiness = Readiness(routes.upstreams, http=http, redis=redis, timeout=probe_timeout)
    live = build_live_updates(settings, redis)

    @contextlib.asynccontextmanager
    async def gateway_lifespan(_: FastAPI) -> AsyncIterator[None]:
        async with contextlib.AsyncExitStack() as stack:
            stack.push_async_callback(http.aclose)
            stack.push_async_callback(readiness.aclose)
            if lifespan is not None:
                await stack.enter_async_context(lifespan())
            await live.start(bus)
            stack.push_async_callback(live.stop)
            yield

    app = FastAPI(
        title=TITLE,
        description=DESCRIPTION,
        version="1.0.0",
        lifespan=gateway_lifespan,
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
    )
    install_error_handlers(app)

    own_document: dict[str, Any] = {}

    def gateway_document() -> dict[str, Any]:
        if not own_document:
            own_document.update(
                get_openapi(
                    title=TITLE, version=app.version, description=DESCRIPTION, routes=app.routes
                )
            )
        return own_document

    aggregator = OpenApiAggregator(
        routes,
        own_document=gateway_document,
        http=http,
        cache_seconds=settings.openapi_cache_seconds,
        fetch_timeout=probe_timeout,
    )
    app.include_router(_own_routes(readiness, aggregator))
    app.add_route("/metrics", metrics_endpoint, include_in_schema=False)
    if web_dir is not None and has_web_app(web_dir):
        app.mount("/", SinglePageApp(web_dir), name="web")

    app.add_middleware(
        GatewayMiddleware,
        routes=routes,
        proxies=proxies,
        verifier=verifier,
        limits=limits,
        addresses=addresses,
        max_body_bytes=settings.max_body_bytes,
        login_paths=settings.login_paths,
    )
    app.add_middleware(
        LiveSocketMiddleware,
        live=live,
        access=SubscriptionAccess(routes, proxies),
        verifier=verifier,
        limits=limits,
        addresses=addresses,
        settings=settings,
    )
    if settings.cors_origins:
        app.add_middleware(
            ProblemCORSMiddleware,
            origins=settings.cors_origins,
            allow_credentials=settings.cors_allow_credentials,
        )
    app.add_middleware(RequestContextMiddleware, service=SERVICE)
    app.add_middleware(
        SecurityHeadersMiddleware, addresses=addresses, hsts_max_age=settings.hsts_max_age_seconds
    )
    app.state.gateway_settings = settings
    app.state.platform = platform
    app.state.routes = routes
    app.state.live = live
    return app
