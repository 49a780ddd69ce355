"""The Alembic history builds exactly the models' schema, and unwinds completely."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import Connection, inspect

from nilecare.kernel.db.engine import Database
from nilecare.kernel.db.migrations import current_revision, head_revision, upgrade_database
from nilecare.services.clinical.app import SERVICE
from nilecare.services.clinical.models import metadata


def _downgrade_to_base(connection: Connection, script_location: Path) -> None:
    config = Config()
    config.set_main_option("script_location", str(script_location))
    config.attributes["connection"] = connection
    command.downgrade(config, "base")


def _differences(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, metadata))


async def test_the_migration_creates_exactly_the_models_schema(database_url: str) -> None:
    assert SERVICE.migrations is not None
    db = Database(database_url)
    try:
        await upgrade_database(db, SERVICE.migrations)
        assert await current_revision(db) == head_revision(SERVICE.migrations) == "0001"
        async with db.engine.connect() as conn:
            assert await conn.run_sync(_differences) == []
        async with db.engine.begin() as conn:
            await conn.run_sync(_downgrade_to_base, SERVICE.migrations)
        async with db.engine.connect() as conn:
            tables = await conn.run_sync(lambda c: inspect(c).get_table_names())
        assert set(tables) <= {"alembic_version"}
        await upgrade_database(db, SERVICE.migrations)
    finally:
        await db.dispose()
