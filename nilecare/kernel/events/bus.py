"""The event bus interface and the in-process bus of the all-in-one mode.

The in-process bus delivers to every subscriber before ``publish`` returns, retrying a failing
handler with backoff; so the relay marks an outbox row sent only once consumers have it. Handlers
that keep failing are set aside as dead letters (in this process's memory) for
``replay_dead_letters``.

A subscription may also give a ``batch_handler``: a bus that fetches several records at once (the
Kafka bus) may hand it a run of one partition's events, in order, to apply all or none of them
(one transaction). If it raises, the bus delivers that run one event at a time to ``handler``,
with the usual retries and dead letters, so a poison event is still isolated. The in-process bus
delivers one event at a time and never calls it.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

import structlog

from nilecare.kernel.events.envelope import EncodedEvent, Envelope

Handler = Callable[[Envelope], Awaitable[None]]
# Applies every event of the run or none of them (it raises); never a part.
BatchHandler = Callable[[Sequence[Envelope]], Awaitable[None]]

log = structlog.get_logger("nilecare.events")


class EventBus(Protocol):
    async def publish(self, envelope: Envelope) -> None: ...

    async def publish_many(self, events: Sequence[EncodedEvent]) -> int:
        """Publish in order; returns how many, counted from the first, the bus now holds. Fewer
        than all means one failed: it and those after it are for the caller to send again, so
        that one key's events never overtake each other."""
        ...

    def subscribe(
        self,
        event_type: str,
        consumer: str,
        handler: Handler,
        *,
        batch_handler: BatchHandler | None = None,
        one_transaction_per_fetch: bool = False,
    ) -> None: ...

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


@dataclass(frozen=True)
class DeadLetter:
    consumer: str
    envelope: Envelope
    error: str


@dataclass(frozen=True)
class _Subscription:
    consumer: str
    handler: Handler


async def handle_with_retries(
    handler: Handler, envelope: Envelope, consumer: str, retry_delays: tuple[float, ...]
) -> Exception | None:
    """Run ``handler``, retrying after each of ``retry_delays``; the last error when every
    attempt failed (the caller dead-letters the event), else None."""
    for attempt, delay in enumerate((*retry_delays, None)):
        try:
            await handler(envelope)
            return None
        except Exception as exc:
            if delay is None:
                return exc
            log.warning(
                "event_retry",
                consumer=consumer,
                attempt=attempt + 1,
                event_id=str(envelope.event_id),
                error=type(exc).__name__,
            )
            await asyncio.sleep(delay)
    raise AssertionError("unreachable")  # pragma: no cover


class InProcessBus:
    def __init__(self, retry_delays: tuple[float, ...] = (0.05, 0.25, 1.0)) -> None:
        self._subscriptions: dict[str, list[_Subscription]] = defaultdict(list)
        self._retry_delays = retry_delays
        self.dead_letters: list[DeadLetter] = []

    def subscribe(
        self,
        event_type: str,
        consumer: str,
        handler: Handler,
        *,
        batch_handler: BatchHandler | None = None,
        one_transaction_per_fetch: bool = False,
    ) -> None:
        # Delivery here is one event at a time, as each is published; batches are not needed.
        self._subscriptions[event_type].append(_Subscription(consumer, handler))

    async def publish(self, envelope: Envelope) -> None:
        subscriptions = self._subscriptions.get(envelope.type, [])
        if subscriptions:
            await asyncio.gather(*(self._deliver(sub, envelope) for sub in subscriptions))

    async def publish_many(self, events: Sequence[EncodedEvent]) -> int:
        # Delivery failures become dead letters, so every event is taken.
        for event in events:
            await self.publish(event.decoded())
        return len(events)

    async def _deliver(self, sub: _Subscription, envelope: Envelope) -> None:
        error = await handle_with_retries(sub.handler, envelope, sub.consumer, self._retry_delays)
        if error is not None:
            log.error(
                "event_dead_lettered",
                consumer=sub.consumer,
                type=envelope.type,
                event_id=str(envelope.event_id),
                error=type(error).__name__,
            )
            self.dead_letters.append(DeadLetter(sub.consumer, envelope, repr(error)))

    async def replay_dead_letters(self) -> int:
        letters, self.dead_letters = self.dead_letters, []
        for letter in letters:
            for sub in self._subscriptions.get(letter.envelope.type, []):
                if sub.consumer == letter.consumer:
                    await self._deliver(sub, letter.envelope)
        return len(letters)

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None
