"""The inbox: a consumer records each event (or task) it applied, in the same transaction as the
effect."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from nilecare.kernel.db.kernel_tables import KernelTables
from nilecare.kernel.db.types import utcnow
from nilecare.kernel.events.envelope import Envelope


async def claim_once(
    session: AsyncSession, tables: KernelTables, consumer: str, item_id: uuid.UUID
) -> bool:
    """True if ``consumer`` has not applied ``item_id`` yet; the claim commits with the effect.

    Two deliveries racing past the check collide on the unique key, and the loser's transaction
    fails and is retried, when it sees the claim and returns False.
    """
    inbox = tables.inbox
    seen = await session.execute(
        select(inbox.c.seq).where(inbox.c.consumer == consumer, inbox.c.event_id == item_id)
    )
    if seen.first() is not None:
        return False
    await session.execute(
        inbox.insert().values(consumer=consumer, event_id=item_id, processed_at=utcnow())
    )
    return True


async def claim_event(
    session: AsyncSession, tables: KernelTables, consumer: str, envelope: Envelope
) -> bool:
    """True if this consumer has not applied the event yet (``claim_once`` on its event id)."""
    return await claim_once(session, tables, consumer, envelope.event_id)
