"""Each service's Alembic history builds exactly its models' schema, and downgrades cleanly."""

from __future__ import annotations

from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, MetaData, inspect

from nilecare.kernel.db.engine import Database
from nilecare.kernel.db.migrations import (
    current_revision,
    downgrade_database,
    head_revision,
    upgrade_database,
)
from nilecare.kernel.service import ServiceSpec
from nilecare.runtime.registry import load_specs

SPECS = [spec for spec in load_specs() if spec.migrations is not None]


def _differences(connection: Connection, metadata: MetaData) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, metadata))


@pytest.mark.parametrize("spec", SPECS, ids=[spec.name for spec in SPECS])
async def test_the_migrations_create_exactly_the_models_schema(
    spec: ServiceSpec, database_url: str
) -> None:
    assert spec.migrations is not None
    assert spec.metadata is not None
    metadata = spec.metadata
    db = Database(database_url)
    try:
        await upgrade_database(db, spec.migrations)
        assert await current_revision(db) == head_revision(spec.migrations)
        async with db.engine.connect() as conn:
            assert await conn.run_sync(_differences, metadata) == []
        await downgrade_database(db, spec.migrations)
        async with db.engine.connect() as conn:
            tables = await conn.run_sync(lambda c: inspect(c).get_table_names())
        assert set(tables) <= {"alembic_version"}
        await upgrade_database(db, spec.migrations)
    finally:
        await db.dispose()
