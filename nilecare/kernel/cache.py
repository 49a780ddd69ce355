"""A read-through cache for reference data that a few seconds of staleness cannot harm (a ward's
name, a facility's name), never for what a permission check or a clinical decision reads.

In Redis when ``NILECARE_REDIS_URL`` is set, so every replica shares it; in this process's memory
otherwise (bounded, least recently used out first). Every entry has a TTL; writers that know a
value changed call ``invalidate``. The cache never fails a request: on any Redis error, or a
Redis call slower than ``timeout``, the value comes from the loader (the database or the service
that owns it) and the error is logged, and Redis is left alone for ``cooldown`` seconds so an
outage costs each request nothing but the load it would have had without a cache.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Protocol, TypeVar

import structlog
from pydantic import BaseModel
from redis.asyncio import Redis
from redis.exceptions import RedisError

log = structlog.get_logger("nilecare.cache")

M = TypeVar("M", bound=BaseModel)


class CacheStore(Protocol):
    async def get(self, key: str) -> bytes | None: ...

    async def set(self, key: str, value: bytes, ttl: float) -> None: ...

    async def delete(self, key: str) -> None: ...


class MemoryStore:
    def __init__(self, max_entries: int = 10_000) -> None:
        self._max_entries = max_entries
        self._entries: OrderedDict[str, tuple[float, bytes]] = OrderedDict()

    async def get(self, key: str) -> bytes | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry[0] <= time.monotonic():
            del self._entries[key]
            return None
        self._entries.move_to_end(key)
        return entry[1]

    async def set(self, key: str, value: bytes, ttl: float) -> None:
        self._entries[key] = (time.monotonic() + ttl, value)
        self._entries.move_to_end(key)
        while len(self._entries) > self._max_entries:
            self._entries.popitem(last=False)

    async def delete(self, key: str) -> None:
        self._entries.pop(key, None)


class RedisStore:
    def __init__(self, redis: Redis, prefix: str = "nilecare:cache:") -> None:
        self.redis = redis
        self.prefix = prefix

    async def get(self, key: str) -> bytes | None:
        value = await self.redis.get(self.prefix + key)
        return value.encode() if isinstance(value, str) else value

    async def set(self, key: str, value: bytes, ttl: float) -> None:
        await self.redis.set(self.prefix + key, value, px=max(1, math.ceil(ttl * 1000)))

    async def delete(self, key: str) -> None:
        await self.redis.delete(self.prefix + key)


class Cache:
    def __init__(
        self,
        store: CacheStore | None = None,
        *,
        timeout: float = 0.25,
        cooldown: float = 2.0,
        warn_every: float = 10.0,
    ) -> None:
        self.store = store if store is not None else MemoryStore()
        self.timeout = timeout
        self.cooldown = cooldown
        self._warn_every = warn_every
        self._down_until = 0.0
        self._warned_at = -math.inf

    async def get_or_load(
        self, key: str, model: type[M], loader: Callable[[], Awaitable[M]], *, ttl: float
    ) -> M:
        """The cached ``model`` under ``key``, else ``loader()``'s, kept for ``ttl`` seconds.
        A loader's error is the caller's (nothing is cached)."""
        cached = await self._call("get", lambda: self.store.get(key))
        if cached is not None:
            try:
                return model.model_validate_json(cached)
            except ValueError:
                log.warning("cache_entry_unreadable", key=key)  # an older shape: load afresh
        value = await loader()
        body = value.model_dump_json().encode()
        await self._call("set", lambda: self.store.set(key, body, ttl))
        return value

    async def invalidate(self, key: str) -> None:
        await self._call("delete", lambda: self.store.delete(key))

    async def _call(
        self, operation: str, call: Callable[[], Awaitable[bytes | None]]
    ) -> bytes | None:
        """``call()``'s answer; None, logged, when the store fails (or is cooling down)."""
        if time.monotonic() < self._down_until:
            return None
        try:
            async with asyncio.timeout(self.timeout):
                return await call()
        except (RedisError, OSError, TimeoutError) as exc:
            self._down_until = time.monotonic() + self.cooldown
            now = time.monotonic()
            if now - self._warned_at >= self._warn_every:
                self._warned_at = now
                log.warning("cache_unavailable", operation=operation, error=type(exc).__name__)
            return None


def build_cache(redis: Redis | None) -> Cache:
    return Cache(RedisStore(redis) if redis is not None else None)
