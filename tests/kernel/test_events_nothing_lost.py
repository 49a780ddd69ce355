"""Nothing lost, nothing applied twice: the outbox, the relay, the Kafka bus (Tansu) and the inbox
under a relay killed mid-batch, a broker that goes away under load and a consumer that crashes
mid-handler. Each test counts every event it wrote against the effects stored."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

import pytest
from sqlalchemy import select

from nilecare.kernel.db.engine import Database
from nilecare.kernel.events import kafka as kafka_module
from nilecare.kernel.events.bus import InProcessBus
from nilecare.kernel.events.envelope import EncodedEvent, Envelope
from nilecare.kernel.events.kafka import KafkaBus
from nilecare.kernel.events.outbox import OutboxRelay, write_outbox
from nilecare.kernel.service import Consumer
from nilecare.kernel.uow import UnitOfWork
from tests.harness import eventually
from tests.kafka import StoppableBroker, committed_offset, read_topic, unique
from tests.kernel.kafka_sample import (
    add_notes,
    create_sample_database,
    inbox_rows,
    sample_on_kafka,
    seen_events,
    tables,
    write_events,
)
from tests.kernel.sample_service import Note


def note_event(event_type: str, note_id: uuid.UUID, seq: int) -> Envelope:
    return Envelope(type=event_type, source="sample", key=str(note_id), data={"seq": seq})


def counting_consumer(event_type: str) -> Consumer:
    async def count(uow: UnitOfWork, envelope: Envelope) -> None:
        note = await uow.session.get(Note, uuid.UUID(envelope.key))
        assert note is not None
        note.seen_events += 1

    return Consumer(event_type, unique("count"), count)


class KilledAfterPublishing(KafkaBus):
    """The relay's process dies once the broker has the batch, before the rows are marked."""

    async def publish_many(self, events: Sequence[EncodedEvent]) -> int:
        await super().publish_many(events)
        raise asyncio.CancelledError


async def test_a_relay_killed_after_publishing_sends_again_and_the_effect_happens_once(
    database_url: str, kafka_broker: str, tmp_path: Path
) -> None:
    event_type = unique("sample.note.written")
    consumer = counting_consumer(event_type)
    async with sample_on_kafka(kafka_broker, database_url, tmp_path, consumer) as svc:
        relay = svc.context.relay
        assert relay is not None
        await relay.stop()  # the test moves the rows itself
        notes = await add_notes(svc, 3)
        await write_events(svc, [note_event(event_type, n, seq) for n in notes for seq in (1, 2)])
        dying = KilledAfterPublishing(kafka_broker, idempotent=False)
        try:
            with pytest.raises(asyncio.CancelledError):
                await OutboxRelay("sample", svc.context.database, tables, dying).relay_once()
        finally:
            await dying.stop()
        assert await svc.unsent() == 6  # published, never deleted

        assert await relay.relay_once() == 6  # the next run sends them all again
        assert await svc.unsent() == 0
        assert len(await read_topic(kafka_broker, event_type, 12)) == 12  # each one twice

        async def all_applied() -> bool:
            return await inbox_rows(svc, f"sample.{consumer.name}") == 6

        await eventually(all_applied)
        await asyncio.sleep(1)  # room for a duplicate to slip through
        assert await seen_events(svc) == dict.fromkeys(notes, 2)
        assert await inbox_rows(svc, f"sample.{consumer.name}") == 6


def in_order_consumer(event_type: str, out_of_order: list[tuple[str, int, int]]) -> Consumer:
    """Each note's events carry 1, 2, 3...; the note keeps the last one applied."""

    async def apply(uow: UnitOfWork, envelope: Envelope) -> None:
        note = await uow.session.get(Note, uuid.UUID(envelope.key))
        assert note is not None
        seq = int(envelope.data["seq"])
        if seq != note.seen_events + 1:
            out_of_order.append((str(envelope.key), note.seen_events, seq))
        note.seen_events = seq

    return Consumer(event_type, unique("in-order"), apply)


