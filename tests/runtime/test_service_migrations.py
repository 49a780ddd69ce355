"""Each service's Alembic history builds exactly its models' schema, and downgrades cleanly."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Column, Connection, MetaData, inspect, select, text

from nilecare.kernel.db.engine import Database
from nilecare.kernel.db.kernel_tables import add_kernel_tables
from nilecare.kernel.db.migrations import (
    current_revision,
    downgrade_database,
    head_revision,
    upgrade_database,
)
from nilecare.kernel.db.types import UTCDateTime, utcnow
from nilecare.kernel.service import ServiceSpec
from nilecare.runtime.registry import load_specs
from tests.databases import COPIED_BACKENDS, MIGRATED_TEMPLATES

SPECS = [spec for spec in load_specs() if spec.migrations is not None]


def _differences(connection: Connection, metadata: MetaData) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, metadata))


async def _assert_at_head_with_the_models_schema(db: Database, spec: ServiceSpec) -> None:
    assert spec.migrations is not None
    assert spec.metadata is not None
    metadata = spec.metadata
    assert await current_revision(db) == head_revision(spec.migrations)
    async with db.engine.connect() as conn:
        assert await conn.run_sync(_differences, metadata) == []
        # The row the first migration inserts.
        assert (await conn.execute(text("SELECT seq FROM audit_chain_head"))).all() == [(0,)]


@pytest.mark.parametrize("spec", SPECS, ids=[spec.name for spec in SPECS])
async def test_the_migrations_create_exactly_the_models_schema(
    spec: ServiceSpec, database_url: str
) -> None:
    assert spec.migrations is not None
    db = Database(database_url)
    try:
        await upgrade_database(db, spec.migrations)
        await _assert_at_head_with_the_models_schema(db, spec)
        await downgrade_database(db, spec.migrations)
        async with db.engine.connect() as conn:
            tables = await conn.run_sync(lambda c: inspect(c).get_table_names())
        assert set(tables) <= {"alembic_version"}
        await upgrade_database(db, spec.migrations)
    finally:
        await db.dispose()


@pytest.mark.parametrize("spec", SPECS, ids=[spec.name for spec in SPECS])
async def test_a_database_one_migration_behind_upgrades_to_the_models_schema(
    spec: ServiceSpec, database_url: str
) -> None:
    """As a deployed database is upgraded: the newest migration's downgrade puts back what came
    before it (the kernel tables' first migration makes them as they are now), then it runs."""
    assert spec.migrations is not None
    db = Database(database_url)
    try:
        await upgrade_database(db, spec.migrations)
        await downgrade_database(db, spec.migrations, "-1")
        assert await current_revision(db) != head_revision(spec.migrations)
        await upgrade_database(db, spec.migrations)
        await _assert_at_head_with_the_models_schema(db, spec)
    finally:
        await db.dispose()


@pytest.mark.parametrize("backend", COPIED_BACKENDS)
@pytest.mark.parametrize("spec", SPECS, ids=[spec.name for spec in SPECS])
async def test_the_migrated_copy_services_tests_start_on_is_the_migrated_schema(
    spec: ServiceSpec, database_url: str
) -> None:
    assert spec.migrations is not None
    await MIGRATED_TEMPLATES.copy_into(database_url, spec.migrations)
    db = Database(database_url)
    try:
        await _assert_at_head_with_the_models_schema(db, spec)
    finally:
        await db.dispose()


async def test_upgrading_an_outbox_that_kept_its_sent_rows_drops_them_and_keeps_the_unsent(
    database_url: str,
) -> None:
    """The relay used to mark rows sent (published_at) and keep them; now it deletes them. (The
    first migration makes the outbox as it is now: the downgrade gives it its old shape.)"""
    auth = next(spec for spec in SPECS if spec.name == "auth")
    assert auth.migrations is not None
    db = Database(database_url)
    try:
        await upgrade_database(db, auth.migrations)
        await downgrade_database(db, auth.migrations, "0003")
        outbox = add_kernel_tables(MetaData()).outbox
        outbox.append_column(Column("published_at", UTCDateTime, nullable=True))
        sent, unsent = uuid.uuid4(), uuid.uuid4()
        async with db.engine.begin() as conn:
            await conn.execute(
                outbox.insert(),
                [
                    {
                        "event_id": event_id,
                        "event_type": "user.created",
                        "event_key": None,
                        "envelope": {},
                        "created_at": utcnow(),
                        "published_at": published_at,
                        "attempts": 0,
                    }
                    for event_id, published_at in ((sent, utcnow()), (unsent, None))
                ],
            )
        await upgrade_database(db, auth.migrations)
        async with db.engine.connect() as conn:
            left = (await conn.execute(select(outbox.c.event_id, outbox.c.attempts))).all()
        assert [tuple(row) for row in left] == [(unsent, 0)]
    finally:
        await db.dispose()
