"""The Kafka bus through a real Kafka-protocol broker (Tansu), and the outbox relay on it.

The bundled Tansu build rejects the InitProducerId request aiokafka sends (v0, which carries no
producer id), so these buses run with ``idempotent=False``; acks=all is unchanged.
"""

from __future__ import annotations

import asyncio
import socket
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from nilecare.kernel.config import PlatformSettings
from nilecare.kernel.events.bus import Handler
from nilecare.kernel.events.envelope import EncodedEvent, Envelope
from nilecare.kernel.events.kafka import KafkaBus, dead_letter_topic
from nilecare.runtime.bootstrap import build_event_bus
from tests.kafka import DELIVERY_TIMEOUT, new_bus, read_topic, unique
from tests.kernel.kafka_sample import sample_on_kafka, trust
from tests.tokens import Signer


@pytest.fixture
async def bus(kafka_broker: str) -> AsyncIterator[KafkaBus]:
    kafka_bus = new_bus(kafka_broker)
    try:
        yield kafka_bus
    finally:
        await kafka_bus.stop()


def envelope(event_type: str, key: str | None = None, **data: str) -> Envelope:
    return Envelope(type=event_type, source="test", key=key, data=data)


def collector() -> tuple[list[Envelope], asyncio.Event, Handler]:
    seen: list[Envelope] = []
    arrived = asyncio.Event()

    async def handler(env: Envelope) -> None:
        seen.append(env)
        arrived.set()

    return seen, arrived, handler


async def test_kafka_is_chosen_by_configuration_and_in_process_stays_the_default() -> None:
    assert type(build_event_bus(PlatformSettings())).__name__ == "InProcessBus"
    chosen = build_event_bus(
        PlatformSettings(event_bus="kafka", kafka_bootstrap_servers="127.0.0.1:9")
    )
    assert isinstance(chosen, KafkaBus)
    with pytest.raises(ValueError, match="KAFKA_BOOTSTRAP_SERVERS"):
        PlatformSettings(event_bus="kafka")


async def test_records_go_to_the_event_type_topic_keyed_by_partition_key_or_event_id(
    bus: KafkaBus, kafka_broker: str
) -> None:
    topic = unique("patient.created")
    keyed = envelope(topic, key="patient-1")
    unkeyed = envelope(topic)
    await bus.publish(keyed)
    await bus.publish(unkeyed)
    records = await read_topic(kafka_broker, topic, 2)
    keys = {Envelope.model_validate_json(r.value).event_id: r.key for r in records}
    assert keys == {keyed.event_id: b"patient-1", unkeyed.event_id: str(unkeyed.event_id).encode()}


async def test_an_event_is_delivered_once_to_each_of_two_consumer_groups(bus: KafkaBus) -> None:
    topic = unique("appointment.scheduled")
    first, first_arrived, first_handler = collector()
    second, second_arrived, second_handler = collector()
    bus.subscribe(topic, unique("billing"), first_handler)
    bus.subscribe(topic, unique("notify"), second_handler)
    sent = envelope(topic, key="a-1", note="x")
    await bus.publish(sent)
    async with asyncio.timeout(DELIVERY_TIMEOUT):
        await first_arrived.wait()
        await second_arrived.wait()
    await asyncio.sleep(1)  # room for a duplicate to show up
    assert [e.event_id for e in first] == [sent.event_id]
    assert [e.event_id for e in second] == [sent.event_id]
    assert first[0] == sent


