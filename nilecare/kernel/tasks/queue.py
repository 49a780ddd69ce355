"""The task queue interface and the in-process queue of the all-in-one mode.

A task names its queue (``notification.send``) and carries a small JSON payload, usually the id of
a row that says what to do, so a task is safe to run again: handlers check that row's state
before acting, or claim the task (``claim_task`` in ``idempotence``) in the transaction of their
effect. A failing handler is retried with backoff; ``PermanentTaskError`` (or running out of
retries) sets the task aside as a dead letter. The in-process queue keeps tasks in memory: a
service whose tasks must survive a restart also keeps their state in its database and re-enqueues
what is still pending when it starts (the notification service's deliveries do). The RabbitMQ queue
(``rabbitmq``) keeps them on the broker, and delivers each at least once.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

import structlog
from pydantic import BaseModel, ConfigDict, Field

from nilecare.kernel.db.types import utcnow

log = structlog.get_logger("nilecare.tasks")


class Task(BaseModel):
    model_config = ConfigDict(frozen=True)

    task_id: uuid.UUID = Field(default_factory=uuid.uuid4)
    name: str
    payload: dict[str, Any]
    # How many times the task has failed so far.
    attempt: int = 0
    enqueued_at: datetime = Field(default_factory=utcnow)


TaskHandler = Callable[[Task], Awaitable[None]]


class PermanentTaskError(Exception):
    """The task can never succeed (bad address, unknown row): no retry."""


def retry_delay(task: Task, error: Exception, delays: Sequence[float]) -> float | None:
    """Seconds before the failed task's next attempt, or None when it becomes a dead letter
    (``PermanentTaskError``, or no retry left); logs which."""
    fields = {"queue": task.name, "task_id": str(task.task_id), "error": type(error).__name__}
    if isinstance(error, PermanentTaskError) or task.attempt >= len(delays):
        log.error("task_dead_lettered", attempt=task.attempt, **fields)
        return None
    log.warning("task_retry", attempt=task.attempt + 1, **fields)
    return delays[task.attempt]


class TaskQueue(Protocol):
    async def enqueue(self, task: Task) -> None: ...

    def register(self, name: str, handler: TaskHandler) -> None:
        """Handle tasks of queue ``name`` in this process (from ``start`` on)."""
        ...

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


@dataclass(frozen=True)
class DeadTask:
    task: Task
    error: str


class InProcessTaskQueue:
    def __init__(
        self, retry_delays: tuple[float, ...] = (0.5, 2.0, 8.0), concurrency: int = 4
    ) -> None:
        self._retry_delays = retry_delays
        self._concurrency = concurrency
        self._handlers: dict[str, TaskHandler] = {}
        self._queue: asyncio.Queue[Task] = asyncio.Queue()
        self._workers: list[asyncio.Task[None]] = []
        self._pending: set[asyncio.Task[None]] = set()
        self.dead_tasks: list[DeadTask] = []

    def register(self, name: str, handler: TaskHandler) -> None:
        self._handlers[name] = handler

    async def enqueue(self, task: Task) -> None:
        if task.name not in self._handlers:
            raise LookupError(f"no handler for task queue {task.name!r}")
        self._queue.put_nowait(task)

    async def start(self) -> None:
        if not self._workers:
            self._workers = [
                asyncio.create_task(self._work(), name=f"task-worker-{n}")
                for n in range(self._concurrency)
            ]

    async def stop(self) -> None:
        workers, self._workers = [*self._workers, *self._pending], []
        for worker in workers:
            worker.cancel()
        await asyncio.gather(*workers, return_exceptions=True)

    async def join(self) -> None:
        """Wait until every task enqueued so far is done, retries included (for tests)."""
        await self._queue.join()
        while self._pending:
            await asyncio.gather(*self._pending, return_exceptions=True)
            await self._queue.join()

    async def _work(self) -> None:
        while True:
            task = await self._queue.get()
            try:
                await self._run(task)
            finally:
                self._queue.task_done()

    async def _run(self, task: Task) -> None:
        try:
            await self._handlers[task.name](task)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            self._failed(task, exc)

    def _failed(self, task: Task, exc: Exception) -> None:
        delay = retry_delay(task, exc, self._retry_delays)
        if delay is None:
            self.dead_tasks.append(DeadTask(task, repr(exc)))
            return
        retry = task.model_copy(update={"attempt": task.attempt + 1})
        pending = asyncio.create_task(self._later(retry, delay))
        self._pending.add(pending)
        pending.add_done_callback(self._pending.discard)

    async def _later(self, task: Task, delay: float) -> None:
        await asyncio.sleep(delay)
        with contextlib.suppress(LookupError):
            await self.enqueue(task)
