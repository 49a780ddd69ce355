"""Dead letters on the Kafka bus (Tansu): listed until replayed, replayed to their consumer only,
through the kernel functions and the ``nilecare events`` commands."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest
from typer.testing import CliRunner, Result

from nilecare.kernel.events.dead_letters import pending_dead_letters, replay_dead_letters
from nilecare.kernel.events.envelope import Envelope
from nilecare.kernel.events.kafka import KafkaBus
from nilecare.runtime import cli
from nilecare.runtime.cli import app
from tests.harness import eventually
from tests.kafka import DELIVERY_TIMEOUT, new_bus, unique


@pytest.fixture(autouse=True)
def keep_the_logging_set_up(monkeypatch: pytest.MonkeyPatch) -> None:
    """The commands would point logging at CliRunner's streams, closed once they return."""
    monkeypatch.setattr(cli, "configure_logging", lambda *args, **kwargs: None)


@pytest.fixture
async def bus(kafka_broker: str) -> AsyncIterator[KafkaBus]:
    kafka_bus = new_bus(kafka_broker)
    try:
        yield kafka_bus
    finally:
        await kafka_bus.stop()


class Recorder:
    """A handler that refuses the events named in ``refused`` and records the others."""

    def __init__(self) -> None:
        self.refused: set[uuid.UUID] = set()
        self.handled: list[uuid.UUID] = []
        self.changed = asyncio.Event()

    async def __call__(self, envelope: Envelope) -> None:
        if envelope.event_id in self.refused:
            raise RuntimeError("not today")
        self.handled.append(envelope.event_id)
        self.changed.set()

    async def wait_for(self, count: int) -> None:
        async with asyncio.timeout(DELIVERY_TIMEOUT):
            while len(self.handled) < count:
                self.changed.clear()
                await self.changed.wait()


def nilecare(broker: str, monkeypatch: pytest.MonkeyPatch, *args: str) -> Result:
    monkeypatch.setenv("NILECARE_EVENT_BUS", "kafka")
    monkeypatch.setenv("NILECARE_KAFKA_BOOTSTRAP_SERVERS", broker)
    monkeypatch.setenv("NILECARE_KAFKA_IDEMPOTENT", "false")
    return CliRunner().invoke(app, list(args))


def words(output: str) -> str:
    """The output with Rich's line wrapping undone."""
    return " ".join(output.split())


async def test_dead_letters_are_listed_until_replayed_and_replay_reaches_only_their_consumer(
    bus: KafkaBus, kafka_broker: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    topic = unique("lab.result.critical")
    failing, other = unique("alerts"), unique("billing")
    alerts, billing = Recorder(), Recorder()
    bus.subscribe(topic, failing, alerts)
    bus.subscribe(topic, other, billing)
    first, second = (Envelope(type=topic, source="lab", key="p-1", data={}) for _ in range(2))
    alerts.refused = {first.event_id, second.event_id}
    await bus.publish(first)
    await bus.publish(second)
    await billing.wait_for(2)

    async def pending() -> list[uuid.UUID | None]:
        return [letter.event_id for letter in await pending_dead_letters(kafka_broker, failing)]

    async def both_dead_lettered() -> bool:
        return await pending() == [first.event_id, second.event_id]

    await eventually(both_dead_lettered)
    [letter, _] = await pending_dead_letters(kafka_broker, failing)
    assert (letter.consumer, letter.topic, letter.type) == (failing, topic, topic)
    assert "not today" in letter.error
    everyone = {letter.consumer for letter in await pending_dead_letters(kafka_broker)}
    assert failing in everyone
    assert other not in everyone

    listed = await asyncio.to_thread(
        nilecare, kafka_broker, monkeypatch, "events", "dead-letters", "--consumer", failing
    )
    assert listed.exit_code == 0, listed.output
    assert "Dead letters not yet replayed: 2" in words(listed.output)

    alerts.refused = set()  # the cause is fixed
    replayed = await asyncio.to_thread(
        nilecare,
        kafka_broker,
        monkeypatch,
        *("events", "replay", "--consumer", failing, "--event-id", str(second.event_id)),
    )
    assert replayed.exit_code == 0, replayed.output
    await alerts.wait_for(1)
    assert alerts.handled == [second.event_id]
    assert await pending() == [first.event_id]

    assert [
        r.event_id for r in await replay_dead_letters(kafka_broker, failing, idempotent=False)
    ] == [first.event_id]
    await alerts.wait_for(2)
    assert await pending() == []
    assert await replay_dead_letters(kafka_broker, failing, idempotent=False) == []
    await asyncio.sleep(1)  # room for a stray delivery to show up
    assert alerts.handled == [second.event_id, first.event_id]
    assert billing.handled == [first.event_id, second.event_id]  # replays never reached it


def test_with_the_in_process_bus_the_events_commands_explain_and_exit_1(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NILECARE_EVENT_BUS", "in-process")
    for args in (["dead-letters"], ["replay", "--consumer", "clinical.count"]):
        result = CliRunner().invoke(app, ["events", *args])
        assert result.exit_code == 1
        assert "in-process event bus" in words(result.output)
        assert "NILECARE_EVENT_BUS=kafka" in result.output
