"""This process's sockets by topic, and the fan-out that brings every message to every process.

``LocalHub.deliver`` hands a message to the local sockets subscribed to its topic, and only to
those whose user may see the message's facility (defence in depth: a subscription was checked
when it was made, and a patient may have moved since). ``MemoryFanout`` is the fan-out of one
process; ``RedisFanout`` (redis_fanout.py) that of several.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Protocol

from nilecare.kernel.auth.principal import Principal
from nilecare.services.gateway.live.messages import LiveMessage
from nilecare.services.gateway.live.topics import user_topic


class Subscriber(Protocol):
    principal: Principal

    def offer(self, message: LiveMessage) -> None:
        """Queue the message for the client; never blocks."""
        ...


def may_receive(principal: Principal, message: LiveMessage) -> bool:
    if message.facility_id is None:
        # Only a user's own messages may lack a facility.
        return message.topic == user_topic(principal.user_id)
    return principal.can_access_facility(message.facility_id)


class LocalHub:
    def __init__(self) -> None:
        self._subscribers: dict[str, set[Subscriber]] = defaultdict(set)

    def add(self, topic: str, subscriber: Subscriber) -> None:
        self._subscribers[topic].add(subscriber)

    def remove(self, topic: str, subscriber: Subscriber) -> None:
        subscribers = self._subscribers.get(topic)
        if subscribers is not None:
            subscribers.discard(subscriber)
            if not subscribers:
                del self._subscribers[topic]

    def deliver(self, message: LiveMessage) -> int:
        """The number of sockets the message was handed to."""
        delivered = 0
        for subscriber in tuple(self._subscribers.get(message.topic, ())):
            if may_receive(subscriber.principal, message):
                subscriber.offer(message)
                delivered += 1
        return delivered


class Fanout(Protocol):
    hub: LocalHub

    async def publish(self, message: LiveMessage) -> None:
        """Deliver to this process's sockets and hand to every other gateway process."""
        ...

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


class MemoryFanout:
    """One process: publishing is delivering."""

    def __init__(self, hub: LocalHub) -> None:
        self.hub = hub

    async def publish(self, message: LiveMessage) -> None:
        self.hub.deliver(message)

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None
