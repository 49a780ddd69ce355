"""The read-through cache, in memory and on the Redis server; with Redis down it answers from the
loader (see test_redis_down.py)."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator

import pytest
from pydantic import BaseModel
from redis.asyncio import Redis
from redis.exceptions import RedisError

from nilecare.kernel.cache import Cache, MemoryStore, RedisStore
from tests.databases import skip_or_fail

REDIS_URL = "redis://127.0.0.1:6379/0"


class Ward(BaseModel):
    name: str


class Loader:
    """Counts its calls; returns the current ward name."""

    def __init__(self, name: str = "Ward A") -> None:
        self.name = name
        self.calls = 0

    async def __call__(self) -> Ward:
        self.calls += 1
        return Ward(name=self.name)


async def test_a_value_is_loaded_once_while_fresh_and_again_after_its_ttl_or_invalidation() -> None:
    cache = Cache()
    load = Loader()
    assert await cache.get_or_load("ward:1", Ward, load, ttl=60) == Ward(name="Ward A")
    load.name = "Ward A (renamed)"
    assert (await cache.get_or_load("ward:1", Ward, load, ttl=60)).name == "Ward A"
    assert load.calls == 1
    await cache.invalidate("ward:1")
    assert (await cache.get_or_load("ward:1", Ward, load, ttl=0.05)).name == "Ward A (renamed)"
    await asyncio.sleep(0.1)
    await cache.get_or_load("ward:1", Ward, load, ttl=60)
    assert load.calls == 3


async def test_the_memory_store_keeps_the_most_recently_used_entries() -> None:
    store = MemoryStore(max_entries=2)
    await store.set("a", b"1", 60)
    await store.set("b", b"2", 60)
    assert await store.get("a") == b"1"  # now "b" is the least recently used
    await store.set("c", b"3", 60)
    assert [await store.get(key) for key in ("a", "b", "c")] == [b"1", None, b"3"]


async def test_a_failing_loader_fails_the_call_and_caches_nothing() -> None:
    cache = Cache()

    async def broken() -> Ward:
        raise LookupError("no such ward")

    with pytest.raises(LookupError):
        await cache.get_or_load("ward:2", Ward, broken, ttl=60)
    load = Loader()
    await cache.get_or_load("ward:2", Ward, load, ttl=60)
    assert load.calls == 1


@pytest.fixture
async def redis_store() -> AsyncIterator[RedisStore]:
    client = Redis.from_url(REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
    try:
        await client.ping()
    except (RedisError, OSError) as exc:
        await client.aclose()
        skip_or_fail(f"redis is not reachable at {REDIS_URL}: {exc}")
    store = RedisStore(client, prefix=f"nilecare-test:cache:{secrets.token_hex(6)}:")
    try:
        yield store
    finally:
        keys = [key async for key in client.scan_iter(match=store.prefix + "*")]
        if keys:
            await client.delete(*keys)
        await client.aclose()


async def test_replicas_share_the_redis_cache_with_its_ttl_and_invalidation(
    redis_store: RedisStore,
) -> None:
    first, second = Cache(redis_store), Cache(redis_store)
    load = Loader()
    await first.get_or_load("ward:3", Ward, load, ttl=30)
    assert (await second.get_or_load("ward:3", Ward, load, ttl=30)).name == "Ward A"
    assert load.calls == 1
    assert 0 < await redis_store.redis.pttl(redis_store.prefix + "ward:3") <= 30_000
    await second.invalidate("ward:3")
    load.name = "Ward B"
    assert (await first.get_or_load("ward:3", Ward, load, ttl=30)).name == "Ward B"


async def test_an_entry_of_another_shape_is_loaded_afresh(redis_store: RedisStore) -> None:
    await redis_store.set("ward:4", b'{"title": "old shape"}', 30)
    load = Loader()
    assert (await Cache(redis_store).get_or_load("ward:4", Ward, load, ttl=30)).name == "Ward A"
    assert await redis_store.get("ward:4") == b'{"name":"Ward A"}'