async def test_a_handler_that_keeps_failing_dead_letters_the_event_and_later_events_flow(
    bus: KafkaBus, kafka_broker: str
) -> None:
    topic = unique("lab.result.critical")
    consumer = unique("alerts")
    poison = envelope(topic, key="p-1", kind="poison")
    good = envelope(topic, key="p-1", kind="good")
    handled: list[uuid.UUID] = []
    attempts = 0
    done = asyncio.Event()

    async def handler(env: Envelope) -> None:
        nonlocal attempts
        if env.data["kind"] == "poison":
            attempts += 1
            raise RuntimeError("cannot apply")
        handled.append(env.event_id)
        done.set()

    bus.subscribe(topic, consumer, handler)
    await bus.publish(poison)
    await bus.publish(good)  # same key: behind the poison event on its partition
    async with asyncio.timeout(DELIVERY_TIMEOUT):
        await done.wait()
    assert handled == [good.event_id]
    assert attempts == 3  # the first try and two retries
    [letter] = await read_topic(kafka_broker, dead_letter_topic(consumer), 1)
    assert Envelope.model_validate_json(letter.value) == poison
    headers = dict(letter.headers)
    assert b"cannot apply" in headers["error"]
    assert headers["topic"] == topic.encode()


async def test_a_consumer_restarted_after_a_crash_mid_handler_gets_the_event_again(
    kafka_broker: str,
) -> None:
    topic = unique("prescription.created")
    consumer = unique("pharmacy")
    sent = envelope(topic, key="rx-1")
    started = asyncio.Event()

    async def hangs(env: Envelope) -> None:
        started.set()
        await asyncio.Event().wait()

    crashed = new_bus(kafka_broker)
    try:
        crashed.subscribe(topic, consumer, hangs)
        await crashed.publish(sent)
        async with asyncio.timeout(DELIVERY_TIMEOUT):
            await started.wait()
    finally:
        await crashed.stop()  # cancels the handler: the offset was never committed

    seen, arrived, handler = collector()
    restarted = new_bus(kafka_broker)
    try:
        restarted.subscribe(topic, consumer, handler)
        async with asyncio.timeout(DELIVERY_TIMEOUT):
            await arrived.wait()
    finally:
        await restarted.stop()
    assert [e.event_id for e in seen] == [sent.event_id]


async def test_the_outbox_relay_on_kafka_delivers_an_event_written_through_a_unit_of_work(
    kafka_broker: str, tmp_path: Path
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'sample.sqlite3'}"
    async with sample_on_kafka(kafka_broker, url, tmp_path) as svc:
        signer = Signer()
        trust(svc, signer)
        assert isinstance(svc.platform.bus, KafkaBus)
        headers = {"Authorization": f"Bearer {signer.token(['sample.note.write'])}"}
        created = await svc.client.post("/api/v1/notes", json={"text": "k"}, headers=headers)
        assert created.status_code == 201, created.text
        note_id = created.json()["id"]
        seen = 0
        async with asyncio.timeout(DELIVERY_TIMEOUT):
            while not seen:
                await asyncio.sleep(0.1)
                seen = (await svc.client.get(f"/api/v1/notes/{note_id}")).json()["seen_events"]
        assert seen == 1
        assert svc.context.relay is not None
        assert await svc.context.relay.relay_once() == 0


async def test_publish_many_keeps_each_keys_order(bus: KafkaBus, kafka_broker: str) -> None:
    topic = unique("vitals.recorded")
    sent = [
        EncodedEvent.of(envelope(topic, key=f"patient-{i % 5}", seq=str(i))) for i in range(300)
    ]
    assert await bus.publish_many(sent) == 300
    records = await read_topic(kafka_broker, topic, 300)
    by_key: dict[bytes | None, list[int]] = {}
    for record in records:
        by_key.setdefault(record.key, []).append(
            int(Envelope.model_validate_json(record.value).data["seq"])
        )
    assert len(by_key) == 5
    assert all(seqs == sorted(seqs) and len(seqs) == 60 for seqs in by_key.values())


async def test_publish_many_to_an_unreachable_broker_reports_nothing_stored() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = f"127.0.0.1:{sock.getsockname()[1]}"  # bound, never listening: refused
        unreachable = new_bus(closed)
        try:
            stored = await unreachable.publish_many(
                [EncodedEvent.of(envelope("patient.created"))] * 3
            )
            assert stored == 0
        finally:
            await unreachable.stop()
