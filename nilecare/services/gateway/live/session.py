"""One open socket: its user, its topics, what waits to be sent, and its limits.

Everything the server sends goes through one bounded queue written by one task, so frames keep
their order and a slow client cannot make the gateway hold unbounded memory: when the queue is
full the socket is closed (1013) and the client, reconnecting, gets the alerts it missed.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from typing import Any

from nilecare.kernel.auth.principal import Principal
from nilecare.services.gateway.live.messages import LiveMessage

# Close codes (RFC 6455 and the 4000-4999 private range).
CLOSE_NORMAL = 1000
CLOSE_POLICY = 1008
CLOSE_TOO_BIG = 1009
CLOSE_TRY_AGAIN = 1013
CLOSE_TOKEN_EXPIRED = 4401
# Messages a socket remembers having sent, so an alert that arrives live while its topic's missed
# alerts are being loaded is not sent again by the replay.
RECENT_MESSAGES = 256


class LiveSession:
    def __init__(
        self,
        principal: Principal,
        token: str,
        *,
        client_ip: str,
        send_queue: int,
        messages_per_minute: int,
    ) -> None:
        self.principal = principal
        self.token = token
        self.client_ip = client_ip
        # internal topic -> the name the client subscribed with
        self.topics: dict[str, str] = {}
        self.outgoing: asyncio.Queue[dict[str, Any]] = asyncio.Queue(maxsize=send_queue)
        self.close_code: int | None = None
        self.closing = asyncio.Event()
        self._recent: OrderedDict[tuple[str, str], None] = OrderedDict()
        # Token bucket: a burst of a minute's allowance, refilled continuously.
        self._capacity = float(messages_per_minute)
        self._tokens = self._capacity
        self._refill_per_second = messages_per_minute / 60.0
        self._refilled_at = time.monotonic()

    def send(self, frame: dict[str, Any]) -> None:
        if self.close_code is not None:
            return
        try:
            self.outgoing.put_nowait(frame)
        except asyncio.QueueFull:
            self.close(CLOSE_TRY_AGAIN)

    def offer(self, message: LiveMessage) -> None:
        client_topic = self.topics.get(message.topic)
        if client_topic is None or (message.topic, message.id) in self._recent:
            return
        self._recent[(message.topic, message.id)] = None
        if len(self._recent) > RECENT_MESSAGES:
            self._recent.popitem(last=False)
        self.send(message.frame(client_topic))

    def close(self, code: int) -> None:
        if self.close_code is None:
            self.close_code = code
            self.closing.set()

    def allow_frame(self) -> bool:
        """Counts one client frame against the rate limit; False when over it."""
        now = time.monotonic()
        elapsed = now - self._refilled_at
        self._refilled_at = now
        self._tokens = min(self._capacity, self._tokens + elapsed * self._refill_per_second)
        if self._tokens < 1:
            return False
        self._tokens -= 1
        return True
