"""The Kafka-protocol bus of the distributed mode (aiokafka).

One topic per event type, keyed by the envelope's partition key (else its event id) so one
aggregate's events stay in order. ``publish`` returns once every in-sync replica has the record
(acks=all, idempotent producer), so the outbox relay deletes a row only after the broker stored
it. Each consumer name is a consumer group; its offset is committed only after the handler
succeeded (at least once; the inbox makes the effect happen once); the records of one fetch are
handled partition by partition side by side, in order within each. A handler that keeps failing
sends the record to ``<consumer>.dead-letter`` and the offset moves on, so one poison event never
blocks its partition. Dead letters keep the original value; headers name the error and where the
record came from, so an operator can inspect them and replay them to that one consumer: each
consumer group also reads ``<consumer>.replay``, where ``nilecare events replay`` copies them
(see ``dead_letters``).

A subscription with a batch handler gets each partition's records of a fetch as one run (in
order, split where a record does not decode): it applies them in one transaction, partitions side
by side. If that fails, the run goes again one record at a time through the handler, retries and
dead letters as above, so a poison event costs its batch one transaction more and is then parked
alone. With ``one_transaction_per_fetch`` (a handler on a database with one writer, SQLite) a
fetch's partitions go in one run instead, each partition's records in order one after the other
(a key stays in one partition, so its order holds): one commit per fetch and no transactions
queueing for the write lock; if it fails, each partition goes one record at a time as above. A
fetch with a record that does not decode goes partition by partition.

``publish_many`` hands a whole batch to the producer before awaiting the acks, its records packed
into record batches per partition here (the partition ``send`` would pick), since the producer's
per-record ``send`` cost three times the rest of the relay's work per event. The producer keeps
one request in flight per partition and puts a batch that failed with a retriable error back at
the head of its partition's queue, so one key's records are stored in the order they were sent,
with or without the idempotent producer. The batch after a failure is reported unsent even if
some of it was stored: it is sent again, and the inbox drops the repeats.

Consumers start when they subscribe (from within the running event loop); the producer starts on
``start`` or on the first ``publish``; ``stop`` closes both.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import structlog
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord
from aiokafka.errors import CommitFailedError, KafkaError
from aiokafka.partitioner import DefaultPartitioner
from aiokafka.producer.message_accumulator import BatchBuilder

from nilecare.kernel.events.bus import BatchHandler, Handler, handle_with_retries
from nilecare.kernel.events.envelope import EncodedEvent, Envelope

log = structlog.get_logger("nilecare.events.kafka")

CLIENT_ID = "nilecare"
# Records a consumer takes per fetch (across its partitions) before committing their offsets, and
# events handed to a batch handler at once (one transaction). Only a backlog fills them; there,
# at 500 a fetch's fixed costs (its transaction, round trips, offset commit) were a fifth of the
# consumer's work.
FETCH_RECORDS = 2000
BATCH_EVENTS = 2000
# Seconds a stopping consumer waits for the commit of the fetch it handled.
COMMIT_ON_STOP_TIMEOUT = 5.0


DEAD_LETTER_SUFFIX = ".dead-letter"
# Where a dead letter came from; a replayed copy carries its dead letter's, so a second failure
# still names the original record.
ORIGIN_HEADERS = ("topic", "partition", "offset")


def dead_letter_topic(consumer: str) -> str:
    return f"{consumer}{DEAD_LETTER_SUFFIX}"


def replay_topic(consumer: str) -> str:
    """Read by that consumer's group only, so a replay reaches no other consumer."""
    return f"{consumer}.replay"


@dataclass(frozen=True)
class _Subscription:
    event_type: str
    consumer: str
    handler: Handler
    batch_handler: BatchHandler | None = None
    one_transaction_per_fetch: bool = False


