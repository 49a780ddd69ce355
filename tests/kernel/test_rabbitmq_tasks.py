"""Task queues on the RabbitMQ server: confirmed durable publishes, retries with backoff, dead
letters and their replay, a graceful stop, and a broker restart that loses no task and applies
none twice."""

from __future__ import annotations

import asyncio
import collections
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import aio_pika
import pytest

from nilecare.kernel.tasks.queue import PermanentTaskError, Task
from nilecare.kernel.tasks.rabbitmq import ERROR_HEADER, RabbitTaskQueue
from tests.harness import eventually
from tests.kernel.test_task_queue import Ledger, ledger
from tests.rabbitmq import delete_queues, queue_prefix, rabbitmq_url, restart_rabbitmq

__all__ = ["ledger", "queue_prefix", "rabbitmq_url"]

# A bound on waiting for the broker, not a timing assertion.
DEADLINE = 30.0
TASK_QUEUES = ("report.build", "sms.send", "push.send", "export.run", "ledger.write")


@pytest.fixture
async def make_queue(
    rabbitmq_url: str, queue_prefix: str
) -> AsyncIterator[Callable[..., RabbitTaskQueue]]:
    """Queues under this test's own prefix; stopped, and their broker queues deleted, at the end."""
    made: list[RabbitTaskQueue] = []

    def make(**options: Any) -> RabbitTaskQueue:
        queue = RabbitTaskQueue(rabbitmq_url, prefix=queue_prefix, **options)
        made.append(queue)
        return queue

    yield make
    for queue in made:
        await queue.stop()
    await delete_queues(
        rabbitmq_url,
        {name for queue in made for task in TASK_QUEUES for name in queue.names(task).all},
    )


async def waiting(url: str, queue: str) -> int:
    """Messages ready in ``queue``, as a client of its own sees them."""
    connection = await aio_pika.connect(url, timeout=5)
    try:
        channel = await connection.channel()
        declared = await channel.declare_queue(queue, passive=True)
        return declared.declaration_result.message_count or 0
    finally:
        await connection.close()


async def dead_letters(url: str, queue: str) -> list[aio_pika.abc.AbstractIncomingMessage]:
    """Every message of a dead queue, handed back to the queue afterwards."""
    connection = await aio_pika.connect(url, timeout=5)
    try:
        channel = await connection.channel()
        declared = await channel.declare_queue(queue, passive=True)
        messages = []
        while (message := await declared.get(no_ack=False, fail=False)) is not None:
            messages.append(message)
        return messages
    finally:
        await connection.close()  # unacked: they stay in the queue


async def test_enqueue_returns_once_the_broker_holds_the_task_durably(
    make_queue: Callable[..., RabbitTaskQueue], rabbitmq_url: str
) -> None:
    queue = make_queue()
    tasks = [Task(name="report.build", payload={"n": n}) for n in range(5)]
    for task in tasks:
        await queue.enqueue(task)
    # Confirmed: another client counts all of them at once, nobody consuming.
    work = queue.names("report.build").work
    assert await waiting(rabbitmq_url, work) == 5
    connection = await aio_pika.connect(rabbitmq_url, timeout=5)
    try:
        channel = await connection.channel()
        first = await (await channel.declare_queue(work, passive=True)).get(no_ack=False)
        assert first.delivery_mode == aio_pika.DeliveryMode.PERSISTENT
        assert first.content_type == "application/json"
        assert Task.model_validate_json(first.body) == tasks[0]
    finally:
        await connection.close()


async def test_a_failing_task_is_retried_with_backoff_then_succeeds(
    make_queue: Callable[..., RabbitTaskQueue], rabbitmq_url: str
) -> None:
    queue = make_queue(retry_delays=(0.3, 0.6))
    attempts: list[tuple[int, float]] = []

    async def flaky(task: Task) -> None:
        attempts.append((task.attempt, time.monotonic()))
        if task.attempt < 2:
            raise RuntimeError("provider timed out")

    queue.register("sms.send", flaky)
    await queue.start()
    await queue.enqueue(Task(name="sms.send", payload={}))

    async def succeeded() -> bool:
        return len(attempts) == 3

    await eventually(succeeded)
    assert [attempt for attempt, _ in attempts] == [0, 1, 2]
    # Each retry waited in its delay queue at least that queue's TTL (lower bounds only).
    assert attempts[1][1] - attempts[0][1] >= 0.25
    assert attempts[2][1] - attempts[1][1] >= 0.55
    names = queue.names("sms.send")
    await queue.stop()
    assert [await waiting(rabbitmq_url, name) for name in names.all] == [0, 0, 0, 0]


