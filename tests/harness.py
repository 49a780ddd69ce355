"""Start one service (migrated, lifespan running) on a given database, for tests."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import func, select

from nilecare.kernel.config import PlatformSettings
from nilecare.kernel.db.migrations import upgrade_database
from nilecare.kernel.events.bus import EventBus
from nilecare.kernel.events.envelope import EncodedEvent, Envelope
from nilecare.kernel.service import ServiceContext, ServiceSpec, build_service_app
from nilecare.runtime.bootstrap import Platform, build_context, build_platform
from tests.databases import MIGRATED_TEMPLATES
from tests.kafka import DELIVERY_TIMEOUT


@dataclass
class RunningService:
    app: FastAPI
    context: ServiceContext
    platform: Platform
    client: httpx.AsyncClient
    # What the outbox relay handed to the bus, in order (the outbox keeps only what is to go).
    sent: list[EncodedEvent] = field(default_factory=list)

    async def unsent(self) -> int:
        outbox = self.context.kernel_tables.outbox
        async with self.context.database.engine.connect() as conn:
            return int(await conn.scalar(select(func.count()).select_from(outbox)) or 0)

    async def drained(self) -> None:
        """Once the relay has shipped everything the test wrote."""

        async def empty() -> bool:
            return not await self.unsent()

        await eventually(empty, within=5.0, every=0.02)

    async def published(self) -> list[Envelope]:
        """Every event this service published, in order, once the relay has shipped them."""
        await self.drained()
        return [event.decoded() for event in self.sent]


async def eventually(
    check: Callable[[], Awaitable[bool]], *, within: float = DELIVERY_TIMEOUT, every: float = 0.1
) -> None:
    """Polls ``check`` until it holds (failing after ``within`` seconds)."""
    async with asyncio.timeout(within):
        while True:
            if await check():
                return
            await asyncio.sleep(every)


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
    sent: list[EncodedEvent] = []
    _record_sent(context.bus, sent)
    try:
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=transport, base_url="http://test") as client,
        ):
            yield RunningService(app, context, platform, client, sent)
    finally:
        await platform.aclose()


def _record_sent(bus: EventBus, sent: list[EncodedEvent]) -> None:
    """Keep what the relay hands to ``bus`` (and the bus stores) in ``sent``."""
    publish_many = bus.publish_many

    async def recorded(events: Sequence[EncodedEvent]) -> int:
        stored = await publish_many(events)
        sent.extend(events[:stored])
        return stored

    bus.publish_many = recorded  # type: ignore[method-assign]
