"""Tables every service database carries: outbox, inbox and the hash-chained audit trail."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import (
    BigInteger,
    Column,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
)

from nilecare.kernel.db.types import JSONDocument, UTCDateTime

# SQLite only auto-increments an INTEGER PRIMARY KEY.
SequenceInteger = BigInteger().with_variant(Integer(), "sqlite")

GENESIS_HASH = "0" * 64


@dataclass(frozen=True)
class KernelTables:
    outbox: Table
    inbox: Table
    audit_events: Table
    audit_chain_head: Table


def add_kernel_tables(metadata: MetaData) -> KernelTables:
    """Define the kernel tables on a service's MetaData (its migrations create them)."""
    outbox = Table(
        "outbox",
        metadata,
        Column("seq", SequenceInteger, primary_key=True, autoincrement=True),
        Column("event_id", Uuid, nullable=False, unique=True),
        Column("event_type", String(128), nullable=False),
        Column("event_key", String(128), nullable=True),
        Column("envelope", JSONDocument, nullable=False),
        Column("created_at", UTCDateTime, nullable=False),
        # The relay deletes a row once the bus has it; this counts the tries that failed.
        Column("attempts", Integer, nullable=False, default=0),
    )
    inbox = Table(
        "inbox",
        metadata,
        Column("seq", SequenceInteger, primary_key=True, autoincrement=True),
        Column("consumer", String(128), nullable=False),
        Column("event_id", Uuid, nullable=False),
        Column("processed_at", UTCDateTime, nullable=False),
        UniqueConstraint("consumer", "event_id"),
    )
    audit_events = Table(
        "audit_events",
        metadata,
        Column("seq", BigInteger, primary_key=True, autoincrement=False),
        Column("event_id", Uuid, nullable=False, unique=True),
        Column("occurred_at", UTCDateTime, nullable=False, index=True),
        Column("actor_id", String(64), nullable=True, index=True),
        Column("action", String(128), nullable=False),
        Column("resource_type", String(64), nullable=False),
        Column("resource_id", String(64), nullable=True),
        Column("patient_id", String(64), nullable=True, index=True),
        Column("facility_id", String(64), nullable=True),
        Column("outcome", String(16), nullable=False),
        Column("ip", String(64), nullable=True),
        Column("request_id", String(64), nullable=True),
        Column("details", JSONDocument, nullable=True),
        Column("prev_hash", String(64), nullable=False),
        Column("hash", String(64), nullable=False),
    )
    audit_chain_head = Table(
        "audit_chain_head",
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=False),
        Column("seq", BigInteger, nullable=False),
        Column("hash", String(64), nullable=False),
        Column("note", Text, nullable=True),
    )
    return KernelTables(outbox, inbox, audit_events, audit_chain_head)
