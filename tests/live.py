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

NILECARE = [sys.executable, "-m", "nilecare"]


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
        NILECARE_AUTH__ARGON2_TIME_COST="1",
        NILECARE_DEMO_PASSWORD="Blue-Nile-Sunset-2026",
    )
    env.update(extra)
    return env


def run_cli(
    args: list[str], env: dict[str, str], timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*NILECARE, *args], env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


@contextlib.contextmanager
def serving(args: list[str], env: dict[str, str], port: int, timeout: float = 60) -> Iterator[str]:
    """Start ``nilecare <args>`` and yield its base URL once /health/live answers."""
    log_path = Path(env["NILECARE_DATA_DIR"]) / f"process-{port}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [*NILECARE, *args, "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"nilecare {args} exited:\n{log_path.read_text()[-4000:]}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(base + "/health/live", timeout=1).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"nilecare {args} did not start:\n{log_path.read_text()[-4000:]}"
                )
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
