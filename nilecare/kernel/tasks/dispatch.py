"""Rows that stand for tasks, and the loop that hands them to the task queue.

A service that must not lose a task keeps its state in a row written in the request's
transaction, enqueues the task after the commit, and runs a dispatcher: a loop that every few
seconds claims the rows whose task is due or was lost (claimed long ago without an outcome: a
crash between commit and enqueue, or a worker that died), marks them claimed and enqueues their
tasks again. Handlers check the row's state, so a task enqueued twice acts once. Several replicas
may run the loop: ``claim_rows`` locks with ``FOR UPDATE SKIP LOCKED`` where the database has it.
"""

from __future__ import annotations

import asyncio
import uuid
from abc import abstractmethod
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import structlog
from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase

from nilecare.kernel.background import BackgroundLoop
from nilecare.kernel.tasks.queue import Task, TaskQueue

log = structlog.get_logger("nilecare.tasks")

Row = TypeVar("Row", bound=DeclarativeBase)


async def claim_rows(
    session: AsyncSession,
    model: type[Row],
    condition: ColumnElement[bool],
    *,
    order_by: Sequence[Any],
    limit: int,
    skip_locked: bool,
) -> list[Row]:
    """Rows of ``model`` meeting ``condition``, locked for this transaction (rows another
    dispatcher holds are skipped); the caller marks them claimed before it commits."""
    query = select(model).where(condition).order_by(*order_by).limit(limit)
    if skip_locked:
        query = query.with_for_update(skip_locked=True)
    return list(await session.scalars(query))


async def enqueue_rows(tasks: TaskQueue, queue: str, ids: Sequence[uuid.UUID]) -> None:
    """One task per row, whose payload names the row."""
    for row_id in ids:
        await tasks.enqueue(Task(name=queue, payload={"id": str(row_id)}))


class Dispatcher(BackgroundLoop):
    """Runs ``dispatch_once`` every ``interval()`` seconds between ``start`` and ``stop``; a
    failing round is logged and the next one tries again."""

    def __init__(self, name: str, interval: Callable[[], float]) -> None:
        super().__init__(name)
        self.name = name
        self._interval = interval

    @abstractmethod
    async def dispatch_once(self) -> int:
        """Claim and enqueue what is due now; returns how many tasks were enqueued."""

    async def run(self) -> None:
        while True:
            try:
                await self.dispatch_once()
            except asyncio.CancelledError:
                raise
            except Exception as error:
                log.warning("dispatch_failed", dispatcher=self.name, error=type(error).__name__)
            await asyncio.sleep(self._interval())
