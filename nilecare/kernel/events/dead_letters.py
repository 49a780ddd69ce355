"""Dead letters on the Kafka bus, for operators: those not yet replayed, and their replay.

A dead letter is replayed by copying it to ``<consumer>.replay``, which only that consumer's group
reads, so no other consumer sees it again; the consumer's inbox still applies it at most once. Each
copy carries a ``dead_letter`` header naming the record it copies (partition, offset and
timestamp), and a dead letter is pending while no copy names it. The broker's two topics are the
whole state: nothing to keep in step elsewhere, and any operator machine sees the same list.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeAlias

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from nilecare.kernel.events.envelope import Envelope
from nilecare.kernel.events.kafka import (
    CLIENT_ID,
    DEAD_LETTER_SUFFIX,
    dead_letter_topic,
    replay_topic,
)

REPLAYED_HEADER = "dead_letter"
# Reading a topic to its end normally takes well under a second; a broker that stops answering
# fails the command instead of hanging it.
READ_TIMEOUT = 60.0

Record: TypeAlias = ConsumerRecord[bytes, bytes]


@dataclass(frozen=True)
class PendingDeadLetter:
    consumer: str
    topic: str  # where the event was consumed from
    event_id: uuid.UUID | None  # None when the record is not an envelope
    type: str | None
    occurred_at: datetime | None
    error: str
    partition: int  # of the dead-letter topic
    offset: int
    record: Record = field(repr=False, compare=False)


async def pending_dead_letters(
    bootstrap_servers: str, consumer: str | None = None
) -> list[PendingDeadLetter]:
    """Dead letters not replayed yet, of one consumer or of all, oldest first."""
    async with _reader(bootstrap_servers) as reader:
        if consumer is not None:
            consumers = [consumer]
        else:
            consumers = sorted(
                topic.removesuffix(DEAD_LETTER_SUFFIX)
                for topic in reader.partitions
                if topic.endswith(DEAD_LETTER_SUFFIX)
            )
        pending: list[PendingDeadLetter] = []
        for name in consumers:
            replayed = {
                dict(copy.headers).get(REPLAYED_HEADER)
                for copy in await reader.read(replay_topic(name))
            }
            pending += [
                _describe(name, letter)
                for letter in await reader.read(dead_letter_topic(name))
                if _mark(letter) not in replayed
            ]
        return sorted(pending, key=lambda letter: letter.record.timestamp)


async def replay_dead_letters(
    bootstrap_servers: str,
    consumer: str,
    *,
    event_id: uuid.UUID | None = None,
    idempotent: bool = True,
) -> list[PendingDeadLetter]:
    """Copy the consumer's pending dead letters (or the one of ``event_id``) to its replay topic;
    returns those replayed."""
    letters = [
        letter
        for letter in await pending_dead_letters(bootstrap_servers, consumer)
        if event_id is None or letter.event_id == event_id
    ]
    if not letters:
        return []
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap_servers,
        client_id=CLIENT_ID,
        enable_idempotence=idempotent,
        acks="all",
    )
    try:
        await producer.start()
        deliveries = [
            await producer.send(
                replay_topic(consumer),
                value=letter.record.value,
                key=letter.record.key,
                headers=[
                    *(h for h in letter.record.headers if h[0] != REPLAYED_HEADER),
                    (REPLAYED_HEADER, _mark(letter.record)),
                ],
            )
            for letter in letters
        ]
        await asyncio.gather(*deliveries)
    finally:
        await producer.stop()
    return letters


def _mark(letter: Record) -> bytes:
    # The timestamp tells a dead letter from one at the same offset of a recreated topic.
    return f"{letter.partition}:{letter.offset}:{letter.timestamp}".encode()


def _describe(consumer: str, letter: Record) -> PendingDeadLetter:
    headers = {name: value.decode(errors="replace") for name, value in letter.headers}
    try:
        envelope: Envelope | None = Envelope.model_validate_json(letter.value or b"")
    except ValueError:
        envelope = None
    return PendingDeadLetter(
        consumer=consumer,
        topic=headers.get("topic", ""),
        event_id=envelope.event_id if envelope else None,
        type=envelope.type if envelope else None,
        occurred_at=envelope.occurred_at if envelope else None,
        error=headers.get("error", ""),
        partition=letter.partition,
        offset=letter.offset,
        record=letter,
    )


class _TopicReader:
    """Reads whole topics without a consumer group (so it commits nothing and moves no one)."""

    def __init__(self, consumer: AIOKafkaConsumer, partitions: dict[str, list[int]]) -> None:
        self._consumer = consumer
        self.partitions = partitions

    async def read(self, topic: str) -> list[Record]:
        # Only topics that exist: asking for another would have the broker create it.
        tps = [TopicPartition(topic, p) for p in self.partitions.get(topic, [])]
        if not tps:
            return []
        self._consumer.assign(tps)
        await self._consumer.seek_to_beginning(*tps)
        ends = await self._consumer.end_offsets(tps)
        records: list[Record] = []
        async with asyncio.timeout(READ_TIMEOUT):
            remaining = [tp for tp in tps if await self._consumer.position(tp) < ends[tp]]
            while remaining:
                batches = await self._consumer.getmany(*remaining, timeout_ms=500)
                for tp, batch in batches.items():
                    records += [record for record in batch if record.offset < ends[tp]]
                remaining = [tp for tp in remaining if await self._consumer.position(tp) < ends[tp]]
        return records


@contextlib.asynccontextmanager
async def _reader(bootstrap_servers: str) -> AsyncIterator[_TopicReader]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers, client_id=CLIENT_ID)
    await admin.start()
    try:
        topics: list[dict[str, Any]] = await admin.describe_topics()
    finally:
        await admin.close()
    partitions = {topic["topic"]: [p["partition"] for p in topic["partitions"]] for topic in topics}
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap_servers,
        client_id=CLIENT_ID,
        group_id=None,
        enable_auto_commit=False,
    )
    await consumer.start()
    try:
        yield _TopicReader(consumer, partitions)
    finally:
        await consumer.stop()
