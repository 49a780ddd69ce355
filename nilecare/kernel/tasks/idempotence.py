"""A task applied once even when it is delivered again (a broker restart, a lost ack).

The RabbitMQ queue delivers at least once: a worker that committed a task's effect and then lost
its connection before the ack sees the task again. The handler claims the task in its service's
inbox table in the transaction of its effect, and does nothing when the claim was taken before.
"""

from __future__ import annotations

from nilecare.kernel.events.inbox import claim_once
from nilecare.kernel.tasks.queue import Task
from nilecare.kernel.uow import UnitOfWork


async def claim_task(uow: UnitOfWork, task: Task) -> bool:
    """True the first time ``task`` is handled; the claim commits (or rolls back) with ``uow``."""
    return await claim_once(uow.session, uow.tables, f"task:{task.name}", task.task_id)