async def test_permanent_errors_spent_retries_and_junk_are_dead_lettered_and_replayable(
    make_queue: Callable[..., RabbitTaskQueue], rabbitmq_url: str
) -> None:
    queue = make_queue(retry_delays=(0.05,))
    provider_back = False
    calls: collections.Counter[str] = collections.Counter()

    async def deliver(task: Task) -> None:
        kind = task.payload["kind"]
        calls[kind] += 1
        if kind == "refused" and not provider_back:
            raise PermanentTaskError("no such number")
        if kind == "down" and not provider_back:
            raise OSError("provider down")

    queue.register("push.send", deliver)
    await queue.start()
    await queue.enqueue(Task(name="push.send", payload={"kind": "refused"}))
    await queue.enqueue(Task(name="push.send", payload={"kind": "down"}))
    names = queue.names("push.send")
    connection = await aio_pika.connect(rabbitmq_url, timeout=5)
    try:
        channel = await connection.channel()
        await channel.default_exchange.publish(aio_pika.Message(b"not a task"), names.work)
    finally:
        await connection.close()

    def dead(count: int) -> Callable[[], Awaitable[bool]]:
        async def check() -> bool:
            return await queue.dead_letter_count("push.send") == count

        return check

    await eventually(dead(3))
    # A permanent error is not retried; the other failure ran once more per retry step.
    assert calls == {"refused": 1, "down": 2}
    tasks, junk = {}, []
    for message in await dead_letters(rabbitmq_url, names.dead):
        if message.body == b"not a task":
            junk.append(message)
        else:
            task = Task.model_validate_json(message.body)
            tasks[task.payload["kind"]] = (task, message.headers[ERROR_HEADER])
    assert tasks["refused"][0].attempt == 0
    assert tasks["refused"][1] == "PermanentTaskError: no such number"
    assert tasks["down"][0].attempt == 1 and tasks["down"][1] == "OSError: provider down"
    # The junk was rejected once, never handled, and the broker dead-lettered it.
    assert len(junk) == 1 and junk[0].headers["x-death"]

    provider_back = True
    assert await queue.replay_dead_letters("push.send") == 2

    async def replayed() -> bool:
        return calls["refused"] == 2 and calls["down"] == 3

    await eventually(replayed)
    await eventually(dead(1))
    assert await waiting(rabbitmq_url, names.work) == 0


async def test_stopping_finishes_the_running_task_and_hands_the_others_back(
    make_queue: Callable[..., RabbitTaskQueue], rabbitmq_url: str
) -> None:
    queue = make_queue(concurrency=1)
    started, release = asyncio.Event(), asyncio.Event()
    done: list[int] = []

    async def slow(task: Task) -> None:
        started.set()
        await release.wait()
        done.append(task.payload["n"])

    queue.register("export.run", slow)
    for n in range(3):
        await queue.enqueue(Task(name="export.run", payload={"n": n}))
    await queue.start()
    async with asyncio.timeout(DEADLINE):
        await started.wait()
    stopping = asyncio.create_task(queue.stop())
    await asyncio.sleep(0.2)
    assert not stopping.done(), "stop waits for the running task"
    release.set()
    async with asyncio.timeout(DEADLINE):
        await stopping
    assert done == [0]
    # The finished task was acked; the two not started are back in the queue, none lost.
    assert await waiting(rabbitmq_url, queue.names("export.run").work) == 2


@pytest.mark.parametrize("backend", ["postgresql"])
async def test_a_rabbitmq_restart_loses_no_task_and_applies_none_twice(
    make_queue: Callable[..., RabbitTaskQueue], rabbitmq_url: str, ledger: Ledger
) -> None:
    total, in_flight = 20, 4
    producer = make_queue()
    marks = [f"task-{n:02d}" for n in range(total)]
    for mark in marks:
        await producer.enqueue(Task(name="ledger.write", payload={"mark": mark}))
    await producer.stop()

    worker = make_queue(concurrency=in_flight, retry_delays=(0.2,))
    held: set[str] = set()
    all_held, release = asyncio.Event(), asyncio.Event()
    repeats = 0

    async def write(task: Task) -> None:
        nonlocal repeats
        if not await ledger.record_once(task):
            repeats += 1
            return
        if len(held) < in_flight:
            # Committed, not yet acked: the broker goes away right here.
            held.add(task.payload["mark"])
            if len(held) == in_flight:
                all_held.set()
            await release.wait()

    worker.register("ledger.write", write)
    await worker.start()
    async with asyncio.timeout(DEADLINE):
        await all_held.wait()
    try:
        await restart_rabbitmq()
    finally:
        release.set()

    async def all_written() -> bool:
        return await ledger.notes() == marks and repeats >= in_flight

    await eventually(all_written)
    assert await ledger.notes() == marks
    # The tasks in flight were delivered again after the restart and applied no second time.
    assert repeats == in_flight
    await worker.stop()
    assert await waiting(rabbitmq_url, worker.names("ledger.write").work) == 0
