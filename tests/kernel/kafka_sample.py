"""The sample service on the Kafka bus, for the events tests: its database made first, then its
lifespan (relay, consumers) started, with consumers of the test's choosing."""

from __future__ import annotations

import contextlib
import dataclasses
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

from sqlalchemy import func, insert, select

from nilecare.kernel.db.engine import Database
from nilecare.kernel.events.envelope import Envelope
from nilecare.kernel.events.outbox import write_outbox
from nilecare.kernel.service import Consumer
from tests.harness import RunningService, running_service
from tests.kafka import TANSU_FETCH_MAX_WAIT_MS
from tests.kernel import sample_service
from tests.kernel.sample_service import Note
from tests.tokens import Signer

tables = sample_service.tables


async def create_sample_database(database_url: str) -> None:
    db = Database(database_url)
    try:
        async with db.engine.begin() as conn:
            await conn.run_sync(sample_service.metadata.create_all)
            await conn.execute(tables.audit_chain_head.insert().values(id=1, seq=0, hash="0" * 64))
    finally:
        await db.dispose()


@contextlib.asynccontextmanager
async def sample_on_kafka(
    broker: str,
    database_url: str,
    data_dir: Path,
    *consumers: Consumer,
    new_database: bool = True,
) -> AsyncIterator[RunningService]:
    """The sample service on ``broker``; ``consumers`` replace its own when given; without
    ``new_database`` it runs on the tables an earlier run made (a restart)."""
    if new_database:
        await create_sample_database(database_url)
    spec = sample_service.SERVICE
    if consumers:
        spec = dataclasses.replace(spec, consumers=consumers)
    async with running_service(
        spec,
        database_url,
        data_dir,
        event_bus="kafka",
        kafka_bootstrap_servers=broker,
        kafka_idempotent=False,
        kafka_fetch_max_wait_ms=TANSU_FETCH_MAX_WAIT_MS,
    ) as svc:
        yield svc


def trust(svc: RunningService, signer: Signer) -> None:
    svc.platform.verifier._fetch = signer.fetch_jwks


async def add_notes(svc: RunningService, count: int) -> list[uuid.UUID]:
    ids = [uuid.uuid4() for _ in range(count)]
    async with svc.context.database.session() as session, session.begin():
        await session.execute(insert(Note), [{"id": i, "text": "n", "seen_events": 0} for i in ids])
    return ids


async def write_events(svc: RunningService, envelopes: list[Envelope]) -> None:
    """Into the outbox in one transaction, as a unit of work's commit does, waking the relay."""
    async with svc.context.database.session() as session, session.begin():
        await write_outbox(session, tables, envelopes)
    if svc.context.relay is not None:
        svc.context.relay.wake()


async def seen_events(svc: RunningService) -> dict[uuid.UUID, int]:
    async with svc.context.database.session() as session:
        rows = await session.execute(select(Note.id, Note.seen_events))
        return {note_id: seen for note_id, seen in rows.all()}


async def inbox_rows(svc: RunningService, consumer: str) -> int:
    inbox = tables.inbox
    async with svc.context.database.session() as session:
        query = select(func.count()).where(inbox.c.consumer == consumer)
        return int((await session.execute(query)).scalar_one())
