"""The gateway's own liveness and readiness.

Readiness reports each upstream's ``/health/ready`` (in-process: called as ASGI; remote: over
HTTP) without failing because of them: restarting a gateway replica cannot fix a service, and
the other services stay usable. It fails (503) only for what the gateway itself needs: Redis,
when rate limits are kept there.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import structlog
from redis.asyncio import Redis
from redis.exceptions import RedisError

from nilecare.kernel.errors import ServiceUnavailable
from nilecare.services.gateway.routing import Upstream

log = structlog.get_logger("nilecare.gateway.health")

REDIS_PING_TIMEOUT_SECONDS = 1.0


class Readiness:
    def __init__(
        self,
        upstreams: tuple[Upstream, ...],
        *,
        http: httpx.AsyncClient,
        redis: Redis | None,
        timeout: float,
    ) -> None:
        self.upstreams = upstreams
        self._http = http
        self._redis = redis
        self._timeout = timeout
        self._local = {
            u.service: httpx.AsyncClient(
                transport=httpx.ASGITransport(app=u.app, client=("127.0.0.1", 0)),
                base_url=f"http://{u.service}.internal",
            )
            for u in upstreams
            if u.app is not None
        }

    async def _upstream_status(self, upstream: Upstream) -> str:
        try:
            async with asyncio.timeout(self._timeout):
                local = self._local.get(upstream.service)
                if local is not None:
                    response = await local.get("/health/ready")
                else:
                    url = f"{str(upstream.url).rstrip('/')}/health/ready"
                    response = await self._http.get(url, timeout=self._timeout)
        except Exception as exc:
            log.warning("upstream_not_ready", service=upstream.service, error=type(exc).__name__)
            return "unreachable"
        return "ok" if response.status_code == 200 else f"failing ({response.status_code})"

    async def report(self) -> dict[str, Any]:
        if self._redis is not None:
            try:
                async with asyncio.timeout(min(self._timeout, REDIS_PING_TIMEOUT_SECONDS)):
                    await self._redis.ping()
            except (RedisError, OSError, TimeoutError) as exc:
                log.warning("readiness_redis_failed", error=type(exc).__name__)
                raise ServiceUnavailable("Redis (rate limits) is not reachable") from exc
        statuses = await asyncio.gather(*(self._upstream_status(u) for u in self.upstreams))
        upstreams = {u.service: s for u, s in zip(self.upstreams, statuses, strict=True)}
        overall = "ok" if all(s == "ok" for s in statuses) else "degraded"
        return {"status": overall, "upstreams": upstreams}

    async def aclose(self) -> None:
        for client in self._local.values():
            await client.aclose()
