"""A small service used to test the kernel: notes with an audit trail and events."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Annotated, ClassVar

from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy import String, insert, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from nilecare.kernel.auth.dependencies import PUBLIC, SecureRouter, require
from nilecare.kernel.auth.principal import Principal
from nilecare.kernel.config import service_settings_class
from nilecare.kernel.db.base import IdMixin, TimestampMixin, service_metadata, table_of
from nilecare.kernel.db.kernel_tables import add_kernel_tables
from nilecare.kernel.errors import NotFound
from nilecare.kernel.events.envelope import Envelope, Event
from nilecare.kernel.service import Consumer, ServiceSpec, UoW
from nilecare.kernel.uow import UnitOfWork

metadata = service_metadata()
tables = add_kernel_tables(metadata)


class Base(DeclarativeBase):
    metadata = metadata


class Note(IdMixin, TimestampMixin, Base):
    __tablename__ = "notes"
    text: Mapped[str] = mapped_column(String(200))
    seen_events: Mapped[int] = mapped_column(default=0)


class ReceivedEvent(IdMixin, Base):
    """One row per event a consumer applied: the shape of most consumers' effect (they record
    something, as the notification service records a request)."""

    __tablename__ = "received_events"
    event_id: Mapped[uuid.UUID] = mapped_column(unique=True)
    key: Mapped[str | None] = mapped_column(String(128))


async def record_received(uow: UnitOfWork, envelope: Envelope) -> None:
    uow.session.add(ReceivedEvent(event_id=envelope.event_id, key=envelope.key))


async def record_all_received(uow: UnitOfWork, envelopes: Sequence[Envelope]) -> None:
    """``record_received`` for a run of events, in one INSERT."""
    rows = [{"event_id": envelope.event_id, "key": envelope.key} for envelope in envelopes]
    await uow.session.execute(insert(table_of(ReceivedEvent)), rows)


class NoteWritten(Event):
    event_type: ClassVar[str] = "sample.note.written"
    note_id: uuid.UUID

    def partition_key(self) -> str:
        return str(self.note_id)


class NoteCreate(BaseModel):
    text: str


class NoteRead(BaseModel):
    id: uuid.UUID
    text: str
    seen_events: int


router: APIRouter = SecureRouter(prefix="/api/v1/notes")
NOTE_WRITE = "sample.note.write"


@router.post("", status_code=201)
async def create_note(
    data: NoteCreate, uow: UoW, principal: Annotated[Principal, require(NOTE_WRITE)]
) -> NoteRead:
    note = Note(text=data.text)
    uow.session.add(note)
    await uow.session.flush()
    uow.publish(NoteWritten(note_id=note.id))
    uow.audit("note.create", "note", note.id)
    await uow.commit()
    return NoteRead(id=note.id, text=note.text, seen_events=note.seen_events)


@router.get("/{note_id}", dependencies=[PUBLIC])
async def get_note(note_id: uuid.UUID, uow: UoW) -> NoteRead:
    note = (await uow.session.execute(select(Note).where(Note.id == note_id))).scalar_one_or_none()
    if note is None:
        raise NotFound("No such note")
    return NoteRead(id=note.id, text=note.text, seen_events=note.seen_events)


@router.get("/boom/now", dependencies=[PUBLIC])
async def explode() -> None:
    raise RuntimeError("secret internal detail")


async def count_note_event(uow: UnitOfWork, envelope: Envelope) -> None:
    payload = envelope.payload(NoteWritten)
    note = await uow.session.get(Note, payload.note_id)
    if note is not None:
        note.seen_events += 1


SERVICE = ServiceSpec(
    name="sample",
    title="Sample",
    description="Kernel test service",
    port=0,
    prefixes=("notes",),
    routers=(router,),
    settings_class=service_settings_class("sample"),
    metadata=metadata,
    tables=tables,
    consumers=(Consumer(NoteWritten.event_type, "count", count_note_event),),
)
