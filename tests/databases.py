"""Fresh databases on SQLite, PostgreSQL and MariaDB for tests.

PostgreSQL and MariaDB are the servers on this machine (override with NILECARE_TEST_POSTGRES_URL
and NILECARE_TEST_MARIADB_URL). A missing server skips its tests and says why, except under CI
(``CI=true``), where it is a failure.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from nilecare.kernel.db.engine import normalize_url

BACKENDS = ("sqlite", "postgresql", "mariadb")

SERVER_URLS = {
    "postgresql": os.environ.get(
        "NILECARE_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
    ),
    "mariadb": os.environ.get(
        "NILECARE_TEST_MARIADB_URL", "mysql+aiomysql://root@127.0.0.1:3306/mysql"
    ),
}

_unavailable: dict[str, str] = {}


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def skip_or_fail(reason: str) -> None:
    if in_ci():
        pytest.fail(f"{reason} (CI=true: a missing server is a failure)")
    pytest.skip(reason)


async def _admin_execute(backend: str, statement: str) -> None:
    engine = create_async_engine(normalize_url(SERVER_URLS[backend]), isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            await conn.execute(text(statement))
    finally:
        await engine.dispose()


async def create_database(backend: str, tmp_dir: Path, label: str = "t") -> str:
    """A new, empty database on ``backend``; returns its URL."""
    name = f"nc_{label}_{secrets.token_hex(5)}"
    if backend == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_dir / (name + '.sqlite3')}"
    if backend in _unavailable:
        skip_or_fail(_unavailable[backend])
    try:
        await asyncio.wait_for(_admin_execute(backend, f"CREATE DATABASE {name}"), timeout=15)
    except (OSError, TimeoutError, Exception) as exc:  # connection refused, auth, driver errors
        _unavailable[backend] = f"{backend} server is not reachable: {type(exc).__name__}: {exc}"
        skip_or_fail(_unavailable[backend])
    url = normalize_url(SERVER_URLS[backend]).set(database=name)
    return url.render_as_string(hide_password=False)


async def drop_database(url: str) -> None:
    parsed = normalize_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return
    key = "postgresql" if backend == "postgresql" else "mariadb"
    force = " WITH (FORCE)" if key == "postgresql" else ""
    # Best effort: a throwaway database left behind harms nothing.
    with contextlib.suppress(Exception):
        await _admin_execute(key, f"DROP DATABASE IF EXISTS {parsed.database}{force}")


DatabaseFactory = Callable[[str], Awaitable[str]]