async def test_writes_go_on_while_the_broker_is_down_and_the_outbox_drains_in_key_order(
    database_url: str, stoppable_kafka_broker: StoppableBroker, tmp_path: Path
) -> None:
    broker = stoppable_kafka_broker
    event_type = unique("sample.note.written")
    out_of_order: list[tuple[str, int, int]] = []
    consumer = in_order_consumer(event_type, out_of_order)
    async with sample_on_kafka(broker.address, database_url, tmp_path, consumer) as svc:
        notes = await add_notes(svc, 4)
        written = dict.fromkeys(notes, 0)

        async def write_round() -> None:
            # One commit per note, as separate requests would make them.
            for note in notes:
                written[note] += 1
                await write_events(svc, [note_event(event_type, note, written[note])])

        async def caught_up() -> bool:
            return await seen_events(svc) == written

        for _ in range(5):
            await write_round()
        await eventually(caught_up)

        await broker.stop()
        for _ in range(25):  # ~3 s of writes with the broker away
            await write_round()
            await asyncio.sleep(0.1)
        assert await svc.unsent() >= 4 * 25  # every write committed; the outbox holds them
        assert await seen_events(svc) != written

        await broker.start()
        for _ in range(5):
            await write_round()
        await eventually(caught_up)
        assert await svc.unsent() == 0
        assert out_of_order == []
        assert sum(written.values()) == 4 * 35
        assert await inbox_rows(svc, f"sample.{consumer.name}") == 4 * 35


def crashing_consumer(event_type: str) -> tuple[Consumer, asyncio.Event]:
    """Counts like ``counting_consumer``, but its first delivery hangs, holding its transaction,
    until the process dies."""
    crashed = asyncio.Event()

    async def count_then_hang(uow: UnitOfWork, envelope: Envelope) -> None:
        note = await uow.session.get(Note, uuid.UUID(envelope.key))
        assert note is not None
        note.seen_events += 1
        if not crashed.is_set():
            crashed.set()
            await asyncio.Event().wait()

    return Consumer(event_type, unique("count"), count_then_hang), crashed


def offset_commits_hang(monkeypatch: pytest.MonkeyPatch) -> asyncio.Event:
    """The bus's offset commits hang (the process dies once the effect and its inbox claim have
    committed, before the offset is); the event is set when the first one is reached."""
    reached = asyncio.Event()

    async def hang(*_: object) -> None:
        reached.set()
        await asyncio.Event().wait()

    monkeypatch.setattr(kafka_module, "_commit", hang)
    return reached


