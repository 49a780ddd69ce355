"""``nilecare worker``: a service's task workers run on RabbitMQ against its database, and stop
when told to; without RabbitMQ configured there is nothing for a worker to do."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import secrets
import signal
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from nilecare.kernel.config import PlatformSettings
from nilecare.kernel.db.engine import Database, default_sqlite_url
from nilecare.kernel.service import ServiceContext, TaskWorker
from nilecare.kernel.tasks.idempotence import claim_task
from nilecare.kernel.tasks.queue import Task
from nilecare.kernel.tasks.rabbitmq import RabbitTaskQueue
from nilecare.runtime.registry import load_specs
from nilecare.runtime.worker import WorkerRefused, run_worker, worker_specs
from tests.harness import eventually
from tests.kernel import sample_service
from tests.rabbitmq import delete_queues, private_vhost, rabbitmq_url

__all__ = ["rabbitmq_url"]


async def write_note(context: ServiceContext, task: Task) -> None:
    async with context.unit_of_work() as uow:
        if await claim_task(uow, task):
            uow.session.add(sample_service.Note(text=task.payload["text"]))
            await uow.commit()


async def test_the_worker_runs_a_services_tasks_until_stopped(
    rabbitmq_url: str, tmp_path: Path
) -> None:
    # A queue name of this run's own under the default prefix, so runs never share a queue.
    queue = f"sample.note.{secrets.token_hex(4)}"
    spec = dataclasses.replace(sample_service.SERVICE, tasks=(TaskWorker(queue, write_note),))
    settings = PlatformSettings(
        environment="test", data_dir=tmp_path, task_queue="rabbitmq", rabbitmq_url=rabbitmq_url
    )
    db = Database(default_sqlite_url(tmp_path, spec.name))
    async with db.engine.begin() as conn:
        await conn.run_sync(sample_service.metadata.create_all)
    producer = RabbitTaskQueue(rabbitmq_url)
    stop = asyncio.Event()
    try:
        for text in ("one", "two", "three"):
            await producer.enqueue(Task(name=queue, payload={"text": text}))
        worker = asyncio.create_task(run_worker(settings, [spec], stop))

        async def notes() -> list[str]:
            async with db.session() as session:
                rows = await session.scalars(select(sample_service.Note.text))
                return sorted(rows.all())

        async def all_written() -> bool:
            return await notes() == ["one", "three", "two"]

        await eventually(all_written)
        stop.set()
        async with asyncio.timeout(30):
            assert await worker == [queue]
    finally:
        stop.set()
        await producer.stop()
        await db.dispose()
        await delete_queues(rabbitmq_url, producer.names(queue).all)


async def test_without_rabbitmq_the_worker_refuses_to_start(tmp_path: Path) -> None:
    spec = dataclasses.replace(
        sample_service.SERVICE, tasks=(TaskWorker("sample.note", write_note),)
    )
    settings = PlatformSettings(environment="test", data_dir=tmp_path)
    with pytest.raises(WorkerRefused, match="NILECARE_TASK_QUEUE=rabbitmq"):
        await run_worker(settings, [spec], asyncio.Event())


def test_the_worker_takes_named_services_with_tasks_and_refuses_unknown_names() -> None:
    specs = load_specs()
    assert all(spec.tasks for spec in worker_specs(specs, []))
    assert worker_specs(specs, ["orchestrator"]) == []
    with pytest.raises(LookupError, match="nowhere"):
        worker_specs(specs, ["nowhere"])


async def test_the_worker_command_runs_until_sigterm_then_exits_cleanly(
    rabbitmq_url: str, tmp_path: Path
) -> None:
    # A vhost of this test's own: the registered services' queues there are empty and private.
    with private_vhost(rabbitmq_url) as vhost_url:
        env = {
            **os.environ,
            "NILECARE_ENVIRONMENT": "test",
            "NILECARE_DATA_DIR": str(tmp_path),
            "NILECARE_TASK_QUEUE": "rabbitmq",
            "NILECARE_RABBITMQ_URL": vhost_url,
            "NILECARE_LOG_JSON": "false",
        }
        worker = await asyncio.create_subprocess_exec(
            str(Path(sys.executable).with_name("nilecare")),
            "worker",
            env=env,
            cwd=tmp_path,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        assert worker.stderr is not None
        try:
            async with asyncio.timeout(120):
                while b"worker_started" not in (line := await worker.stderr.readline()):
                    assert line, "the worker exited before it started"
            worker.send_signal(signal.SIGTERM)
            async with asyncio.timeout(60):
                stdout, _ = await worker.communicate()
        finally:
            if worker.returncode is None:
                worker.kill()
                await worker.wait()
        assert worker.returncode == 0
        assert b"worker stopped" in stdout and b"notification.send" in stdout
