"""Active critical alerts per topic, replayed to a client that subscribes (or reconnects).

An alert stays active for the alert window (12 h by default) and each topic keeps its newest
``per_topic``. ``RedisAlertStore`` keeps them in one sorted set per topic (score: the alert's
time), trimmed and given a TTL on every write, shared by all gateway processes;
``MemoryAlertStore`` keeps them in this process. An alert recorded twice (an event delivered
again) is stored once.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Protocol

import structlog
from redis.asyncio import Redis
from redis.exceptions import RedisError

from nilecare.services.gateway.live.messages import LiveMessage

log = structlog.get_logger("nilecare.gateway.live")

# Scores are float seconds; a little slack keeps float rounding from losing the boundary alert.
_SCORE_SLACK_SECONDS = 0.001


class AlertsUnavailable(Exception):
    """The alert store cannot be read right now."""


class AlertStore(Protocol):
    async def record(self, message: LiveMessage) -> None: ...

    async def since(self, topic: str, since: datetime | None) -> list[LiveMessage]:
        """The topic's active alerts newer than ``since`` (all active ones without), oldest
        first. Raises ``AlertsUnavailable``."""
        ...


class MemoryAlertStore:
    def __init__(self, *, window_seconds: int, per_topic: int) -> None:
        self.window = timedelta(seconds=window_seconds)
        self.per_topic = per_topic
        self._alerts: dict[str, list[LiveMessage]] = defaultdict(list)

    def _active(self, topic: str) -> list[LiveMessage]:
        oldest = datetime.now(UTC) - self.window
        alerts = [a for a in self._alerts.get(topic, ()) if a.at > oldest][-self.per_topic :]
        if alerts:
            self._alerts[topic] = alerts
        else:
            self._alerts.pop(topic, None)
        return alerts

    async def record(self, message: LiveMessage) -> None:
        alerts = self._alerts[message.topic]
        if all(a.id != message.id for a in alerts):
            alerts.append(message)
            alerts.sort(key=lambda a: a.at)
        self._active(message.topic)

    async def since(self, topic: str, since: datetime | None) -> list[LiveMessage]:
        return [a for a in self._active(topic) if since is None or a.at > since]


class RedisAlertStore:
    def __init__(
        self,
        redis: Redis,
        key_prefix: str,
        *,
        window_seconds: int,
        per_topic: int,
        timeout: float = 1.0,
    ) -> None:
        self.redis = redis
        self.key_prefix = key_prefix
        self.window_seconds = window_seconds
        self.per_topic = per_topic
        self.timeout = timeout

    def _key(self, topic: str) -> str:
        return f"{self.key_prefix}alerts:{topic}"

    async def record(self, message: LiveMessage) -> None:
        """Best effort: a failure is logged and the live delivery goes on without it."""
        key = self._key(message.topic)
        oldest = datetime.now(UTC).timestamp() - self.window_seconds
        try:
            async with asyncio.timeout(self.timeout):
                async with self.redis.pipeline(transaction=True) as pipe:
                    pipe.zadd(key, {message.to_json(): message.at.timestamp()})
                    pipe.zremrangebyscore(key, "-inf", oldest)
                    pipe.zremrangebyrank(key, 0, -self.per_topic - 1)
                    pipe.expire(key, self.window_seconds)
                    await pipe.execute()
        except (RedisError, OSError, TimeoutError) as exc:
            log.error(
                "live_alert_not_stored",
                topic_kind=message.topic.split(":")[0],
                error=type(exc).__name__,
            )

    async def since(self, topic: str, since: datetime | None) -> list[LiveMessage]:
        oldest = datetime.now(UTC).timestamp() - self.window_seconds
        lower = max(oldest, since.timestamp() - _SCORE_SLACK_SECONDS) if since else oldest
        try:
            async with asyncio.timeout(self.timeout):
                members = await self.redis.zrangebyscore(self._key(topic), lower, "+inf")
        except (RedisError, OSError, TimeoutError) as exc:
            log.warning("live_alerts_unavailable", error=type(exc).__name__)
            raise AlertsUnavailable(type(exc).__name__) from exc
        alerts: list[LiveMessage] = []
        for member in members:
            if not isinstance(member, bytes | str):
                continue
            try:
                alert = LiveMessage.from_json(member)
            except ValueError:
                continue
            if since is None or alert.at > since:
                alerts.append(alert)
        return alerts
