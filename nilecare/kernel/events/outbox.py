"""The transactional outbox: events are rows written with the change that caused them.

``OutboxRelay`` ships the rows to the bus in order, a claimed batch at a time (``publish_many``),
and deletes them once the bus has them: the outbox holds only what is still to go, so it stays
small however many events a service has ever published. On PostgreSQL and MySQL/MariaDB it
claims rows with ``FOR UPDATE SKIP LOCKED``, so several replicas can relay at once. A row is
deleted only after the bus has it, so a relay killed in between sends it again, and consumers'
inboxes drop the repeat. While the bus is down rows stay and the outbox grows; it drains in order
when it returns.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import structlog
from sqlalchemy import Row, Text, cast, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from nilecare.kernel.background import BackgroundLoop
from nilecare.kernel.db.engine import Database
from nilecare.kernel.db.kernel_tables import KernelTables
from nilecare.kernel.db.packed import packed, unpacked
from nilecare.kernel.db.types import utcnow
from nilecare.kernel.events.bus import EventBus
from nilecare.kernel.events.envelope import EncodedEvent, Envelope
from nilecare.kernel.observability.metrics import OUTBOX_PUBLISHED

log = structlog.get_logger("nilecare.outbox")

# seq, event_id, event_type, event_key, the envelope's JSON text
_Claimed = Row[int, uuid.UUID, str, str | None, str]


@dataclass
class _Batch:
    """Claimed rows and, where rows are locked, the open transaction that holds them."""

    rows: Sequence[_Claimed]
    session: AsyncSession | None = None

    # The session is closed even if the commit or rollback is cancelled midway (the relay
    # stopping): a connection left checked out keeps its locks, and on MariaDB its metadata
    # locks block DROP DATABASE for good.
    async def commit(self) -> None:
        if self.session is not None:
            try:
                await self.session.commit()
            finally:
                await self.session.close()

    async def release(self) -> None:
        """Roll back: the rows stay unsent and unlocked."""
        if self.session is not None:
            try:
                await self.session.rollback()
            finally:
                await self.session.close()


async def write_outbox(
    session: AsyncSession, tables: KernelTables, envelopes: list[Envelope]
) -> None:
    if not envelopes:
        return
    now = utcnow()
    rows: list[dict[str, Any]] = [
        {
            "event_id": env.event_id,
            "event_type": env.type,
            "event_key": env.key,
            "envelope": env.model_dump(mode="json"),
            "created_at": now,
            "attempts": 0,
        }
        for env in envelopes
    ]
    await session.execute(tables.outbox.insert(), rows)


class OutboxRelay(BackgroundLoop):
    def __init__(
        self,
        service: str,
        db: Database,
        tables: KernelTables,
        bus: EventBus,
        *,
        batch_size: int = 2000,
        poll_interval: float = 1.0,
    ) -> None:
        self.service = service
        self.db = db
        self.tables = tables
        self.bus = bus
        self.batch_size = batch_size
        self.poll_interval = poll_interval
        self._wake = asyncio.Event()
        super().__init__(f"outbox-relay-{service}")

    def wake(self) -> None:
        """Called after a commit that wrote events, so they leave without waiting for a poll."""
        self._wake.set()

    async def relay_once(self) -> int:
        """Relay one batch; returns how many rows the bus took (and are deleted)."""
        batch = await self._claim()
        if batch is None:
            return 0
        try:
            sent = await self._publish(batch.rows)
        except BaseException:
            await batch.release()
            raise
        await self._finish(batch, sent)
        return len(sent)

    async def drain(self) -> int:
        """Relay until the outbox is empty or the bus fails; returns how many rows it took.

        The next batch is claimed, and the previous one deleted, while a batch's acks are
        awaited: the database's and the broker's round trips overlap. A batch goes to the bus
        only once the one before it is stored, so one key's events keep their order; after a
        failure the batch claimed ahead is let go unsent."""
        total = 0
        batch = await self._claim()
        settling: asyncio.Task[None] | None = None
        following: _Batch | None = None
        publishing: asyncio.Task[list[int]] | None = None
        try:
            while batch is not None:
                publishing = asyncio.create_task(self._publish(batch.rows))
                following = await self._claim(after=batch.rows[-1].seq)
                if settling is not None:
                    await settling
                sent = await publishing
                publishing = None
                total += len(sent)
                settling = asyncio.create_task(self._finish(batch, sent))
                if len(sent) < len(batch.rows):
                    break
                batch, following = following, None
        finally:
            if publishing is not None:
                # Cancelled (the relay stops) while the bus had the batch: it stays and goes
                # again; the inbox drops the repeat.
                publishing.cancel()
                await asyncio.gather(publishing, return_exceptions=True)
                if batch is not None:
                    await batch.release()
            if following is not None:
                await following.release()
            if settling is not None:
                await settling
        return total

    async def _claim(self, *, after: int | None = None) -> _Batch | None:
        """The oldest rows (after ``after`` on SQLite, where nothing locks the rows of the batch
        in flight; elsewhere those rows are locked and skipped)."""
        outbox = self.tables.outbox
        query = (
            select(
                outbox.c.seq,
                outbox.c.event_id,
                outbox.c.event_type,
                outbox.c.event_key,
                # The stored JSON text, unparsed.
                cast(outbox.c.envelope, Text).label("json"),
            )
            .order_by(outbox.c.seq)
            .limit(self.batch_size)
        )
        if not self.db.supports_skip_locked:
            # SQLite has one writer: hold no transaction while consumers (maybe in this very
            # database) handle the events, and take the write lock only to delete rows, so that
            # an idle relay never queues behind (or times out on) a long write transaction.
            # SQLite runs in one process, so no other relay races, and its writers commit in
            # seq order, so nothing unsent is left behind ``after``.
            if after is not None:
                query = query.where(outbox.c.seq > after)
            async with self.db.reading() as conn:
                rows = (await conn.execute(query)).all()
            return _Batch(rows) if rows else None
        # Row locks only, at READ COMMITTED (``Database`` sets it on MySQL/MariaDB too).
        session = self.db.session()
        try:
            rows = (await session.execute(query.with_for_update(skip_locked=True))).all()
        except BaseException:
            await _Batch([], session).release()
            raise
        if not rows:
            await _Batch(rows, session).release()
            return None
        return _Batch(rows, session)

    async def _finish(self, batch: _Batch, sent: list[int]) -> None:
        """Settle the batch, in the claim's transaction where there is one."""
        if batch.session is None:
            async with self.db.session() as session, session.begin():
                await self._settle(session, batch.rows, sent)
        else:
            try:
                await self._settle(batch.session, batch.rows, sent)
            except BaseException:
                await batch.release()
                raise
            await batch.commit()
        if sent:
            OUTBOX_PUBLISHED.labels(self.service).inc(len(sent))

    async def _publish(self, rows: Sequence[_Claimed]) -> list[int]:
        """The rows the bus took, in order; those from the first failure on stay for later."""
        # By position: a Row's attribute lookups cost 2.3 us a row, five times the rest.
        stored = await self.bus.publish_many([EncodedEvent(*row[1:]) for row in rows])
        if stored < len(rows):
            log.warning("outbox_publish_failed", service=self.service, seq=rows[stored][0])
        return [row[0] for row in rows[:stored]]

    async def _settle(
        self, session: AsyncSession, rows: Sequence[_Claimed], sent: list[int]
    ) -> None:
        """Delete what the bus took; count a try against the first row it did not."""
        outbox = self.tables.outbox
        dialect = session.get_bind().dialect
        seqs = unpacked("seqs", outbox.c.seq.type, dialect.name)
        if sent and seqs is not None:
            await session.execute(
                delete(outbox).where(outbox.c.seq.in_(select(seqs))),
                {"seqs": packed(sent, outbox.c.seq.type, dialect)},
            )
        elif sent:
            # The LIMIT has MySQL/MariaDB look the rows up by key: scanning a small table, the
            # DELETE would wait on the rows another claim holds (an UPDATE would skip them).
            await session.execute(
                delete(outbox)
                .where(outbox.c.seq.in_(sent))
                .with_dialect_options(mysql_limit=len(sent), mariadb_limit=len(sent))
            )
        if len(sent) < len(rows):
            await session.execute(
                update(outbox)
                .where(outbox.c.seq == rows[len(sent)][0])
                .values(attempts=outbox.c.attempts + 1)
            )

    async def run(self) -> None:
        try:
            # Connect now rather than on the first event; a broker that is down only delays it.
            await self.bus.start()
        except Exception as exc:
            log.warning("event_bus_unavailable", service=self.service, error=type(exc).__name__)
        backoff = self.poll_interval
        while True:
            try:
                await self.drain()
                backoff = self.poll_interval
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("outbox_relay_failed", service=self.service, error=type(exc).__name__)
                backoff = min(backoff * 2, 30.0)
            # asyncio.timeout, not wait_for: on 3.11 wait_for can swallow a cancellation that
            # arrives as the event fires, and stop() would then wait forever.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(backoff):
                    await self._wake.wait()
            self._wake.clear()
