"""A service's consumer on the Kafka bus takes each partition's fetched events as one batch: one
unit of work, the inbox claims at once, one commit; a failing batch goes again one event at a
time, so a poison event is dead-lettered alone and nothing is applied twice or lost."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import select

from nilecare.kernel.events.envelope import Envelope
from nilecare.kernel.events.kafka import KafkaBus, dead_letter_topic
from nilecare.kernel.service import Consumer
from nilecare.kernel.uow import UnitOfWork
from tests.harness import RunningService, eventually
from tests.kafka import committed_offset, read_topic, unique
from tests.kernel.kafka_sample import (
    add_notes,
    inbox_rows,
    sample_on_kafka,
    seen_events,
    write_events,
)
from tests.kernel.sample_service import (
    Note,
    ReceivedEvent,
    record_all_received,
    record_received,
)


class Counting:
    """A consumer that counts each event on its note, and the units of work it ran in."""

    def __init__(self, event_type: str) -> None:
        self.poison: set[uuid.UUID] = set()
        self.transactions: set[int] = set()
        self.consumer = Consumer(event_type, unique("count"), self.count)

    async def count(self, uow: UnitOfWork, envelope: Envelope) -> None:
        self.transactions.add(id(uow))
        if envelope.event_id in self.poison:
            raise RuntimeError("poison")
        note = await uow.session.get(Note, uuid.UUID(envelope.key))
        assert note is not None
        note.seen_events += 1

    @property
    def group(self) -> str:
        return f"sample.{self.consumer.name}"


def note_events(event_type: str, note_id: uuid.UUID, count: int) -> list[Envelope]:
    return [
        Envelope(type=event_type, source="sample", key=str(note_id), data={"seq": seq})
        for seq in range(count)
    ]


def quick_retries(svc: RunningService) -> None:
    bus = svc.platform.bus
    assert isinstance(bus, KafkaBus)
    bus._retry_delays = (0.01,)


async def test_a_batch_of_events_is_applied_once_in_one_transaction(
    database_url: str, kafka_broker: str, tmp_path: Path
) -> None:
    event_type = unique("sample.note.written")
    counting = Counting(event_type)
    async with sample_on_kafka(kafka_broker, database_url, tmp_path, counting.consumer) as svc:
        [note] = await add_notes(svc, 1)
        # One key, one partition, sent by the relay in one request: one fetch, one batch.
        await write_events(svc, note_events(event_type, note, 30))

        async def all_applied() -> bool:
            return await inbox_rows(svc, counting.group) == 30

        await eventually(all_applied)
        assert await seen_events(svc) == {note: 30}
        assert len(counting.transactions) <= 2  # not 30


async def test_a_poison_event_in_a_batch_is_dead_lettered_and_the_others_applied_once(
    database_url: str, kafka_broker: str, tmp_path: Path
) -> None:
    event_type = unique("sample.note.written")
    counting = Counting(event_type)
    async with sample_on_kafka(kafka_broker, database_url, tmp_path, counting.consumer) as svc:
        quick_retries(svc)
        [note] = await add_notes(svc, 1)
        events = note_events(event_type, note, 10)
        counting.poison = {events[4].event_id}
        await write_events(svc, events)

        async def good_ones_applied() -> bool:
            return await inbox_rows(svc, counting.group) == 9

        await eventually(good_ones_applied)
        [letter] = await read_topic(kafka_broker, dead_letter_topic(counting.group), 1)
        assert Envelope.model_validate_json(letter.value).event_id == events[4].event_id

        async def offset_past_the_batch() -> bool:
            return await committed_offset(kafka_broker, event_type, counting.group) == 10

        await eventually(offset_past_the_batch)
        assert await seen_events(svc) == {note: 9}
        assert await inbox_rows(svc, counting.group) == 9


async def test_a_redelivered_batch_has_no_second_effect_and_only_its_new_events_apply(
    database_url: str, kafka_broker: str, tmp_path: Path
) -> None:
    event_type = unique("sample.note.written")
    counting = Counting(event_type)
    async with sample_on_kafka(kafka_broker, database_url, tmp_path, counting.consumer) as svc:
        [note] = await add_notes(svc, 1)
        first = note_events(event_type, note, 10)
        await write_events(svc, first)

        async def first_applied() -> bool:
            return await inbox_rows(svc, counting.group) == 10

        await eventually(first_applied)
        # The same events go again (as after a relay crash before it deleted them), followed by
        # new ones: one batch of ten repeats and five new events.
        await svc.drained()
        await write_events(svc, first)
        await write_events(svc, note_events(event_type, note, 5))

        async def all_read() -> bool:
            return await committed_offset(kafka_broker, event_type, counting.group) == 25

        await eventually(all_read)
        assert await seen_events(svc) == {note: 15}
        assert await inbox_rows(svc, counting.group) == 15


class Recording:
    """A consumer with a set-based batch handler (one INSERT per run) beside its per-event one,
    keeping the runs each was given."""

    def __init__(self, event_type: str) -> None:
        self.runs: list[list[uuid.UUID]] = []
        self.one_by_one: list[uuid.UUID] = []
        self.failing = False
        self.consumer = Consumer(event_type, unique("record"), self.record, self.record_run)

    async def record(self, uow: UnitOfWork, envelope: Envelope) -> None:
        self.one_by_one.append(envelope.event_id)
        await record_received(uow, envelope)

    async def record_run(self, uow: UnitOfWork, envelopes: Sequence[Envelope]) -> None:
        self.runs.append([envelope.event_id for envelope in envelopes])
        await record_all_received(uow, envelopes)
        if self.failing:
            raise RuntimeError("the run fails after its INSERT")


async def received(svc: RunningService) -> list[uuid.UUID]:
    async with svc.context.database.session() as session:
        return list((await session.execute(select(ReceivedEvent.event_id))).scalars())


async def test_a_batch_handler_gets_each_runs_new_events_once_in_order(
    database_url: str, kafka_broker: str, tmp_path: Path
) -> None:
    event_type = unique("sample.note.written")
    recording = Recording(event_type)
    async with sample_on_kafka(kafka_broker, database_url, tmp_path, recording.consumer) as svc:
        [note] = await add_notes(svc, 1)
        first = note_events(event_type, note, 20)
        await write_events(svc, first)

        async def applied(count: int) -> bool:
            return len(await received(svc)) == count

        await eventually(lambda: applied(20))
        # Sent again (as after a relay crash) with new ones: only the new ones reach the handler.
        await svc.drained()
        await write_events(svc, first)
        second = note_events(event_type, note, 5)
        await write_events(svc, second)

        async def all_read() -> bool:
            group = f"sample.{recording.consumer.name}"
            return await committed_offset(kafka_broker, event_type, group) == 45

        await eventually(all_read)
        handled = [event_id for run in recording.runs for event_id in run]
        handled += recording.one_by_one  # a run of one goes to the per-event handler
        wanted = [envelope.event_id for envelope in first + second]
        assert sorted(await received(svc)) == sorted(wanted)
        assert sorted(handled) == sorted(wanted)  # each once
        order = {event_id: index for index, event_id in enumerate(wanted)}
        assert all(run == sorted(run, key=order.__getitem__) for run in recording.runs)
        assert len(recording.runs) < 25


async def test_a_failed_batch_handler_leaves_nothing_and_the_events_apply_one_by_one(
    database_url: str, kafka_broker: str, tmp_path: Path
) -> None:
    event_type = unique("sample.note.written")
    recording = Recording(event_type)
    recording.failing = True
    async with sample_on_kafka(kafka_broker, database_url, tmp_path, recording.consumer) as svc:
        [note] = await add_notes(svc, 1)
        events = note_events(event_type, note, 10)
        await write_events(svc, events)

        async def applied() -> bool:
            return len(await received(svc)) == 10

        await eventually(applied)
        assert recording.runs  # it was tried, and its INSERT rolled back with it
        assert sorted(await received(svc)) == sorted(e.event_id for e in events)
        assert sorted(recording.one_by_one) == sorted(e.event_id for e in events)
