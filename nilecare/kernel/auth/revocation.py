"""Revoked sessions, checked on every token verification.

In memory for the all-in-one process; in Redis when configured, so every replica of every service
sees a revocation at once. A Redis failure fails closed: the request is refused with 503 rather
than letting a possibly revoked token through; so does a Redis that does not answer within
``timeout`` (a hung server would otherwise hold every request).
"""

from __future__ import annotations

import asyncio
import time
from typing import Protocol

from redis.asyncio import Redis
from redis.exceptions import RedisError

from nilecare.kernel.errors import ServiceUnavailable


class RevocationStore(Protocol):
    async def revoke_session(self, session_id: str, ttl_seconds: int) -> None: ...

    async def is_session_revoked(self, session_id: str) -> bool: ...


class MemoryRevocationStore:
    def __init__(self) -> None:
        self._revoked: dict[str, float] = {}

    async def revoke_session(self, session_id: str, ttl_seconds: int) -> None:
        now = time.monotonic()
        self._revoked = {sid: until for sid, until in self._revoked.items() if until > now}
        self._revoked[session_id] = now + ttl_seconds

    async def is_session_revoked(self, session_id: str) -> bool:
        until = self._revoked.get(session_id)
        return until is not None and until > time.monotonic()


class RedisRevocationStore:
    PREFIX = "nilecare:revoked-session:"

    def __init__(self, redis: Redis, *, timeout: float = 2.0) -> None:
        self.redis = redis
        self.timeout = timeout

    async def revoke_session(self, session_id: str, ttl_seconds: int) -> None:
        try:
            async with asyncio.timeout(self.timeout):
                await self.redis.set(self.PREFIX + session_id, b"1", ex=max(1, ttl_seconds))
        except (RedisError, OSError, TimeoutError) as exc:
            raise ServiceUnavailable("The session store is unavailable") from exc

    async def is_session_revoked(self, session_id: str) -> bool:
        try:
            async with asyncio.timeout(self.timeout):
                return bool(await self.redis.exists(self.PREFIX + session_id))
        except (RedisError, OSError, TimeoutError) as exc:
            raise ServiceUnavailable("Token revocation cannot be checked right now") from exc