class KafkaBus:
    def __init__(
        self,
        bootstrap_servers: str,
        *,
        idempotent: bool = True,
        fetch_max_wait_ms: int = 500,
        retry_delays: tuple[float, ...] = (0.5, 2.0, 8.0),
        restart_delay: float = 5.0,
    ) -> None:
        self._bootstrap_servers = bootstrap_servers
        self._idempotent = idempotent
        self._fetch_max_wait_ms = fetch_max_wait_ms
        self._retry_delays = retry_delays
        self._restart_delay = restart_delay
        self._producer: AIOKafkaProducer | None = None
        self._producer_lock = asyncio.Lock()
        self._tasks: list[asyncio.Task[None]] = []
        self._consumers: set[str] = set()

    async def start(self) -> None:
        await self._started_producer()

    async def _started_producer(self) -> AIOKafkaProducer:
        async with self._producer_lock:
            if self._producer is None:
                producer = AIOKafkaProducer(
                    bootstrap_servers=self._bootstrap_servers,
                    client_id=CLIENT_ID,
                    enable_idempotence=self._idempotent,
                    acks="all",
                )
                try:
                    await producer.start()
                except BaseException:
                    # A producer that failed to start still holds a client; close it.
                    await producer.stop()
                    raise
                self._producer = producer
            return self._producer

    async def publish(self, envelope: Envelope) -> None:
        producer = await self._started_producer()
        await producer.send_and_wait(envelope.type, **_record(EncodedEvent.of(envelope)))

    async def publish_many(self, events: Sequence[EncodedEvent]) -> int:
        filling: dict[tuple[str, int], BatchBuilder] = {}
        deliveries: dict[BatchBuilder, asyncio.Future[Any]] = {}
        # Each event's batch, in the events' order.
        batch_of: list[BatchBuilder] = []
        failure: BaseException | None = None
        try:
            producer = await self._started_producer()
            partition_of = _Partitions(producer)
            for event in events:
                record = _record(event)
                where = (event.type, await partition_of(event.type, record["key"]))
                batch = filling.get(where)
                if batch is None or batch.append(timestamp=None, **record) is None:
                    if batch is not None:
                        deliveries[batch] = await _send_batch(producer, batch, *where)
                    batch = filling[where] = producer.create_batch()
                    # An empty batch takes a first record of any size.
                    batch.append(timestamp=None, **record)
                batch_of.append(batch)
            for where, batch in filling.items():
                deliveries[batch] = await _send_batch(producer, batch, *where)
        except KafkaError as exc:
            failure = exc
        outcomes = dict(
            zip(
                deliveries,
                await asyncio.gather(*deliveries.values(), return_exceptions=True),
                strict=True,
            )
        )
        stored = 0
        for batch in batch_of:
            outcome = outcomes.get(batch, failure)
            if isinstance(outcome, BaseException):
                failure = outcome
                break
            stored += 1
        if failure is not None:
            log.warning(
                "kafka_publish_failed",
                stored=stored,
                batch=len(events),
                error=type(failure).__name__,
            )
        return stored

    async def _send(
        self, topic: str, value: bytes, key: bytes | None, headers: list[tuple[str, bytes]]
    ) -> None:
        producer = await self._started_producer()
        await producer.send_and_wait(topic, value=value, key=key, headers=headers)

    def subscribe(
        self,
        event_type: str,
        consumer: str,
        handler: Handler,
        *,
        batch_handler: BatchHandler | None = None,
        one_transaction_per_fetch: bool = False,
    ) -> None:
        # One group per consumer reads one event type (and its replays); a second type in the
        # same group would receive the first type's replays.
        if consumer in self._consumers:
            raise ValueError(f"the consumer {consumer} already subscribed to an event type")
        self._consumers.add(consumer)
        sub = _Subscription(event_type, consumer, handler, batch_handler, one_transaction_per_fetch)
        self._tasks.append(
            asyncio.get_running_loop().create_task(
                self._supervise(sub), name=f"kafka-consumer-{consumer}-{event_type}"
            )
        )

    async def stop(self) -> None:
        tasks, self._tasks = self._tasks, []
        self._consumers.clear()
        for task in tasks:
            task.cancel()
        # Each task stops its own consumer on the way out, without committing what it held.
        await asyncio.gather(*tasks, return_exceptions=True)
        async with self._producer_lock:
            if self._producer is not None:
                await self._producer.stop()
                self._producer = None

    async def _supervise(self, sub: _Subscription) -> None:
        """Keeps one consumer running; a broken one is rebuilt and resumes at its last commit."""
        while True:
            try:
                await self._consume(sub)
            except Exception as exc:
                log.warning(
                    "kafka_consumer_failed",
                    consumer=sub.consumer,
                    type=sub.event_type,
                    error=type(exc).__name__,
                )
                await asyncio.sleep(self._restart_delay)

    async def _consume(self, sub: _Subscription) -> None:
        consumer = AIOKafkaConsumer(
            sub.event_type,
            replay_topic(sub.consumer),
            bootstrap_servers=self._bootstrap_servers,
            client_id=CLIENT_ID,
            group_id=sub.consumer,
            enable_auto_commit=False,
            fetch_max_wait_ms=self._fetch_max_wait_ms,
            # A new group starts at the oldest retained event, so nothing published before its
            # first join is missed; the inbox absorbs what it already applied.
            auto_offset_reset="earliest",
        )
        try:
            await consumer.start()
            while True:
                batches = await consumer.getmany(timeout_ms=1000, max_records=FETCH_RECORDS)
                if not batches:
                    continue
                # The offsets are committed once the whole fetch is handled, so a crash repeats
                # at most one fetch, which the inbox absorbs.
                await self._handle_fetch(sub, list(batches.values()))
                try:
                    await _commit(
                        consumer, {tp: records[-1].offset + 1 for tp, records in batches.items()}
                    )
                except CommitFailedError:
                    # The partition moved to another member during a rebalance; it resumes from
                    # the last commit and the inbox turns the repeat into a no-op.
                    log.info("kafka_commit_lost_to_rebalance", consumer=sub.consumer)
        finally:
            await consumer.stop()

    async def _handle_fetch(
        self, sub: _Subscription, fetched: list[list[ConsumerRecord[bytes, bytes]]]
    ) -> None:
        if sub.batch_handler is not None and sub.one_transaction_per_fetch:
            decoded = [_decoded(records) for records in fetched]
            complete = zip(decoded, fetched, strict=True)
            if all(len(pairs) == len(records) for pairs, records in complete):
                # Every partition's run in its order, one after the other, in one transaction.
                whole = [pair for pairs in decoded for pair in pairs]
                for start in range(0, len(whole), BATCH_EVENTS):
                    chunk = whole[start : start + BATCH_EVENTS]
                    if len(chunk) == 1:
                        await self._handle_each(sub, chunk)
                    elif not await self._handle_batch(sub, chunk):
                        break
                else:
                    return
                # One at a time, partitions side by side (each in order); the inbox skips what
                # an earlier chunk of this fetch already applied.
                async with asyncio.TaskGroup() as handling:
                    for pairs in decoded:
                        handling.create_task(self._handle_each(sub, pairs))
                return
        # Partitions side by side, each in order (one key stays in one partition).
        async with asyncio.TaskGroup() as handling:
            for records in fetched:
                handling.create_task(self._handle_in_order(sub, records))

    async def _handle_in_order(
        self, sub: _Subscription, records: list[ConsumerRecord[bytes, bytes]]
    ) -> None:
        run: list[tuple[ConsumerRecord[bytes, bytes], Envelope]] = []
        for record in records:
            try:
                envelope = Envelope.model_validate_json(record.value or b"")
            except ValueError as exc:
                # Those before it first, so the partition's order holds.
                await self._handle_run(sub, run)
                run = []
                await self._dead_letter(sub, record, exc)
                continue
            run.append((record, envelope))
            if len(run) >= BATCH_EVENTS:
                await self._handle_run(sub, run)
                run = []
        await self._handle_run(sub, run)

    async def _handle_run(
        self, sub: _Subscription, run: list[tuple[ConsumerRecord[bytes, bytes], Envelope]]
    ) -> None:
        if await self._handle_batch(sub, run):
            return
        await self._handle_each(sub, run)

    async def _handle_batch(
        self, sub: _Subscription, run: list[tuple[ConsumerRecord[bytes, bytes], Envelope]]
    ) -> bool:
        """True if the batch handler applied the run; False if there is none, the run is a
        single record, or it failed (then all or nothing was applied: nothing)."""
        if sub.batch_handler is None or len(run) <= 1:
            return False
        try:
            await sub.batch_handler([envelope for _, envelope in run])
            return True
        except Exception as exc:
            # One at a time isolates the culprit.
            log.warning(
                "event_batch_failed",
                consumer=sub.consumer,
                batch=len(run),
                error=type(exc).__name__,
            )
            return False

    async def _handle_each(
        self, sub: _Subscription, run: list[tuple[ConsumerRecord[bytes, bytes], Envelope]]
    ) -> None:
        for record, envelope in run:
            await self._handle(sub, record, envelope)

    async def _handle(
        self, sub: _Subscription, record: ConsumerRecord[bytes, bytes], envelope: Envelope
    ) -> None:
        error = await handle_with_retries(sub.handler, envelope, sub.consumer, self._retry_delays)
        if error is not None:
            await self._dead_letter(sub, record, error)

    async def _dead_letter(
        self, sub: _Subscription, record: ConsumerRecord[bytes, bytes], exc: Exception
    ) -> None:
        log.error(
            "event_dead_lettered",
            consumer=sub.consumer,
            type=record.topic,
            offset=record.offset,
            error=type(exc).__name__,
        )
        # If this send fails the offset stays uncommitted and the record comes back after the
        # consumer restarts: a poison event is parked, never dropped.
        await self._send(
            dead_letter_topic(sub.consumer),
            record.value or b"",
            record.key,
            [
                ("error", repr(exc).encode()),
                ("consumer", sub.consumer.encode()),
                *_origin(record, sub.consumer),
            ],
        )


