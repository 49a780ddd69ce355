"""Distributed mode: the clinical service only enqueues a record export on RabbitMQ; the task
waits on the broker until ``nilecare worker``'s code (``run_worker``) consumes it, builds the file
in the service's database, and the requester downloads it."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from nilecare.kernel.tasks.rabbitmq import RabbitTaskQueue
from nilecare.runtime.worker import run_worker
from nilecare.services.clinical.app import SERVICE
from tests.harness import eventually, platform_settings_for_tests, running_service
from tests.rabbitmq import private_vhost, rabbitmq_url
from tests.services.clinical.conftest import Clinical, FakeFacility
from tests.services.clinical.test_files import EXPORTER, as_user, charted_patient
from tests.tokens import Signer

__all__ = ["rabbitmq_url"]


@pytest.mark.parametrize("backend", ["postgresql"])
async def test_a_worker_consuming_rabbitmq_builds_the_export(
    database_url: str, rabbitmq_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    signer = Signer()
    with private_vhost(rabbitmq_url) as vhost_url:
        broker = {"task_queue": "rabbitmq", "rabbitmq_url": vhost_url}
        async with running_service(SERVICE, database_url, tmp_path, **broker) as svc:
            svc.platform.verifier._fetch = signer.fetch_jwks
            assert isinstance(svc.context.tasks, RabbitTaskQueue)
            facility = FakeFacility()
            svc.platform.directory.register_app("facility", facility.app())
            clinical = Clinical(svc, signer, facility)
            patient = await charted_patient(clinical)
            headers = as_user(clinical, EXPORTER)
            answer = await clinical.client.post(
                f"/api/v1/patients/{patient['id']}/exports", headers=headers
            )
            assert answer.status_code == 202, answer.text
            status_path = f"/api/v1/record-exports/{answer.json()['id']}"

            async def status() -> str:
                reply = await clinical.client.get(status_path, headers=headers)
                return str(reply.json()["status"])

            await asyncio.sleep(1.0)
            assert await status() == "queued"  # no worker yet: the task waits on the broker

            # The worker process's code, on the service's database.
            monkeypatch.setenv("NILECARE_CLINICAL__DATABASE_URL", database_url)
            stop = asyncio.Event()
            settings = platform_settings_for_tests(tmp_path, **broker)
            worker = asyncio.create_task(run_worker(settings, [SERVICE], stop))
            try:

                async def ready() -> bool:
                    return await status() == "ready"

                await eventually(ready)
            finally:
                stop.set()
                async with asyncio.timeout(60):
                    queues = await worker
            assert sorted(queues) == ["clinical.export", "clinical.report"]
            download = await clinical.client.get(f"{status_path}/file", headers=headers)
            assert download.status_code == 200
            assert download.json()["patient"]["mrn"] == patient["mrn"]
