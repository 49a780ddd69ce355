"""``nilecare worker``: the services' task workers, consuming their RabbitMQ queues.

Service processes (``nilecare serve``) only enqueue when the task queue is RabbitMQ; this process
builds the named services' contexts on their databases, without serving HTTP, and runs their
``TaskWorker``s until SIGINT or SIGTERM. Stopping drains: no new task is taken, the running ones
finish and are acked, the rest stay queued for the next worker.
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Iterable, Sequence

import structlog

from nilecare.kernel.config import PlatformSettings
from nilecare.kernel.service import ServiceSpec
from nilecare.runtime.bootstrap import build_context, build_platform
from nilecare.runtime.heap import freeze_startup_heap
from nilecare.runtime.registry import load_specs, spec_named
from nilecare.runtime.standalone import service_url

log = structlog.get_logger("nilecare.worker")


class WorkerRefused(RuntimeError):
    """The worker has nothing to do in this configuration."""


def worker_specs(specs: Sequence[ServiceSpec], names: Iterable[str]) -> list[ServiceSpec]:
    """The named services (all when none) that have task workers; an unknown name is refused."""
    wanted = [spec_named(name, specs) for name in names] or list(specs)
    return [spec for spec in wanted if spec.tasks]


async def run_worker(
    settings: PlatformSettings, specs: Sequence[ServiceSpec], stop: asyncio.Event
) -> list[str]:
    """Run the task workers of ``specs`` until ``stop`` is set; returns the queues it served."""
    if settings.task_queue != "rabbitmq":
        raise WorkerRefused(
            "tasks run inside each service with the in-process queue; "
            "set NILECARE_TASK_QUEUE=rabbitmq (and NILECARE_RABBITMQ_URL) for a worker"
        )
    if not specs:
        raise WorkerRefused("none of the chosen services has task workers")
    platform = build_platform(settings)
    try:
        # Handlers call other services (and their own) over HTTP, as any other process does.
        for spec in {spec.name: spec for spec in [*load_specs(), *specs]}.values():
            platform.directory.register_url(spec.name, service_url(spec))
        for spec in specs:
            build_context(platform, spec).register_task_workers()
        queues = [worker.queue for spec in specs for worker in spec.tasks]
        freeze_startup_heap()
        await platform.tasks.start()
        log.info("worker_started", queues=queues)
        await stop.wait()
        log.info("worker_stopping")
        return queues
    finally:
        # Stops the queue first (draining the running tasks), then closes the databases.
        await platform.aclose()


async def serve_worker(settings: PlatformSettings, names: Sequence[str]) -> list[str]:
    """``run_worker`` for the named registered services, stopped by SIGINT or SIGTERM."""
    specs = worker_specs(load_specs(), names)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        return await run_worker(settings, specs, stop)
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)