async def _commit(consumer: AIOKafkaConsumer, offsets: dict[Any, int]) -> None:
    """Commit the offsets of a fetch that was handled. If the bus stops meanwhile, the commit
    still gets a few seconds to finish before the consumer closes: its work is done, and a
    commit cut off by the closing connection only fails in the logs and repeats the fetch."""
    commit = asyncio.ensure_future(consumer.commit(offsets))
    try:
        await asyncio.shield(commit)
    except asyncio.CancelledError:
        with contextlib.suppress(Exception):
            async with asyncio.timeout(COMMIT_ON_STOP_TIMEOUT):
                await commit
        raise


def _decoded(
    records: list[ConsumerRecord[bytes, bytes]],
) -> list[tuple[ConsumerRecord[bytes, bytes], Envelope]]:
    """The records up to the first that does not decode, each with its envelope."""
    pairs: list[tuple[ConsumerRecord[bytes, bytes], Envelope]] = []
    for record in records:
        try:
            pairs.append((record, Envelope.model_validate_json(record.value or b"")))
        except ValueError:
            break
    return pairs


class _Partitions:
    """Each record's partition as ``send`` would pick it (the default partitioner on the key),
    with each topic's partitions and each key's result looked up once."""

    def __init__(self, producer: AIOKafkaProducer) -> None:
        self._producer = producer
        self._partitioner = DefaultPartitioner()
        self._topics: dict[str, list[int]] = {}
        self._keys: dict[tuple[str, bytes], int] = {}

    async def __call__(self, topic: str, key: bytes) -> int:
        known = self._keys.get((topic, key))
        if known is not None:
            return known
        partitions = self._topics.get(topic)
        if partitions is None:
            partitions = self._topics[topic] = sorted(await self._producer.partitions_for(topic))
        partition: int = self._partitioner(key, partitions, partitions)
        self._keys[(topic, key)] = partition
        return partition


async def _send_batch(
    producer: AIOKafkaProducer, batch: BatchBuilder, topic: str, partition: int
) -> asyncio.Future[Any]:
    batch.close()
    delivery: asyncio.Future[Any] = await producer.send_batch(batch, topic, partition=partition)
    return delivery


def _record(event: EncodedEvent) -> dict[str, Any]:
    return {
        "value": event.json.encode(),
        "key": (event.key or str(event.event_id)).encode(),
        "headers": [("event_id", str(event.event_id).encode())],
    }


def _origin(record: ConsumerRecord[bytes, bytes], consumer: str) -> list[tuple[str, bytes]]:
    if record.topic == replay_topic(consumer):
        replayed = dict(record.headers)
        return [(name, replayed[name]) for name in ORIGIN_HEADERS if name in replayed]
    return [
        ("topic", record.topic.encode()),
        ("partition", str(record.partition).encode()),
        ("offset", str(record.offset).encode()),
    ]
