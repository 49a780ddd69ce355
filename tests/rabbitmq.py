"""The RabbitMQ server on this machine for tests (override with NILECARE_TEST_RABBITMQ_URL).

``rabbitmq_url`` skips its tests when the server does not answer (fails under ``CI=true``);
``queue_prefix`` gives a test queue names of its own; ``delete_queues`` removes them.
``restart_rabbitmq`` stops and starts the broker application (its durable queues and persistent
messages survive, as in a real restart), and brings it back even when the test fails.
``private_vhost`` gives a process under test a virtual host of its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import subprocess
from collections.abc import Iterable, Iterator

import aio_pika
import pytest

from tests.databases import skip_or_fail

RABBITMQ_URL = os.environ.get("NILECARE_TEST_RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672/")


async def _reachable(url: str) -> str | None:
    """None when the broker accepts a connection, else why not."""
    try:
        connection = await aio_pika.connect(url, timeout=5)
    except Exception as exc:  # refused, auth, timeout
        return f"{type(exc).__name__}: {exc}"
    await connection.close()
    return None


@pytest.fixture
async def rabbitmq_url() -> str:
    problem = await _reachable(RABBITMQ_URL)
    if problem is not None:
        skip_or_fail(f"RabbitMQ is not reachable at {RABBITMQ_URL}: {problem}")
    return RABBITMQ_URL


@pytest.fixture
def queue_prefix(rabbitmq_url: str) -> str:
    """A queue-name prefix of this test's own."""
    return f"nilecare-test.{secrets.token_hex(5)}"


async def delete_queues(url: str, names: Iterable[str]) -> None:
    """Delete the named queues (absent ones too: deleting is idempotent)."""
    connection = await aio_pika.connect(url, timeout=5)
    try:
        channel = await connection.channel()
        for name in names:
            await channel.queue_delete(name)
    finally:
        await connection.close()


def _rabbitmqctl(*args: str) -> None:
    subprocess.run(["rabbitmqctl", "-q", *args], check=True, capture_output=True, timeout=120)


async def restart_rabbitmq() -> None:
    """``stop_app`` then ``start_app``: every connection drops, the broker comes back with what
    it had stored."""
    try:
        await asyncio.to_thread(_rabbitmqctl, "stop_app")
    finally:
        await asyncio.to_thread(_rabbitmqctl, "start_app")
        await asyncio.to_thread(_rabbitmqctl, "await_startup")


@contextlib.contextmanager
def private_vhost(url: str = RABBITMQ_URL) -> Iterator[str]:
    """The URL of a RabbitMQ virtual host of the caller's own, deleted (with its queues) after."""
    vhost = f"nilecare-test-{secrets.token_hex(4)}"
    _rabbitmqctl("add_vhost", vhost)
    try:
        _rabbitmqctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*")
        yield f"{url.rstrip('/')}/{vhost}"
    finally:
        _rabbitmqctl("delete_vhost", vhost)
