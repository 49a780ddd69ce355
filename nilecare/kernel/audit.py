"""Append-only audit rows, hash-chained per service so an edit or deletion is detectable.

Each row's hash is an HMAC over its content and the previous row's hash, keyed with a secret that
is not in the database: someone who can write the table cannot forge a consistent chain. A head row
holds the latest sequence number and hash, so removing the newest rows is detected too; updating it
first also serializes writers, keeping the chain linear.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from nilecare.kernel.db.kernel_tables import KernelTables
from nilecare.kernel.db.types import utcnow

Outcome = Literal["success", "denied", "failure"]


@dataclass(frozen=True)
class AuditEntry:
    action: str
    resource_type: str
    resource_id: str | None = None
    outcome: Outcome = "success"
    patient_id: str | None = None
    facility_id: str | None = None
    actor_id: str | None = None
    ip: str | None = None
    request_id: str | None = None
    details: dict[str, Any] = field(default_factory=dict)


def _canonical(row: dict[str, Any]) -> bytes:
    def encode(value: Any) -> Any:
        if isinstance(value, datetime):
            return value.isoformat()
        if isinstance(value, uuid.UUID):
            return str(value)
        return value

    content = {k: encode(v) for k, v in row.items()}
    return json.dumps(content, sort_keys=True, separators=(",", ":")).encode()


_HASHED = (
    "seq",
    "event_id",
    "occurred_at",
    "actor_id",
    "action",
    "resource_type",
    "resource_id",
    "patient_id",
    "facility_id",
    "outcome",
    "ip",
    "request_id",
    "details",
    "prev_hash",
)


def chain_hash(key: bytes, row: dict[str, Any]) -> str:
    content = {name: row.get(name) for name in _HASHED}
    return hmac.new(key, _canonical(content), hashlib.sha256).hexdigest()


async def append_audit(
    session: AsyncSession, tables: KernelTables, key: bytes, entries: list[AuditEntry]
) -> None:
    """Append entries in the caller's transaction."""
    if not entries:
        return
    head = tables.audit_chain_head
    await session.execute(update(head).where(head.c.id == 1).values(seq=head.c.seq + len(entries)))
    last_seq, prev_hash = (await session.execute(select(head.c.seq, head.c.hash))).one()
    seq = last_seq - len(entries)
    rows = []
    for entry in entries:
        seq += 1
        row: dict[str, Any] = {
            "seq": seq,
            "event_id": uuid.uuid4(),
            "occurred_at": utcnow(),
            "actor_id": entry.actor_id,
            "action": entry.action,
            "resource_type": entry.resource_type,
            "resource_id": entry.resource_id,
            "patient_id": entry.patient_id,
            "facility_id": entry.facility_id,
            "outcome": entry.outcome,
            "ip": entry.ip,
            "request_id": entry.request_id,
            "details": entry.details or None,
            "prev_hash": prev_hash,
        }
        row["hash"] = prev_hash = chain_hash(key, row)
        rows.append(row)
    await session.execute(tables.audit_events.insert(), rows)
    await session.execute(update(head).where(head.c.id == 1).values(hash=prev_hash))


@dataclass(frozen=True)
class ChainReport:
    rows: int
    ok: bool
    problems: list[str]


async def _rows(conn: AsyncConnection, tables: KernelTables) -> AsyncIterator[dict[str, Any]]:
    result = await conn.stream(select(tables.audit_events).order_by(tables.audit_events.c.seq))
    async for row in result.mappings():
        yield dict(row)


async def verify_chain(conn: AsyncConnection, tables: KernelTables, key: bytes) -> ChainReport:
    """Walk the chain; report edited rows, gaps (deleted rows) and a head that does not match."""
    problems: list[str] = []
    expected_seq, prev_hash, count = 1, None, 0
    head_seq, head_hash = (
        await conn.execute(select(tables.audit_chain_head.c.seq, tables.audit_chain_head.c.hash))
    ).one()
    async for row in _rows(conn, tables):
        count += 1
        if row["seq"] != expected_seq:
            problems.append(f"rows {expected_seq}..{row['seq'] - 1} are missing")
        if prev_hash is not None and row["prev_hash"] != prev_hash:
            problems.append(f"row {row['seq']} does not link to the row before it")
        if chain_hash(key, row) != row["hash"]:
            problems.append(f"row {row['seq']} was altered")
        prev_hash, expected_seq = row["hash"], row["seq"] + 1
    if head_seq != expected_seq - 1 or (prev_hash is not None and head_hash != prev_hash):
        problems.append(f"the chain head says {head_seq} rows; the newest rows were removed")
    return ChainReport(rows=count, ok=not problems, problems=problems)