# A crashed member holds its partitions until its session times out (10 s), so each run takes
# ~25 s: the rollback on SQLite, the committed effect (the inbox's case) on PostgreSQL.
@pytest.mark.parametrize(
    ("backend", "crash_after_commit"),
    [("sqlite", False), ("postgresql", True)],
    ids=["sqlite-mid-transaction", "postgresql-committed"],
)
async def test_a_consumer_crashed_mid_handler_gets_the_event_again_and_applies_it_once(
    database_url: str,
    kafka_broker: str,
    tmp_path: Path,
    crash_after_commit: bool,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    event_type = unique("sample.note.written")
    if crash_after_commit:
        consumer, crashed = counting_consumer(event_type), offset_commits_hang(monkeypatch)
    else:
        consumer, crashed = crashing_consumer(event_type)
    async with sample_on_kafka(kafka_broker, database_url, tmp_path, consumer) as svc:
        [note] = await add_notes(svc, 1)
        await write_events(svc, [note_event(event_type, note, 1)])
        await eventually(lambda: _is_set(crashed))
        await svc.platform.bus.stop()  # the process dies: the offset was never committed
        assert await seen_events(svc) == {note: 1 if crash_after_commit else 0}
    monkeypatch.undo()  # the restarted process commits its offsets

    async with sample_on_kafka(
        kafka_broker, database_url, tmp_path, consumer, new_database=False
    ) as svc:
        group = f"sample.{consumer.name}"

        async def redelivered() -> bool:
            # After a committed effect the redelivery finds the inbox row and is dropped, so only
            # the topic shows it was read again: wait for the group's offset to pass the event.
            return (
                await committed_offset(
                    svc.platform.settings.kafka_bootstrap_servers, event_type, group
                )
                == 1
            )

        await eventually(redelivered)
        assert await seen_events(svc) == {note: 1}
        assert await inbox_rows(svc, group) == 1


async def _is_set(event: asyncio.Event) -> bool:
    return event.is_set()


class TakesTwo(InProcessBus):
    """A bus that fails after the first two events of every batch."""

    async def publish_many(self, events: Sequence[EncodedEvent]) -> int:
        return await super().publish_many(events[:2])


@contextlib.asynccontextmanager
async def outbox_for(
    database_url: str, bus: InProcessBus, count: int
) -> AsyncIterator[tuple[Database, list[int]]]:
    """``count`` events of one note in the outbox, and the seqs ``bus`` delivers, in order."""
    await create_sample_database(database_url)
    db = Database(database_url)
    seen: list[int] = []

    async def record(envelope: Envelope) -> None:
        seen.append(int(envelope.data["seq"]))

    bus.subscribe("sample.note.written", "sample.record", record)
    note = uuid.uuid4()
    try:
        async with db.session() as session, session.begin():
            await write_outbox(
                session, tables, [note_event("sample.note.written", note, i) for i in range(count)]
            )
        yield db, seen
    finally:
        await db.dispose()


async def test_rows_from_the_first_failure_of_a_batch_stay_unsent_and_go_next_time_in_order(
    database_url: str,
) -> None:
    flaky = TakesTwo()
    async with outbox_for(database_url, flaky, 5) as (db, seen):
        relay = OutboxRelay("sample", db, tables, flaky)
        assert await relay.relay_once() == 2
        outbox = tables.outbox
        async with db.session() as session:
            attempts = await session.scalars(select(outbox.c.attempts).order_by(outbox.c.seq))
        # The two sent are gone; a try is counted against the first the bus refused.
        assert list(attempts) == [1, 0, 0]
        assert await relay.relay_once() == 2
        assert await relay.relay_once() == 1
        assert seen == [0, 1, 2, 3, 4]


class FailsOnce(InProcessBus):
    """A bus that takes every event but one: the ``fail_at``-th of the run, the first time."""

    def __init__(self, fail_at: int) -> None:
        super().__init__()
        self.remaining = fail_at

    async def publish_many(self, events: Sequence[EncodedEvent]) -> int:
        if 0 <= self.remaining < len(events):
            taken, self.remaining = self.remaining, -1
            return await super().publish_many(events[:taken])
        if self.remaining >= 0:
            self.remaining -= len(events)
        return await super().publish_many(events)


async def test_a_drain_claims_ahead_yet_sends_in_order_and_lets_the_claimed_batch_go_on_failure(
    database_url: str,
) -> None:
    bus = FailsOnce(fail_at=7)  # in the third batch of three
    async with outbox_for(database_url, bus, 20) as (db, seen):
        relay = OutboxRelay("sample", db, tables, bus, batch_size=3)
        assert await relay.drain() == 7  # stops at the failure
        assert seen == list(range(7))
        # The batch claimed ahead was let go: another relay can take every unsent row now.
        other = OutboxRelay("sample", db, tables, bus, batch_size=20)
        async with asyncio.timeout(5):
            assert await other.relay_once() == 13
        assert seen == list(range(20))
        assert await relay.drain() == 0


async def test_a_relay_stopped_at_any_moment_leaves_no_connection_checked_out(
    database_url: str,
) -> None:
    bus = InProcessBus()
    async with outbox_for(database_url, bus, 0) as (db, seen):
        relay = OutboxRelay("sample", db, tables, bus, batch_size=2)
        for round_ in range(40):
            async with db.session() as session, session.begin():
                await write_outbox(
                    session,
                    tables,
                    [note_event("sample.note.written", uuid.uuid4(), i) for i in range(5)],
                )
            relay.start()
            relay.wake()
            # Stopped at a different point of its claim, publish, mark or commit each round.
            await asyncio.sleep(0.0005 * (round_ % 20))
            await relay.stop()
            assert db.engine.pool.checkedout() == 0, f"round {round_}"
        relay.start()
        relay.wake()

        async def all_sent() -> bool:
            return len(seen) >= 200

        await eventually(all_sent)
        await relay.stop()
        assert sorted(set(seen)) == list(range(5))
