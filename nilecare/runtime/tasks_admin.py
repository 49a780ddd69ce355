"""``nilecare tasks``: the RabbitMQ dead-letter queues of the services' task queues."""

from __future__ import annotations

from collections.abc import Sequence

from nilecare.kernel.config import PlatformSettings
from nilecare.kernel.service import ServiceSpec
from nilecare.kernel.tasks.rabbitmq import RabbitTaskQueue
from nilecare.runtime.bootstrap import build_task_queue
from nilecare.runtime.worker import WorkerRefused


def _rabbit(settings: PlatformSettings) -> RabbitTaskQueue:
    queue = build_task_queue(settings)
    if not isinstance(queue, RabbitTaskQueue):
        raise WorkerRefused("dead letters are kept on RabbitMQ: set NILECARE_TASK_QUEUE=rabbitmq")
    return queue


def task_queues(specs: Sequence[ServiceSpec]) -> list[str]:
    return [worker.queue for spec in specs for worker in spec.tasks]


async def dead_letter_counts(settings: PlatformSettings, queues: Sequence[str]) -> dict[str, int]:
    rabbit = _rabbit(settings)
    try:
        return {queue: await rabbit.dead_letter_count(queue) for queue in queues}
    finally:
        await rabbit.stop()


async def replay_dead_letters(settings: PlatformSettings, queue: str) -> int:
    rabbit = _rabbit(settings)
    try:
        return await rabbit.replay_dead_letters(queue)
    finally:
        await rabbit.stop()
