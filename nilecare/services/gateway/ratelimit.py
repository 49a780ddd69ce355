"""Rate limits: a sliding-window counter over two fixed windows, in memory or in Redis.

The estimate for a key is ``previous window's count x the share of it still inside the sliding
window + this window's count``; it smooths the burst a fixed window allows at its edge. Every
attempt counts, refused ones included, so a client that keeps hammering stays refused.

Storage sits behind ``WindowCounter``: ``MemoryWindowCounter`` for one process (all-in-one),
``RedisWindowCounter`` when replicas must share counts (INCR and EXPIRE of the current window and
GET of the previous one run as one MULTI/EXEC transaction, a single round trip).
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import structlog
from redis.asyncio import Redis
from redis.exceptions import RedisError

from nilecare.kernel.errors import ServiceUnavailable, TooManyRequests

log = structlog.get_logger("nilecare.gateway.ratelimit")

WINDOW_SECONDS = 60


class CounterUnavailable(Exception):
    """The counter store cannot be reached; the caller decides whether to fail open or closed."""


class WindowCounter(Protocol):
    async def increment(self, key: str, window: int, window_seconds: int) -> tuple[int, int]:
        """Count one hit for ``key`` in window number ``window``; return (this window's count,
        the previous window's count)."""
        ...


class MemoryWindowCounter:
    """Counts in this process; entries older than the previous window are swept as time moves."""

    def __init__(self) -> None:
        # key -> (window number, count in it, count in the window before)
        self._counts: dict[str, tuple[int, int, int]] = {}
        self._swept_window = 0

    async def increment(self, key: str, window: int, window_seconds: int) -> tuple[int, int]:
        if window > self._swept_window:
            self._sweep(window)
        stored = self._counts.get(key)
        if stored is None or stored[0] < window - 1:
            current, previous = 1, 0
        elif stored[0] == window - 1:
            current, previous = 1, stored[1]
        else:
            current, previous = stored[1] + 1, stored[2]
        self._counts[key] = (window, current, previous)
        return current, previous

    def _sweep(self, window: int) -> None:
        self._counts = {k: v for k, v in self._counts.items() if v[0] >= window - 1}
        self._swept_window = window


class RedisWindowCounter:
    """Counts in Redis, shared by every gateway replica.

    A call is bounded by ``timeout`` (the Redis client's own retries could otherwise hold each
    request for seconds), and after a failure Redis is not asked again for ``cooldown`` seconds:
    during an outage every request gets its answer (fail open or closed) at once.
    """

    def __init__(
        self, redis: Redis, key_prefix: str, *, timeout: float = 0.25, cooldown: float = 2.0
    ) -> None:
        self.redis = redis
        self.key_prefix = key_prefix
        self.timeout = timeout
        self.cooldown = cooldown
        self._down_until = 0.0

    async def increment(self, key: str, window: int, window_seconds: int) -> tuple[int, int]:
        if time.monotonic() < self._down_until:
            raise CounterUnavailable("Redis failed moments ago")
        current_key = f"{self.key_prefix}{key}:{window}"
        previous_key = f"{self.key_prefix}{key}:{window - 1}"
        try:
            async with asyncio.timeout(self.timeout):
                async with self.redis.pipeline(transaction=True) as pipe:
                    pipe.incr(current_key)
                    pipe.expire(current_key, 2 * window_seconds)
                    pipe.get(previous_key)
                    current, _, previous = await pipe.execute()
        except (RedisError, OSError, TimeoutError) as exc:
            self._down_until = time.monotonic() + self.cooldown
            raise CounterUnavailable(type(exc).__name__) from exc
        return int(current), int(previous or 0)


@dataclass(frozen=True)
class Decision:
    allowed: bool
    # Seconds until a new attempt would be allowed (0 when allowed).
    retry_after: int


class SlidingWindowLimiter:
    def __init__(
        self,
        counter: WindowCounter,
        *,
        window_seconds: int = WINDOW_SECONDS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.counter = counter
        self.window_seconds = window_seconds
        self._clock = clock

    async def hit(self, key: str, limit: int) -> Decision:
        now = self._clock()
        size = self.window_seconds
        window = int(now // size)
        elapsed = now - window * size
        current, previous = await self.counter.increment(key, window, size)
        if previous * (1 - elapsed / size) + current <= limit:
            return Decision(True, 0)
        return Decision(False, _seconds_until_allowed(current, previous, limit, elapsed, size))


def _seconds_until_allowed(
    current: int, previous: int, limit: int, elapsed: float, size: int
) -> int:
    """When one more hit would fit: later in this window (as the previous one slides out) if this
    window's own count leaves room, else some way into the next window."""
    room = limit - current - 1
    if room >= 0 and previous > 0:
        at = size * (1 - room / previous)
        if at < size:
            return max(1, math.ceil(at - elapsed))
    into_next = size * (1 - (limit - 1) / current) if current > limit - 1 else 0.0
    return max(1, math.ceil(size - elapsed + into_next))


class GatewayRateLimits:
    """The gateway's limits: per client IP, per user, and the stricter one on login paths.

    When the counter store (Redis) fails, the login limit fails closed (503: a brute-force
    window must not open because Redis is down), while the per-IP and per-user limits fail open:
    they protect capacity, and refusing all clinical traffic during a Redis outage would do more
    harm than the load it prevents. Each fail-open is logged (at most every ``warn_every``
    seconds).
    """

    def __init__(
        self,
        limiter: SlidingWindowLimiter,
        *,
        per_ip: int,
        per_user: int,
        login_per_ip: int,
        warn_every: float = 10.0,
    ) -> None:
        self.limiter = limiter
        self.per_ip = per_ip
        self.per_user = per_user
        self.login_per_ip = login_per_ip
        self._warn_every = warn_every
        self._warned_at = -math.inf

    async def check_ip(self, identity: str) -> None:
        await self._check("ip", identity, self.per_ip, fail_closed=False)

    async def check_user(self, user_id: str) -> None:
        await self._check("user", user_id, self.per_user, fail_closed=False)

    async def check_login(self, identity: str) -> None:
        await self._check("login", identity, self.login_per_ip, fail_closed=True)

    async def _check(self, kind: str, identity: str, limit: int, *, fail_closed: bool) -> None:
        try:
            decision = await self.limiter.hit(f"{kind}:{identity}", limit)
        except CounterUnavailable as exc:
            if fail_closed:
                log.error("rate_limit_store_unavailable", limit=kind, outcome="refused")
                raise ServiceUnavailable(
                    "Sign-in is temporarily unavailable; try again shortly",
                    slug="rate-limit-unavailable",
                ) from exc
            now = time.monotonic()
            if now - self._warned_at >= self._warn_every:
                self._warned_at = now
                log.warning("rate_limit_store_unavailable", limit=kind, outcome="allowed")
            return
        if not decision.allowed:
            log.info("rate_limited", limit=kind, retry_after=decision.retry_after)
            raise TooManyRequests(decision.retry_after)
