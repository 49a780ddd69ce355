"""Redis down (its URL points at a closed loopback port): the cache falls through to the loader,
and token revocation fails closed with a 503 problem. (The login rate limit's and the auth session
store's fail-closed answers are tested with the gateway and the auth service.)"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from redis.asyncio import Redis
from sqlalchemy import func, select

from nilecare.kernel.auth.revocation import RedisRevocationStore
from nilecare.kernel.auth.tokens import TokenVerifier
from nilecare.kernel.cache import Cache, RedisStore
from nilecare.kernel.errors import ServiceUnavailable
from tests.harness import RunningService, running_service
from tests.kernel import sample_service
from tests.kernel.test_cache import Loader, Ward
from tests.services.gateway.stack import closed_port_url
from tests.tokens import AUDIENCE, ISSUER, Signer


def closed_redis_url() -> str:
    return closed_port_url().replace("http://", "redis://") + "/0"


class CountingStore(RedisStore):
    """Counts the calls that reach Redis."""

    calls = 0

    async def get(self, key: str) -> bytes | None:
        self.calls += 1
        return await super().get(key)


@pytest.fixture
async def dead_redis() -> AsyncIterator[Redis]:
    client = Redis.from_url(closed_redis_url(), socket_connect_timeout=0.5)
    yield client
    await client.aclose()


async def test_with_redis_down_the_cache_answers_from_the_loader_and_rests_redis(
    dead_redis: Redis,
) -> None:
    store = CountingStore(dead_redis)
    cache = Cache(store, cooldown=60)
    load = Loader()
    for _ in range(3):
        assert await cache.get_or_load("ward:1", Ward, load, ttl=30) == Ward(name="Ward A")
    await cache.invalidate("ward:1")
    assert load.calls == 3
    # Only the first call went to Redis; the others skipped it during the cooldown.
    assert store.calls == 1


@pytest.fixture
async def service(tmp_path: Path) -> AsyncIterator[RunningService]:
    """The sample service on a platform configured with an unreachable Redis."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'sample.sqlite3'}"
    async with running_service(
        sample_service.SERVICE, url, tmp_path, redis_url=closed_redis_url()
    ) as svc:
        async with svc.context.database.engine.begin() as conn:
            await conn.run_sync(sample_service.metadata.create_all)
        yield svc


async def test_with_redis_down_a_token_whose_revocation_cannot_be_checked_is_refused(
    service: RunningService,
) -> None:
    signer = Signer()
    # The platform's own revocation store, on the Redis of its settings.
    service.context.verifier = TokenVerifier(
        signer.fetch_jwks,
        issuer=ISSUER,
        audience=AUDIENCE,
        revocations=service.platform.revocations,
    )
    token = signer.token([sample_service.NOTE_WRITE], sid=str(uuid.uuid4()))
    answer = await service.client.post(
        "/api/v1/notes", json={"text": "x"}, headers={"Authorization": f"Bearer {token}"}
    )
    assert answer.status_code == 503
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["type"].endswith("/service-unavailable")
    assert "revocation" in answer.json()["detail"].lower()
    async with service.context.database.session() as session:
        assert await session.scalar(select(func.count()).select_from(sample_service.Note)) == 0
    # The service's cache, on the same Redis, still answers (from the loader).
    assert isinstance(service.context.cache.store, RedisStore)
    load = Loader()
    assert await service.context.cache.get_or_load("ward:9", Ward, load, ttl=30) == Ward(
        name="Ward A"
    )


@pytest.fixture
async def silent_redis() -> AsyncIterator[Redis]:
    """A loopback server that accepts connections and never answers (a hung Redis)."""
    held: list[asyncio.StreamWriter] = []

    async def accept(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)

    server = await asyncio.start_server(accept, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    client = Redis(host="127.0.0.1", port=port)
    try:
        yield client
    finally:
        await client.aclose()
        for writer in held:
            writer.close()
        server.close()
        await server.wait_closed()


async def test_a_redis_that_never_answers_fails_revocation_closed_and_the_cache_open(
    silent_redis: Redis,
) -> None:
    async with asyncio.timeout(20):  # the test's own bound: a hang fails it
        with pytest.raises(ServiceUnavailable):
            await RedisRevocationStore(silent_redis, timeout=0.5).is_session_revoked("s1")
        load = Loader()
        cache = Cache(RedisStore(silent_redis), timeout=0.5)
        assert await cache.get_or_load("ward:1", Ward, load, ttl=30) == Ward(name="Ward A")
        assert load.calls == 1
