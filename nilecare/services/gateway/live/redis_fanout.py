"""Fan-out across gateway processes through one Redis pub/sub channel (topic inside the message).

Each process delivers what it publishes to its own sockets at once, then publishes it to Redis
tagged with its node id; every process listens on the channel and delivers what other nodes sent.
So local delivery never waits on Redis nor stops when it fails: a failed publish is logged, and a
dropped subscription is re-made with backoff (from ``first_backoff`` doubling to ``max_backoff``)
while this process's own messages keep reaching its sockets.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
import uuid

import structlog
from redis.asyncio import Redis
from redis.exceptions import RedisError

from nilecare.services.gateway.live.hub import LocalHub
from nilecare.services.gateway.live.messages import LiveMessage

log = structlog.get_logger("nilecare.gateway.live")

_REDIS_ERRORS = (RedisError, OSError, TimeoutError)


class RedisFanout:
    def __init__(
        self,
        redis: Redis,
        hub: LocalHub,
        *,
        channel: str,
        timeout: float = 1.0,
        first_backoff: float = 0.5,
        max_backoff: float = 10.0,
        warn_every: float = 10.0,
    ) -> None:
        self.redis = redis
        self.hub = hub
        self.channel = channel
        self.node = uuid.uuid4().hex
        self.timeout = timeout
        self.first_backoff = first_backoff
        self.max_backoff = max_backoff
        # Set while the channel subscription stands (tests and readiness wait on it).
        self.listening = asyncio.Event()
        self._warn_every = warn_every
        self._warned_at = -float("inf")
        self._task: asyncio.Task[None] | None = None

    async def publish(self, message: LiveMessage) -> None:
        self.hub.deliver(message)
        payload = json.dumps({"origin": self.node, "message": message.to_json()})
        try:
            async with asyncio.timeout(self.timeout):
                await self.redis.publish(self.channel, payload)
        except _REDIS_ERRORS as exc:
            now = time.monotonic()
            if now - self._warned_at >= self._warn_every:
                self._warned_at = now
                log.warning("live_fanout_publish_failed", error=type(exc).__name__)

    async def start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(
                self._listen(), name="gateway-live-fanout"
            )

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self.listening.clear()

    async def _listen(self) -> None:
        backoff = self.first_backoff
        lost = False
        while True:
            pubsub = self.redis.pubsub(ignore_subscribe_messages=True)
            try:
                async with asyncio.timeout(self.timeout):
                    await pubsub.subscribe(self.channel)
                self.listening.set()
                if lost:
                    log.info("live_fanout_redis_restored")
                    lost = False
                backoff = self.first_backoff
                while True:
                    received = await pubsub.get_message(timeout=self.timeout)
                    if received is not None:
                        self._receive(received["data"])
            except _REDIS_ERRORS as exc:
                self.listening.clear()
                lost = True
                log.warning(
                    "live_fanout_redis_lost", error=type(exc).__name__, retry_in_seconds=backoff
                )
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, self.max_backoff)
            finally:
                with contextlib.suppress(*_REDIS_ERRORS):
                    await pubsub.aclose()  # type: ignore[no-untyped-call]

    def _receive(self, data: bytes | str) -> None:
        try:
            body = json.loads(data)
            if body["origin"] == self.node:
                return
            message = LiveMessage.from_json(body["message"])
        except (ValueError, KeyError, TypeError) as exc:
            log.warning("live_fanout_message_malformed", error=type(exc).__name__)
            return
        self.hub.deliver(message)
