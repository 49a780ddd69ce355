"""Per-service Alembic migrations, run programmatically on the service's own database.

A service's ``migrations/env.py`` is two lines: import its MetaData and call ``run_migrations``.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from alembic import command, context, op
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Column, Connection, MetaData, inspect, pool, text
from sqlalchemy.ext.asyncio import create_async_engine

from nilecare.kernel.db.base import service_metadata
from nilecare.kernel.db.engine import Database, normalize_url
from nilecare.kernel.db.kernel_tables import GENESIS_HASH, add_kernel_tables
from nilecare.kernel.db.types import UTCDateTime


def _config(script_location: Path, connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(script_location))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


async def upgrade_database(db: Database, script_location: Path, revision: str = "head") -> None:
    def run(connection: Connection) -> None:
        command.upgrade(_config(script_location, connection), revision)

    async with db.engine.begin() as conn:
        await conn.run_sync(run)


async def downgrade_database(db: Database, script_location: Path, revision: str = "base") -> None:
    def run(connection: Connection) -> None:
        command.downgrade(_config(script_location, connection), revision)

    async with db.engine.begin() as conn:
        await conn.run_sync(run)


async def autogenerate_revision(db: Database, script_location: Path, message: str) -> None:
    """Write a new revision holding the difference between the models and ``db`` at head."""
    await upgrade_database(db, script_location)

    def run(connection: Connection) -> None:
        command.revision(_config(script_location, connection), message=message, autogenerate=True)

    async with db.engine.begin() as conn:
        await conn.run_sync(run)


async def current_revision(db: Database) -> str | None:
    def read(connection: Connection) -> str | None:
        return MigrationContext.configure(connection).get_current_revision()

    async with db.engine.connect() as conn:
        return await conn.run_sync(read)


def head_revision(script_location: Path) -> str | None:
    return ScriptDirectory.from_config(_config(script_location)).get_current_head()


def _configure_and_run(connection: Connection, metadata: MetaData) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        compare_type=True,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations(metadata: MetaData) -> None:
    """Body of every service's ``env.py``."""
    connection: Any = context.config.attributes.get("connection")
    if connection is not None:
        _configure_and_run(connection, metadata)
        return
    # Run by the alembic command line (e.g. ``alembic revision --autogenerate``).
    url = context.config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("set sqlalchemy.url (-x or alembic.ini) to run alembic directly")

    async def run_async() -> None:
        engine = create_async_engine(normalize_url(url), poolclass=pool.NullPool)
        async with engine.begin() as conn:
            await conn.run_sync(_configure_and_run, metadata)
        await engine.dispose()

    asyncio.run(run_async())


def create_kernel_tables() -> None:
    """For a service's first migration: the outbox, inbox and audit tables, and the chain head."""
    bind = op.get_bind()
    metadata = service_metadata()
    tables = add_kernel_tables(metadata)
    metadata.create_all(bind)
    bind.execute(tables.audit_chain_head.insert().values(id=1, seq=0, hash=GENESIS_HASH))


# The outbox's indexes on published_at, from before the relay deleted the rows it sent: first a
# plain one, then one of the unsent rows in the relay's order.
_PUBLISHED_AT_INDEX = "ix_outbox_published_at"
_UNSENT_INDEX = "ix_outbox_unsent"


def _outbox_has_published_at(bind: Connection) -> bool:
    """False where the first migration ran after the relay began deleting what it sent (the
    first migration makes the kernel tables as they are now): there is nothing to change."""
    return "published_at" in {column["name"] for column in inspect(bind).get_columns("outbox")}


def _outbox_indexes(bind: Connection) -> set[str]:
    return {str(index["name"]) for index in inspect(bind).get_indexes("outbox")}


def index_unsent_outbox() -> None:
    """For a service's migration: the relay's index of unsent outbox rows in place of the plain
    index on published_at."""
    bind = op.get_bind()
    if not _outbox_has_published_at(bind):
        return
    names = _outbox_indexes(bind)
    if _PUBLISHED_AT_INDEX in names:
        op.drop_index(_PUBLISHED_AT_INDEX, table_name="outbox")
    if _UNSENT_INDEX not in names:
        op.create_index(_UNSENT_INDEX, "outbox", ["published_at", "seq"])


def unindex_unsent_outbox() -> None:
    op.drop_index(_UNSENT_INDEX, table_name="outbox")
    op.create_index(_PUBLISHED_AT_INDEX, "outbox", ["published_at"])


def outbox_keeps_only_unsent() -> None:
    """For a service's migration: the relay now deletes what it sent, so the rows it sent go, and
    with them published_at and its index."""
    bind = op.get_bind()
    if not _outbox_has_published_at(bind):
        return
    bind.execute(text("DELETE FROM outbox WHERE published_at IS NOT NULL"))
    names = _outbox_indexes(bind)
    for name in (_UNSENT_INDEX, _PUBLISHED_AT_INDEX):
        if name in names:
            op.drop_index(name, table_name="outbox")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("published_at")


def outbox_keeps_sent_rows() -> None:
    """The column and its index back; the rows deleted do not come back (they were sent)."""
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(Column("published_at", UTCDateTime, nullable=True))
    op.create_index(_UNSENT_INDEX, "outbox", ["published_at", "seq"])


def drop_kernel_tables() -> None:
    metadata = service_metadata()
    add_kernel_tables(metadata)
    metadata.drop_all(op.get_bind())
