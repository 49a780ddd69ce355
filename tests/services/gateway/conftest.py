from __future__ import annotations

import secrets
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis
from redis.exceptions import RedisError

from tests.databases import skip_or_fail

REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379


@pytest.fixture
async def redis_client() -> AsyncIterator[Redis]:
    """The Redis server on this machine; its tests are skipped (failed under CI) without one."""
    client = Redis(host=REDIS_HOST, port=REDIS_PORT, socket_timeout=2, socket_connect_timeout=2)
    try:
        await client.ping()
    except (RedisError, OSError) as exc:
        await client.aclose()
        skip_or_fail(f"Redis at {REDIS_HOST}:{REDIS_PORT} is not reachable: {exc}")
    yield client
    await client.aclose()


@pytest.fixture
async def redis_prefix(redis_client: Redis) -> AsyncIterator[str]:
    """A key prefix of this test's own; its keys are removed afterwards."""
    prefix = f"nilecare:test:gateway:{secrets.token_hex(6)}:"
    yield prefix
    keys = [key async for key in redis_client.scan_iter(match=prefix + "*")]
    if keys:
        await redis_client.delete(*keys)
