"""The outbox relay on SQLite: an idle relay never queues for the write lock."""

from __future__ import annotations

import asyncio
from pathlib import Path

from nilecare.kernel.db.base import service_metadata
from nilecare.kernel.db.engine import Database
from nilecare.kernel.db.kernel_tables import add_kernel_tables
from nilecare.kernel.events.bus import InProcessBus
from nilecare.kernel.events.outbox import OutboxRelay


async def test_an_idle_relay_does_not_wait_for_a_long_sqlite_write_transaction(
    tmp_path: Path,
) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'outbox.sqlite3'}")
    metadata = service_metadata()
    tables = add_kernel_tables(metadata)
    relay = OutboxRelay("test", db, tables, InProcessBus())
    try:
        async with db.engine.begin() as conn:
            await conn.run_sync(metadata.create_all)
        # A writer (every SQLite transaction here begins IMMEDIATE) holds the lock, as a slow
        # audited search does; the relay, with nothing to send, answers at once.
        async with db.engine.begin() as writer:
            await writer.execute(tables.inbox.select())
            async with asyncio.timeout(2):
                assert await relay.relay_once() == 0
    finally:
        await db.dispose()
