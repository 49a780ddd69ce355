"""The inbox claims an id once per consumer, whether the ids come one at a time or a run at once,
and a claim counts only once its transaction commits."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from nilecare.kernel.db.engine import Database
from nilecare.kernel.events.inbox import claim_many, claim_once
from tests.kernel.kafka_sample import create_sample_database, tables


async def test_a_run_claims_only_the_ids_its_consumer_has_not_claimed(database_url: str) -> None:
    await create_sample_database(database_url)
    db = Database(database_url)
    try:
        first = [uuid.uuid4() for _ in range(3)]
        later = [uuid.uuid4() for _ in range(2)]
        async with db.session() as session, session.begin():
            assert await claim_many(session, tables, "a", [*first, first[0]]) == set(first)
            assert await claim_once(session, tables, "a", later[0])
        async with db.session() as session, session.begin():
            # Claimed before, one at a time or in a run: only the new ones come back.
            assert await claim_many(session, tables, "a", [*first, *later]) == {later[1]}
            assert not await claim_once(session, tables, "a", first[1])
            # Another consumer has claimed none of them.
            assert await claim_many(session, tables, "b", first) == set(first)
        async with db.session() as session:
            rows = await session.execute(select(tables.inbox.c.consumer, tables.inbox.c.event_id))
            stored = sorted((consumer, str(event_id)) for consumer, event_id in rows)
        expected = [("a", str(id_)) for id_ in [*first, *later]] + [
            ("b", str(id_)) for id_ in first
        ]
        assert stored == sorted(expected)
    finally:
        await db.dispose()


async def test_a_claim_rolled_back_is_claimed_again(database_url: str) -> None:
    await create_sample_database(database_url)
    db = Database(database_url)
    try:
        ids = [uuid.uuid4() for _ in range(2000)]
        async with db.session() as session:
            assert await claim_many(session, tables, "a", ids) == set(ids)
            await session.rollback()
        async with db.session() as session, session.begin():
            assert await claim_many(session, tables, "a", ids) == set(ids)
        async with db.session() as session, session.begin():
            assert await claim_many(session, tables, "a", ids) == set()
    finally:
        await db.dispose()
