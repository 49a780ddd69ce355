"""The inbox: a consumer records each event (or task) it applied, in the same transaction as the
effect."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

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


async def claim_many(
    session: AsyncSession, tables: KernelTables, consumer: str, item_ids: Sequence[uuid.UUID]
) -> set[uuid.UUID]:
    """The ids of ``item_ids`` that ``consumer`` has not applied yet, claimed in one SELECT and one
    multi-row INSERT; the claims commit with the effects. A repeat within ``item_ids`` is claimed
    once. A delivery racing past the check collides on the unique key as in ``claim_once``."""
    inbox = tables.inbox
    wanted = list(dict.fromkeys(item_ids))
    if not wanted:
        return set()
    seen = set(
        (
            await session.execute(
                select(inbox.c.event_id).where(
                    inbox.c.consumer == consumer, inbox.c.event_id.in_(wanted)
                )
            )
        ).scalars()
    )
    new = [item_id for item_id in wanted if item_id not in seen]
    if new:
        now = utcnow()
        await session.execute(
            inbox.insert(),
            [{"consumer": consumer, "event_id": item_id, "processed_at": now} for item_id in new],
        )
    return set(new)
