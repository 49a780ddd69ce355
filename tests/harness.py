"""Start one service (migrated, lifespan running) on a given database, for tests."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI

from nilecare.kernel.config import PlatformSettings
from nilecare.kernel.db.migrations import upgrade_database
from nilecare.kernel.service import ServiceContext, ServiceSpec, build_service_app
from nilecare.runtime.bootstrap import Platform, build_context, build_platform
from tests.databases import MIGRATED_TEMPLATES


@dataclass
class RunningService:
    app: FastAPI
    context: ServiceContext
    platform: Platform
    client: httpx.AsyncClient


def platform_settings_for_tests(data_dir: Path, **overrides: Any) -> PlatformSettings:
    return PlatformSettings(environment="test", data_dir=data_dir, log_json=False, **overrides)


@contextlib.asynccontextmanager
async def running_service(
    spec: ServiceSpec, database_url: str, data_dir: Path, **overrides: Any
) -> AsyncIterator[RunningService]:
    if spec.migrations is not None and database_url:
        await MIGRATED_TEMPLATES.copy_into(database_url, spec.migrations)
    platform = build_platform(platform_settings_for_tests(data_dir, **overrides))
    context = build_context(platform, spec, database_url=database_url)
    if spec.migrations is not None:
        # Migrates on PostgreSQL; a copied database is at head already, and this proves it.
        await upgrade_database(context.database, spec.migrations)
    app = build_service_app(context)
    platform.directory.register_app(spec.name, app)
    transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 50000))
    try:
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=transport, base_url="http://test") as client,
        ):
            yield RunningService(app, context, platform, client)
    finally:
        await platform.aclose()
