"""Builds what a process shares (bus, keys, revocations, directory) and each service's context."""

from __future__ import annotations

from dataclasses import dataclass, field

from redis.asyncio import Redis

from nilecare.contracts.auth.client import AuthClient
from nilecare.kernel.auth.revocation import (
    MemoryRevocationStore,
    RedisRevocationStore,
    RevocationStore,
)
from nilecare.kernel.auth.service_tokens import ServiceTokenIssuer, ServiceTokenKey
from nilecare.kernel.auth.tokens import TokenVerifier
from nilecare.kernel.cache import Cache, build_cache
from nilecare.kernel.config import PlatformSettings, resolve_secret
from nilecare.kernel.crypto import KeyedHasher, Keyring
from nilecare.kernel.db.engine import Database, default_sqlite_url
from nilecare.kernel.events.bus import EventBus, InProcessBus
from nilecare.kernel.events.kafka import KafkaBus
from nilecare.kernel.http.client import ServiceDirectory
from nilecare.kernel.service import ServiceContext, ServiceSpec
from nilecare.kernel.tasks.queue import InProcessTaskQueue, TaskQueue
from nilecare.kernel.tasks.rabbitmq import RabbitTaskQueue


@dataclass
class Platform:
    settings: PlatformSettings
    keyring: Keyring
    hasher: KeyedHasher
    bus: EventBus
    revocations: RevocationStore
    directory: ServiceDirectory
    verifier: TokenVerifier
    redis: Redis | None = None
    tasks: TaskQueue = field(default_factory=InProcessTaskQueue)
    cache: Cache = field(default_factory=Cache)
    contexts: dict[str, ServiceContext] = field(default_factory=dict)

    async def aclose(self) -> None:
        # Consumers first: their handlers use the databases closed below.
        await self.bus.stop()
        await self.tasks.stop()
        for context in self.contexts.values():
            if context.db is not None:
                await context.db.dispose()
        await self.directory.aclose()
        if self.redis is not None:
            await self.redis.aclose()


def build_event_bus(settings: PlatformSettings) -> EventBus:
    if settings.event_bus == "kafka":
        return KafkaBus(
            settings.kafka_bootstrap_servers,
            idempotent=settings.kafka_idempotent,
            fetch_max_wait_ms=settings.kafka_fetch_max_wait_ms,
        )
    return InProcessBus()


def build_task_queue(settings: PlatformSettings) -> TaskQueue:
    if settings.task_queue == "rabbitmq":
        return RabbitTaskQueue(settings.rabbitmq_url, concurrency=settings.task_concurrency)
    return InProcessTaskQueue()


def build_platform(settings: PlatformSettings) -> Platform:
    keyring = Keyring.parse(resolve_secret(settings, "encryption_keys"))
    hasher = KeyedHasher.from_b64(resolve_secret(settings, "hmac_key"))
    redis = Redis.from_url(settings.redis_url) if settings.redis_url else None
    revocations: RevocationStore = (
        RedisRevocationStore(redis) if redis is not None else MemoryRevocationStore()
    )
    service_key = ServiceTokenKey.derive(
        hasher.key, jwt_issuer=settings.jwt_issuer, audience=settings.jwt_audience
    )
    directory = ServiceDirectory(service_tokens=ServiceTokenIssuer(service_key))
    verifier = TokenVerifier(
        lambda: AuthClient(directory.client("auth")).jwks(),
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        revocations=revocations,
        service_key=service_key,
    )
    return Platform(
        settings=settings,
        keyring=keyring,
        hasher=hasher,
        bus=build_event_bus(settings),
        tasks=build_task_queue(settings),
        cache=build_cache(redis),
        revocations=revocations,
        directory=directory,
        verifier=verifier,
        redis=redis,
    )


def build_context(
    platform: Platform, spec: ServiceSpec, *, database_url: str | None = None
) -> ServiceContext:
    settings = spec.settings_class()
    db = None
    if spec.has_database:
        url = (
            database_url
            or settings.database_url
            or default_sqlite_url(platform.settings.data_dir, spec.name)
        )
        db = Database(url, pool_size=settings.database_pool_size)
    context = ServiceContext(
        spec=spec,
        settings=settings,
        platform=platform.settings,
        verifier=platform.verifier,
        revocations=platform.revocations,
        bus=platform.bus,
        keyring=platform.keyring,
        hasher=platform.hasher,
        db=db,
        directory=platform.directory,
        redis=platform.redis,
        tasks=platform.tasks,
        cache=platform.cache,
    )
    platform.contexts[spec.name] = context
    if platform.directory.service_tokens is not None:
        platform.directory.service_tokens.register(spec.name, spec.service_permissions)
    return context
