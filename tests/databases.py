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
import shutil
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import pool, text
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

from nilecare.kernel.db.engine import Database, normalize_url
from nilecare.kernel.db.migrations import upgrade_database

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


def _backend(url: str) -> str:
    name = normalize_url(url).get_backend_name()
    return "mariadb" if name in {"mysql", "mariadb"} else name


async def drop_database(url: str) -> None:
    parsed = normalize_url(url)
    key = _backend(url)
    if key == "sqlite":
        return
    # Best effort: a throwaway database left behind harms nothing.
    with contextlib.suppress(Exception):
        if key == "postgresql":
            await _admin_execute(key, f"DROP DATABASE IF EXISTS {parsed.database} WITH (FORCE)")
        else:
            await _drop_mariadb_database(parsed.database or "")


async def _drop_mariadb_database(name: str) -> None:
    """DROP DATABASE after closing the connections still in it, as PostgreSQL's FORCE does: one
    left in a transaction holds metadata locks, and the DROP would wait for it forever."""
    engine = create_async_engine(
        normalize_url(SERVER_URLS["mariadb"]), isolation_level="AUTOCOMMIT"
    )
    try:
        async with engine.connect() as conn:
            holders = await conn.scalars(
                text(
                    "SELECT id FROM information_schema.processlist"
                    " WHERE db = :name AND id <> CONNECTION_ID()"
                ),
                {"name": name},
            )
            for holder in holders.all():
                with contextlib.suppress(Exception):  # it may have gone meanwhile
                    await conn.execute(text(f"KILL CONNECTION {int(holder)}"))
            await conn.execute(text(f"DROP DATABASE IF EXISTS `{name}`"))
    finally:
        await engine.dispose()


DatabaseFactory = Callable[[str], Awaitable[str]]


@contextlib.asynccontextmanager
async def _connected(url: str) -> AsyncIterator[AsyncConnection]:
    # NullPool: nothing stays connected afterwards.
    engine = create_async_engine(normalize_url(url), poolclass=pool.NullPool)
    try:
        async with engine.connect() as conn:
            yield conn
    finally:
        await engine.dispose()


# PostgreSQL is left to migrate: a copy (DROP, then CREATE DATABASE ... TEMPLATE) measured slower
# there than migrating (0.4-0.7 s against 0.25-0.5 s on an idle 2-core box).
COPIED_BACKENDS = ("sqlite", "mariadb")


def _sqlite_is_empty(url: str) -> bool:
    path = Path(normalize_url(url).database or "")
    return not path.exists() or path.stat().st_size == 0


async def _is_empty(url: str) -> bool:
    if _backend(url) == "sqlite":
        return _sqlite_is_empty(url)
    async with _connected(url) as conn:
        tables = await conn.scalar(
            text("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE()")
        )
    return tables == 0


@dataclass
class _Template:
    url: str
    # MariaDB has no template databases: each table's CREATE statement is replayed instead and
    # its rows (those the migrations inserted) copied.
    tables: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class MigratedTemplates:
    """Each migration history run once per session on SQLite and MariaDB into a template
    database, which is then copied into the empty databases tests start services on. Migrating
    each of those took 0.1-0.16 s on SQLite and 0.22-0.45 s on MariaDB idle (1-3 s under load); a
    copy 0.02 s and 0.11-0.15 s. The migrations themselves are tested on empty databases by
    tests/runtime."""

    _templates: dict[tuple[str, Path], _Template] = field(default_factory=dict)
    _sqlite_dir: Path | None = None

    async def copy_into(self, url: str, migrations: Path) -> None:
        """Give the database at ``url``, when it has no tables, what ``migrations`` would."""
        backend = _backend(url)
        if backend not in COPIED_BACKENDS or not await _is_empty(url):
            return
        template = self._templates.get((backend, migrations))
        if template is None:
            template = await self._migrated(backend, migrations)
            self._templates[(backend, migrations)] = template
        target = normalize_url(url).database or ""
        if backend == "sqlite":
            shutil.copyfile(normalize_url(template.url).database or "", target)
        else:
            await _replay(template, url)

    async def _migrated(self, backend: str, migrations: Path) -> _Template:
        if self._sqlite_dir is None:
            self._sqlite_dir = Path(tempfile.mkdtemp(prefix="nilecare-templates-"))
        template = _Template(await create_database(backend, self._sqlite_dir, "tpl"))
        db = Database(template.url)
        try:
            await upgrade_database(db, migrations)
        finally:
            await db.dispose()
        if backend == "mariadb":
            async with _connected(template.url) as conn:
                names = await conn.scalars(text("SHOW FULL TABLES WHERE Table_type = 'BASE TABLE'"))
                for name in names.all():
                    create = (await conn.exec_driver_sql(f"SHOW CREATE TABLE `{name}`")).one()[1]
                    template.tables.append((name, create))
        return template

    async def drop(self) -> None:
        for template in self._templates.values():
            await drop_database(template.url)
        self._templates.clear()
        if self._sqlite_dir is not None:
            shutil.rmtree(self._sqlite_dir, ignore_errors=True)
            self._sqlite_dir = None


async def _replay(template: _Template, url: str) -> None:
    source = normalize_url(template.url).database
    async with _connected(url) as conn:
        # In name order, a table may come before the tables its foreign keys refer to.
        await conn.execute(text("SET FOREIGN_KEY_CHECKS = 0"))
        for name, create in template.tables:
            await conn.exec_driver_sql(create)
            # Table names read from the template itself.
            copy = f"INSERT INTO `{name}` SELECT * FROM `{source}`.`{name}`"  # noqa: S608
            await conn.exec_driver_sql(copy)
        await conn.commit()


MIGRATED_TEMPLATES = MigratedTemplates()
