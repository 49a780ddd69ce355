from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.databases import BACKENDS, MIGRATED_TEMPLATES, create_database, drop_database


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Parametrizes a test over SQLite, PostgreSQL and MariaDB."""
    return str(request.param)


@pytest.fixture
async def database_url(backend: str, tmp_path: Path) -> AsyncIterator[str]:
    """A fresh, empty database on each backend."""
    url = await create_database(backend, tmp_path)
    yield url
    await drop_database(url)


def pytest_sessionfinish(session: pytest.Session) -> None:
    asyncio.run(MIGRATED_TEMPLATES.drop())
