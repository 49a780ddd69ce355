"""Task queues on RabbitMQ (distributed mode): service processes enqueue, ``nilecare worker``
consumes.

Each task queue ``name`` has durable queues on the default exchange:
- ``<prefix>.<name>``, the work queue;
- ``<prefix>.<name>.retry.<ms>``, one delay queue per retry step, whose per-queue TTL dead-letters
  each message back to the work queue when the step's delay is over (with one TTL per queue,
  messages expire in order; a per-message TTL would wait behind a longer one at the head);
- ``<prefix>.<name>.dead``, the tasks that failed permanently or ran out of retries.

Messages are persistent and every publish waits for the broker's confirm, so ``enqueue`` returns
only once the task is safe. A delivery is acked only after its handler succeeded, or after its
retry (or dead-letter) copy was confirmed; whatever was not acked when a connection dropped is
delivered again. Delivery is therefore at least once: handlers claim their task (``claim_task``)
in the transaction of their effect, so a second delivery has no second effect.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

import aio_pika
import structlog
from aio_pika.abc import (
    AbstractIncomingMessage,
    AbstractQueue,
    AbstractRobustChannel,
    AbstractRobustConnection,
)
from pydantic import ValidationError

from nilecare.kernel.tasks.queue import Task, TaskHandler, retry_delay

log = structlog.get_logger("nilecare.tasks")

DEFAULT_RETRY_DELAYS = (5.0, 30.0, 120.0, 600.0)
ERROR_HEADER = "x-nilecare-error"


class TaskQueueUnavailable(RuntimeError):
    """The broker did not confirm a task in time; the task may or may not have been queued."""


@dataclass(frozen=True)
class QueueNames:
    """The broker queues behind one task queue."""

    work: str
    retries: tuple[tuple[str, int], ...]  # (queue, TTL in ms), one per retry step
    dead: str

    @classmethod
    def of(cls, prefix: str, name: str, delays: Sequence[float]) -> QueueNames:
        work = f"{prefix}.{name}"
        retries = tuple(
            (f"{work}.retry.{ms}", ms) for ms in (max(1, round(delay * 1000)) for delay in delays)
        )
        return cls(work, retries, f"{work}.dead")

    @property
    def all(self) -> tuple[str, ...]:
        return (self.work, *(queue for queue, _ in self.retries), self.dead)


class RabbitTaskQueue:
    def __init__(
        self,
        url: str,
        *,
        prefix: str = "nilecare",
        retry_delays: Sequence[float] = DEFAULT_RETRY_DELAYS,
        concurrency: int = 8,
        publish_timeout: float = 15.0,
        drain_timeout: float = 30.0,
    ) -> None:
        self._url = url
        self._prefix = prefix
        self._retry_delays = tuple(retry_delays)
        self._concurrency = concurrency
        self._publish_timeout = publish_timeout
        self._drain_timeout = drain_timeout
        self._handlers: dict[str, TaskHandler] = {}
        self._connection: AbstractRobustConnection | None = None
        self._publisher: AbstractRobustChannel | None = None
        self._connect_lock = asyncio.Lock()
        self._declared: set[str] = set()
        self._consumers: list[tuple[AbstractQueue, str]] = []
        self._running: set[asyncio.Task[object]] = set()
        self._stopping = False

    def names(self, name: str) -> QueueNames:
        return QueueNames.of(self._prefix, name, self._retry_delays)

    def register(self, name: str, handler: TaskHandler) -> None:
        self._handlers[name] = handler

    async def enqueue(self, task: Task) -> None:
        await self._publish(self.names(task.name).work, task)

    async def start(self) -> None:
        """Consume the registered queues (a process that only enqueues connects on first use)."""
        if self._consumers or not self._handlers:
            return
        self._stopping = False
        connection = await self._connect()
        channel = await connection.channel()
        # Each queue's consumer holds at most ``concurrency`` unacked tasks: the ones it runs.
        await channel.set_qos(prefetch_count=self._concurrency)
        for name, handler in self._handlers.items():
            await self._declare(name)
            queue = await self._declare_work(channel, self.names(name))
            tag = await queue.consume(self._consumer(name, handler))
            self._consumers.append((queue, tag))

    async def stop(self) -> None:
        """Take no new task, let the running ones finish (up to ``drain_timeout``), then close.

        A handler still running after the timeout is cancelled without an ack, and prefetched
        tasks not yet started are handed back: the broker delivers them again.
        """
        self._stopping = True
        consumers, self._consumers = self._consumers, []
        for queue, tag in consumers:
            try:
                await queue.cancel(tag)
            except Exception as exc:  # a closed channel has no consumer left to cancel
                log.warning("task_consumer_cancel_failed", error=type(exc).__name__)
        if self._running:
            _, late = await asyncio.wait(set(self._running), timeout=self._drain_timeout)
            for task in late:
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)
        connection, self._connection, self._publisher = self._connection, None, None
        self._declared.clear()
        if connection is not None:
            await connection.close()

    async def dead_letter_count(self, name: str) -> int:
        channel = await self._publishing_channel()
        await self._declare(name)
        return (await self._dead_queue(channel, name)).declaration_result.message_count or 0

    async def replay_dead_letters(self, name: str) -> int:
        """Move the dead letters of ``name`` back to its work queue, their retries restored; a
        message that is not a task stays where it is."""
        channel = await self._publishing_channel()
        await self._declare(name)
        dead = await self._dead_queue(channel, name)
        kept: list[AbstractIncomingMessage] = []
        replayed = 0
        # Only those there now: a replayed task that fails again at once is not replayed twice.
        for _ in range(dead.declaration_result.message_count or 0):
            message = await dead.get(no_ack=False, fail=False)
            if message is None:
                break
            try:
                task = Task.model_validate_json(message.body)
            except ValidationError:
                kept.append(message)  # unacked until the end, so ``get`` moves past it
                continue
            await self._publish(self.names(name).work, task.model_copy(update={"attempt": 0}))
            await message.ack()
            replayed += 1
        for message in kept:
            await message.nack(requeue=True)
        return replayed

    async def _dead_queue(self, channel: AbstractRobustChannel, name: str) -> AbstractQueue:
        # Declared again (not passively: a robust channel answers that from its cache) for a
        # current message count.
        return await channel.declare_queue(self.names(name).dead, durable=True, robust=False)

    # --- publishing ----------------------------------------------------------------------------

    async def _connect(self) -> AbstractRobustConnection:
        async with self._connect_lock:
            if self._connection is None:
                self._connection = await aio_pika.connect_robust(self._url, timeout=10)
            return self._connection

    async def _publishing_channel(self) -> AbstractRobustChannel:
        connection = await self._connect()
        async with self._connect_lock:
            if self._publisher is None:
                self._publisher = await connection.channel(
                    publisher_confirms=True, on_return_raises=True
                )
            return self._publisher

    async def _declare(self, name: str) -> None:
        """The queues of ``name``, once per connection (durable: they outlive broker restarts)."""
        if name in self._declared:
            return
        channel = await self._publishing_channel()
        names = self.names(name)
        await self._declare_work(channel, names)
        for queue, ttl in names.retries:
            await channel.declare_queue(
                queue,
                durable=True,
                arguments={
                    "x-message-ttl": ttl,
                    "x-dead-letter-exchange": "",
                    "x-dead-letter-routing-key": names.work,
                },
            )
        await channel.declare_queue(names.dead, durable=True)
        self._declared.add(name)

    @staticmethod
    async def _declare_work(channel: AbstractRobustChannel, names: QueueNames) -> AbstractQueue:
        return await channel.declare_queue(
            names.work,
            durable=True,
            arguments={"x-dead-letter-exchange": "", "x-dead-letter-routing-key": names.dead},
        )

    async def _publish(self, routing_key: str, task: Task, *, error: str | None = None) -> None:
        """Publish and wait for the broker's confirm, riding out a reconnection of the robust
        connection until ``publish_timeout``. A confirm lost with the connection makes the retry
        publish the task twice, which idempotent handlers absorb."""
        message = aio_pika.Message(
            task.model_dump_json().encode(),
            content_type="application/json",
            delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
            message_id=str(task.task_id),
            headers={ERROR_HEADER: error} if error is not None else None,
        )
        deadline = time.monotonic() + self._publish_timeout
        pause = 0.1
        while True:
            try:
                await self._declare(task.name)
                channel = await self._publishing_channel()
                await channel.default_exchange.publish(
                    message, routing_key, timeout=max(0.1, deadline - time.monotonic())
                )
                return
            except Exception as exc:  # connection lost, channel closing, nack, timeout
                if time.monotonic() + pause > deadline:
                    raise TaskQueueUnavailable(
                        f"RabbitMQ did not confirm task {task.task_id} ({type(exc).__name__})"
                    ) from exc
                log.warning("task_publish_retry", queue=task.name, error=type(exc).__name__)
                self._declared.discard(task.name)
                await asyncio.sleep(pause)
                pause = min(2 * pause, 1.0)

    # --- consuming -----------------------------------------------------------------------------

    def _consumer(
        self, name: str, handler: TaskHandler
    ) -> Callable[[AbstractIncomingMessage], Awaitable[None]]:
        async def deliver(message: AbstractIncomingMessage) -> None:
            running = asyncio.current_task()
            assert running is not None
            self._running.add(running)
            try:
                if self._stopping:
                    await message.nack(requeue=True)
                else:
                    await self._handle(name, handler, message)
            except Exception as exc:
                # Not acked (the connection went, or a retry copy was not confirmed): the broker
                # delivers the task again.
                log.warning("task_not_acked", queue=name, error=type(exc).__name__)
            finally:
                self._running.discard(running)

        return deliver

    async def _handle(
        self, name: str, handler: TaskHandler, message: AbstractIncomingMessage
    ) -> None:
        try:
            task = Task.model_validate_json(message.body)
        except ValidationError:
            log.error("task_malformed", queue=name, message_id=message.message_id)
            # The work queue dead-letters a rejected message to the dead queue.
            await message.reject(requeue=False)
            return
        try:
            await handler(task)
        except Exception as exc:
            await self._failed(task, exc)
        await message.ack()

    async def _failed(self, task: Task, error: Exception) -> None:
        """Queue the retry (or dead-letter) copy; the caller acks the delivery once it is safe."""
        names = self.names(task.name)
        if retry_delay(task, error, self._retry_delays) is None:
            await self._publish(names.dead, task, error=f"{type(error).__name__}: {error}"[:500])
            return
        # The delay queue of this step holds the task for retry_delays[task.attempt].
        retry = task.model_copy(update={"attempt": task.attempt + 1})
        await self._publish(names.retries[task.attempt][0], retry)
