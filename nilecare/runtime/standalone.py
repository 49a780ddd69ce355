"""One service per process (distributed mode): the others are reached over HTTP."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

from fastapi import FastAPI
from starlette.types import ASGIApp

from nilecare.kernel.auth.dependencies import public_endpoints
from nilecare.kernel.config import PlatformSettings
from nilecare.kernel.service import ServiceSpec, build_service_app
from nilecare.runtime.bootstrap import Platform, build_context, build_platform
from nilecare.runtime.registry import load_specs, spec_named
from nilecare.services.gateway.app import Upstream, build_gateway
from nilecare.services.gateway.settings import GatewaySettings

GATEWAY = "gateway"
GATEWAY_PORT = 7001


def service_url(spec: ServiceSpec) -> str:
    """``NILECARE_<SVC>__URL``, or the service's port from ARCHITECTURE.md on loopback."""
    return spec.settings_class().url or f"http://127.0.0.1:{spec.port}"


def default_port(name: str) -> int:
    return GATEWAY_PORT if name == GATEWAY else spec_named(name, load_specs()).port


def _close_platform_on_shutdown(app: FastAPI, platform: Platform) -> None:
    inner = app.router.lifespan_context

    @contextlib.asynccontextmanager
    async def lifespan(application: Any) -> AsyncIterator[Any]:
        try:
            async with inner(application) as state:
                yield state
        finally:
            await platform.aclose()

    app.router.lifespan_context = lifespan


def build_standalone(settings: PlatformSettings, name: str) -> tuple[ASGIApp, Platform]:
    platform = build_platform(settings)
    specs = load_specs()
    for spec in specs:
        if spec.name != name:
            platform.directory.register_url(spec.name, service_url(spec))
    if name == GATEWAY:
        upstreams = [
            Upstream(
                service=spec.name,
                prefixes=spec.prefixes,
                public_endpoints=tuple(
                    public_endpoints([route for router in spec.routers for route in router.routes])
                ),
                url=service_url(spec),
            )
            for spec in specs
        ]

        @contextlib.asynccontextmanager
        async def close_platform() -> AsyncIterator[None]:
            try:
                yield
            finally:
                await platform.aclose()

        gateway_settings = GatewaySettings()
        gateway = build_gateway(
            upstreams,
            settings=gateway_settings,
            platform=settings,
            verifier=platform.verifier,
            redis=platform.redis,
            bus=platform.bus,
            web_dir=gateway_settings.web_dir,
            lifespan=close_platform,
        )
        return gateway, platform
    spec = spec_named(name, specs)
    app = build_service_app(build_context(platform, spec))
    platform.directory.register_app(spec.name, app)
    _close_platform_on_shutdown(app, platform)
    return app, platform
