"""The facility service's tables, on its own MetaData (with the kernel's outbox, inbox and
audit). Every row below a facility carries ``facility_id`` so queries filter by scope."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String, UniqueConstraint, Uuid
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from nilecare.kernel.db.base import IdMixin, TimestampMixin, service_metadata
from nilecare.kernel.db.kernel_tables import add_kernel_tables
from nilecare.kernel.db.types import UTCDateTime, utcnow

metadata = service_metadata()
kernel_tables = add_kernel_tables(metadata)


class Base(DeclarativeBase):
    metadata = metadata


class Facility(IdMixin, TimestampMixin, Base):
    __tablename__ = "facilities"

    name: Mapped[str] = mapped_column(String(200))
    code: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(32))
    locality: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(20), nullable=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)


class Department(IdMixin, TimestampMixin, Base):
    __tablename__ = "departments"
    __table_args__ = (UniqueConstraint("facility_id", "code"),)

    facility_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("facilities.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    code: Mapped[str] = mapped_column(String(32))


class Ward(IdMixin, TimestampMixin, Base):
    __tablename__ = "wards"
    __table_args__ = (UniqueConstraint("facility_id", "code"),)

    facility_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("facilities.id"), index=True)
    department_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("departments.id"), nullable=True, index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    code: Mapped[str] = mapped_column(String(32))


class Room(IdMixin, TimestampMixin, Base):
    __tablename__ = "rooms"
    __table_args__ = (UniqueConstraint("ward_id", "label"),)

    facility_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    ward_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("wards.id"), index=True)
    label: Mapped[str] = mapped_column(String(64))


class Bed(IdMixin, TimestampMixin, Base):
    __tablename__ = "beds"
    __table_args__ = (
        UniqueConstraint("ward_id", "label"),
        Index("ix_beds_facility_id_status", "facility_id", "status"),
    )

    facility_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    ward_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("wards.id"), index=True)
    room_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("rooms.id"), nullable=True, index=True
    )
    label: Mapped[str] = mapped_column(String(64))
    # available | occupied | cleaning | out_of_service (domain.TRANSITIONS).
    status: Mapped[str] = mapped_column(String(16), default="available")
    # The current occupant, set with ``occupied`` and cleared on release.
    patient_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    encounter_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    status_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class BedAssignment(IdMixin, Base):
    """Who occupied which bed when: one row per stay in a bed (a transfer closes one and opens
    another)."""

    __tablename__ = "bed_assignments"

    facility_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    bed_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("beds.id"), index=True)
    patient_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    encounter_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime)
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # release | transfer
    release_reason: Mapped[str | None] = mapped_column(String(16), nullable=True)
