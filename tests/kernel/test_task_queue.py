"""The in-process task queue: retries with backoff, dead tasks, permanent errors; and the claim
that makes a task delivered twice apply once, on every database."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from nilecare.kernel.db.engine import Database
from nilecare.kernel.tasks.idempotence import claim_task
from nilecare.kernel.tasks.queue import InProcessTaskQueue, PermanentTaskError, Task
from nilecare.kernel.uow import UnitOfWork
from tests.kernel.sample_service import Note, metadata, tables


async def test_a_failing_task_is_retried_with_backoff_until_it_succeeds() -> None:
    queue = InProcessTaskQueue(retry_delays=(0.05, 0.2), concurrency=2)
    attempts: list[tuple[int, float]] = []

    async def flaky(task: Task) -> None:
        attempts.append((task.attempt, time.monotonic()))
        if task.attempt < 2:
            raise RuntimeError("provider timed out")

    queue.register("flaky", flaky)
    await queue.start()
    try:
        await queue.enqueue(Task(name="flaky", payload={}))
        async with asyncio.timeout(10):
            await queue.join()
    finally:
        await queue.stop()
    assert [attempt for attempt, _ in attempts] == [0, 1, 2]
    # Each retry waited at least its step's delay (lower bounds only).
    assert attempts[1][1] - attempts[0][1] >= 0.05
    assert attempts[2][1] - attempts[1][1] >= 0.2
    assert queue.dead_tasks == []


async def test_a_task_out_of_retries_and_a_permanent_failure_become_dead_tasks() -> None:
    queue = InProcessTaskQueue(retry_delays=(0.01, 0.01))
    calls: dict[str, int] = {"broken": 0, "refused": 0}

    async def broken(task: Task) -> None:
        calls["broken"] += 1
        raise RuntimeError("still down")

    async def refused(task: Task) -> None:
        calls["refused"] += 1
        raise PermanentTaskError("no such address")

    queue.register("broken", broken)
    queue.register("refused", refused)
    await queue.start()
    try:
        await queue.enqueue(Task(name="broken", payload={"n": 1}))
        await queue.enqueue(Task(name="refused", payload={"n": 2}))
        async with asyncio.timeout(10):
            await queue.join()
    finally:
        await queue.stop()
    # The first run and one per retry step; a permanent error is not retried.
    assert calls == {"broken": 3, "refused": 1}
    dead = {dead.task.name: dead for dead in queue.dead_tasks}
    assert dead["broken"].task.attempt == 2 and "still down" in dead["broken"].error
    assert dead["refused"].task.attempt == 0
    assert "PermanentTaskError" in dead["refused"].error


async def test_a_task_for_a_queue_without_a_handler_is_refused_at_once() -> None:
    queue = InProcessTaskQueue()
    with pytest.raises(LookupError, match="nobody"):
        await queue.enqueue(Task(name="nobody", payload={}))


@dataclass
class Ledger:
    db: Database

    def unit_of_work(self) -> UnitOfWork:
        return UnitOfWork("sample", self.db, tables, b"k" * 32)

    async def record_once(self, task: Task) -> bool:
        """The task's effect (a note) with its claim, in one transaction; False if seen before."""
        async with self.unit_of_work() as uow:
            if not await claim_task(uow, task):
                return False
            uow.session.add(Note(text=str(task.payload["mark"])))
            await uow.commit()
            return True

    async def notes(self) -> list[str]:
        async with self.db.session() as session:
            return list((await session.scalars(select(Note.text).order_by(Note.text))).all())

    async def claims(self) -> int:
        async with self.db.session() as session:
            count = await session.scalar(select(func.count()).select_from(tables.inbox))
            return int(count or 0)


@pytest.fixture
async def ledger(database_url: str) -> AsyncIterator[Ledger]:
    db = Database(database_url)
    async with db.engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    try:
        yield Ledger(db)
    finally:
        await db.dispose()


async def test_a_task_delivered_twice_has_one_effect(ledger: Ledger) -> None:
    queue = InProcessTaskQueue()
    outcomes: list[bool] = []

    async def handle(task: Task) -> None:
        outcomes.append(await ledger.record_once(task))

    queue.register("ledger.write", handle)
    await queue.start()
    try:
        first = Task(name="ledger.write", payload={"mark": "a"})
        # The same task again (a redelivery), and a different task with the same payload.
        for task in (first, first, Task(name="ledger.write", payload={"mark": "b"})):
            await queue.enqueue(task)
        async with asyncio.timeout(10):
            await queue.join()
    finally:
        await queue.stop()
    assert sorted(outcomes) == [False, True, True]
    assert await ledger.notes() == ["a", "b"]
    assert await ledger.claims() == 2


async def test_a_claim_rolls_back_with_a_failed_effect(ledger: Ledger) -> None:
    task = Task(name="ledger.write", payload={"mark": "c"})
    async with ledger.unit_of_work() as uow:
        assert await claim_task(uow, task)
        # No commit: the handler failed after claiming, so the retry must find no claim.
    assert await ledger.record_once(task)
    assert not await ledger.record_once(task)
    assert await ledger.notes() == ["c"]
