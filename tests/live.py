"""Run ``nilecare`` commands as real processes on loopback ports, for end-to-end tests."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

Process = subprocess.Popen[bytes]

NILECARE = [sys.executable, "-m", "nilecare"]

# Cheap argon2 for tests; production keeps the defaults (and refuses values this low). Lowering
# only the time cost left each hash ~0.3 s on a 2-core box (64 MiB over 4 lanes): seeding the
# demo users took ~5 s, and every login paid it again.
FAST_ARGON2 = {
    "NILECARE_AUTH__ARGON2_TIME_COST": "1",
    "NILECARE_AUTH__ARGON2_MEMORY_COST": "1024",
    "NILECARE_AUTH__ARGON2_PARALLELISM": "1",
}


def use_fast_argon2(env: pytest.MonkeyPatch) -> None:
    """FAST_ARGON2 for services built in this process."""
    for name, value in FAST_ARGON2.items():
        env.setenv(name, value)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def nilecare_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NILECARE_")}
    env.update(
        NILECARE_ENVIRONMENT="development",
        NILECARE_DATA_DIR=str(data_dir),
        NILECARE_LOG_LEVEL="WARNING",
        NILECARE_DEMO_PASSWORD="Blue-Nile-Sunset-2026",
        **FAST_ARGON2,
    )
    env.update(extra)
    return env


def run_cli(
    args: list[str], env: dict[str, str], timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*NILECARE, *args], env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def _start(args: list[str], env: dict[str, str], name: str) -> tuple[Process, Path]:
    log_path = Path(env["NILECARE_DATA_DIR"]) / f"process-{name}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [*NILECARE, *args], env=env, stdout=log, stderr=subprocess.STDOUT
        )
    return process, log_path


def _stop(process: Process) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _wait_live(process: Process, log_path: Path, base: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args!r} exited:\n{log_path.read_text()[-4000:]}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(base + "/health/live", timeout=1).status_code == 200:
                return
        if time.monotonic() > deadline:
            raise RuntimeError(f"{process.args!r} did not start:\n{log_path.read_text()[-4000:]}")
        time.sleep(0.2)


@contextlib.contextmanager
def serving_all(
    commands: dict[int, list[str]], env: dict[str, str], timeout: float = 90
) -> Iterator[dict[int, str]]:
    """Start ``nilecare <args> --port <port>`` for each port at once; yield their base URLs once
    every /health/live answers."""
    started: dict[int, tuple[Process, Path]] = {}
    try:
        for port, args in commands.items():
            started[port] = _start([*args, "--port", str(port)], env, str(port))
        bases = {port: f"http://127.0.0.1:{port}" for port in commands}
        for port, (process, log_path) in started.items():
            _wait_live(process, log_path, bases[port], timeout)
        yield bases
    finally:
        for process, _ in started.values():
            _stop(process)


@contextlib.contextmanager
def serving(args: list[str], env: dict[str, str], port: int, timeout: float = 60) -> Iterator[str]:
    """Start ``nilecare <args>`` and yield its base URL once /health/live answers."""
    with serving_all({port: args}, env, timeout) as bases:
        yield bases[port]


@contextlib.contextmanager
def running(args: list[str], env: dict[str, str]) -> Iterator[Process]:
    """Run ``nilecare <args>`` (a process without a port, such as the worker) for the block."""
    process, _ = _start(args, env, "-".join(args))
    try:
        yield process
    finally:
        _stop(process)
