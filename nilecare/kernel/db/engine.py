"""One async engine per service, from its own database URL.

SQLite (aiosqlite) is the embedded default; ``postgresql://`` uses asyncpg and ``mysql://`` or
``mariadb://`` use aiomysql, so operators can write the URL they know.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

_DRIVERS = {
    "postgresql": "postgresql+asyncpg",
    "postgres": "postgresql+asyncpg",
    "mysql": "mysql+aiomysql",
    "mariadb": "mysql+aiomysql",
    "sqlite": "sqlite+aiosqlite",
}


def normalize_url(url: str) -> URL:
    parsed = make_url(url)
    backend = parsed.drivername.split("+", 1)[0]
    if "+" not in parsed.drivername and backend in _DRIVERS:
        parsed = parsed.set(drivername=_DRIVERS[backend])
    if parsed.drivername == "mysql+aiomysql" and "charset" not in parsed.query:
        parsed = parsed.update_query_dict({"charset": "utf8mb4"})
    return parsed


def default_sqlite_url(data_dir: Path, service: str) -> str:
    return f"sqlite+aiosqlite:///{(data_dir / 'db' / f'{service}.sqlite3').resolve()}"


def _sqlite_pragmas(dbapi_connection: Any, _: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


_READ_ONLY = "nilecare_read_only"


def _sqlite_begin(conn: Any) -> None:
    # Take the write lock at BEGIN so concurrent writers queue instead of failing to upgrade;
    # a read-only transaction begins deferred and reads a WAL snapshot without waiting.
    read_only = conn.get_execution_options().get(_READ_ONLY, False)
    conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


class Database:
    """An engine and session factory for one service's database."""

    def __init__(self, url: str, *, pool_size: int = 10, echo: bool = False) -> None:
        self.url = normalize_url(url)
        kwargs: dict[str, Any] = {"echo": echo, "pool_pre_ping": True}
        if self.is_sqlite:
            database = self.url.database or ""
            if database and database != ":memory:":
                Path(database).parent.mkdir(parents=True, exist_ok=True)
            kwargs = {"echo": echo, "connect_args": {"timeout": 30}}
        else:
            kwargs.update(pool_size=pool_size, max_overflow=pool_size, pool_recycle=1800)
        if self.dialect in {"mysql", "mariadb"}:
            # PostgreSQL's default, so the backends behave alike: under MySQL's REPEATABLE READ a
            # locking read (the outbox relay's claim) also locks the index gap that new rows go
            # into, and every write would wait on the broker.
            kwargs["isolation_level"] = "READ COMMITTED"
        self.engine: AsyncEngine = create_async_engine(self.url, **kwargs)
        if self.is_sqlite:
            sync_engine = self.engine.sync_engine
            event.listen(sync_engine, "connect", _sqlite_pragmas)

            @event.listens_for(sync_engine, "connect")
            def _no_pysqlite_transactions(dbapi_connection: Any, _: Any) -> None:
                dbapi_connection.isolation_level = None

            event.listen(sync_engine, "begin", _sqlite_begin)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False, autoflush=False)

    @property
    def dialect(self) -> str:
        return self.url.get_backend_name()

    @property
    def is_sqlite(self) -> bool:
        return self.dialect == "sqlite"

    @property
    def supports_skip_locked(self) -> bool:
        return self.dialect in {"postgresql", "mysql", "mariadb"}

    def session(self) -> AsyncSession:
        return self.sessions()

    @contextlib.asynccontextmanager
    async def reading(self) -> AsyncIterator[AsyncConnection]:
        """A connection that only reads: on SQLite it does not queue behind a writer."""
        async with self.engine.connect() as conn:
            yield await conn.execution_options(**{_READ_ONLY: True})

    async def dispose(self) -> None:
        await self.engine.dispose()
