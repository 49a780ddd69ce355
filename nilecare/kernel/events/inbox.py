"""The inbox: a consumer records each event (or task) it applied, in the same transaction as the
effect."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Insert, Table, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from nilecare.kernel.db.kernel_tables import KernelTables
from nilecare.kernel.db.types import utcnow
from nilecare.kernel.events.envelope import Envelope


async def claim_once(
    session: AsyncSession, tables: KernelTables, consumer: str, item_id: uuid.UUID
) -> bool:
    """True if ``consumer`` has not applied ``item_id`` yet; the claim commits with the effect."""
    return bool(await claim_many(session, tables, consumer, [item_id]))


async def claim_event(
    session: AsyncSession, tables: KernelTables, consumer: str, envelope: Envelope
) -> bool:
    """True if this consumer has not applied the event yet (``claim_once`` on its event id)."""
    return await claim_once(session, tables, consumer, envelope.event_id)


async def claim_many(
    session: AsyncSession, tables: KernelTables, consumer: str, item_ids: Sequence[uuid.UUID]
) -> set[uuid.UUID]:
    """The ids of ``item_ids`` that ``consumer`` has not applied yet; their claims commit with the
    effects. A repeat within ``item_ids`` is claimed once.

    Where the database can, one INSERT that skips the ids already claimed returns the new ones. A
    delivery racing another then waits on the unique key until the first commits (and finds it
    claimed) or rolls back (and claims it). Elsewhere (MySQL, no RETURNING) a SELECT finds the
    claimed ids first; two deliveries racing past it collide on the unique key, and the loser's
    transaction fails and is retried, when it sees the claim.
    """
    inbox = tables.inbox
    wanted = list(dict.fromkeys(item_ids))
    if not wanted:
        return set()
    dialect = session.get_bind().dialect
    claim = _insert_skipping_claimed(inbox, dialect.name)
    if claim is not None and dialect.insert_returning:
        claimed = claim.returning(inbox.c.event_id)
        return set((await session.execute(claimed, _claims(consumer, wanted))).scalars())
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
        await session.execute(inbox.insert(), _claims(consumer, new))
    return set(new)


def _claims(consumer: str, item_ids: list[uuid.UUID]) -> list[dict[str, Any]]:
    now = utcnow()
    return [{"consumer": consumer, "event_id": id_, "processed_at": now} for id_ in item_ids]


def _insert_skipping_claimed(inbox: Table, dialect_name: str) -> Insert | None:
    if dialect_name == "postgresql":
        return postgresql.insert(inbox).on_conflict_do_nothing()
    if dialect_name == "sqlite":
        return sqlite.insert(inbox).on_conflict_do_nothing()
    if dialect_name in {"mysql", "mariadb"}:
        # IGNORE also turns other errors into warnings, but a claim row has no other to hit.
        return insert(inbox).prefix_with("IGNORE")
    return None
