"""The all-in-one process: every service mounted behind the gateway, sharing one event bus."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI
from starlette.types import ASGIApp

from nilecare.kernel.auth.dependencies import public_endpoints
from nilecare.kernel.config import PlatformSettings
from nilecare.kernel.db.migrations import upgrade_database
from nilecare.kernel.service import build_service_app
from nilecare.runtime.bootstrap import Platform, build_context, build_platform
from nilecare.runtime.registry import load_specs
from nilecare.services.gateway.app import Upstream, build_gateway
from nilecare.services.gateway.settings import GatewaySettings


@dataclass
class AllInOne:
    app: ASGIApp
    platform: Platform
    services: dict[str, FastAPI]

    async def migrate(self) -> None:
        for context in self.platform.contexts.values():
            if context.spec.migrations is not None:
                await upgrade_database(context.database, context.spec.migrations)


def build_all_in_one(
    settings: PlatformSettings,
    *,
    database_urls: dict[str, str] | None = None,
    gateway_settings: GatewaySettings | None = None,
    web_dir: Path | None = None,
) -> AllInOne:
    platform = build_platform(settings)
    services: dict[str, FastAPI] = {}
    for spec in load_specs():
        context = build_context(platform, spec, database_url=(database_urls or {}).get(spec.name))
        app = build_service_app(context)
        platform.directory.register_app(spec.name, app)
        services[spec.name] = app

    @contextlib.asynccontextmanager
    async def run_services() -> AsyncIterator[None]:
        async with contextlib.AsyncExitStack() as stack:
            stack.push_async_callback(platform.aclose)
            for app in services.values():
                await stack.enter_async_context(app.router.lifespan_context(app))
            yield

    gateway_settings = gateway_settings or GatewaySettings()
    upstreams = [
        Upstream(
            service=name,
            prefixes=app.state.context.spec.prefixes,
            public_endpoints=tuple(public_endpoints(app.routes)),
            app=app,
        )
        for name, app in services.items()
    ]
    gateway = build_gateway(
        upstreams,
        settings=gateway_settings,
        platform=settings,
        verifier=platform.verifier,
        redis=platform.redis,
        bus=platform.bus,
        web_dir=web_dir or gateway_settings.web_dir,
        lifespan=run_services,
    )
    return AllInOne(app=gateway, platform=platform, services=services)
