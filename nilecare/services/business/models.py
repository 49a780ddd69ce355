"""The business service's tables, on its own MetaData (with the kernel's outbox, inbox, audit).

Facilities, departments and user accounts belong to other services: they are referenced by id,
without foreign keys.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    SmallInteger,
    String,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from nilecare.kernel.db.base import IdMixin, TimestampMixin, service_metadata
from nilecare.kernel.db.kernel_tables import add_kernel_tables

metadata = service_metadata()
kernel_tables = add_kernel_tables(metadata)


class Base(DeclarativeBase):
    metadata = metadata


class Organization(IdMixin, TimestampMixin, Base):
    __tablename__ = "organizations"

    name: Mapped[str] = mapped_column(String(200))
    name_ar: Mapped[str | None] = mapped_column(String(200), nullable=True)
    registration_number: Mapped[str] = mapped_column(String(64), unique=True)
    phone: Mapped[str | None] = mapped_column(String(16), nullable=True)
    email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    address: Mapped[str | None] = mapped_column(String(500), nullable=True)


class Staff(IdMixin, TimestampMixin, Base):
    __tablename__ = "staff"
    __table_args__ = (UniqueConstraint("kind", "licence_number"),)

    facility_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    organization_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("organizations.id"), nullable=True, index=True
    )
    kind: Mapped[str] = mapped_column(String(32))
    full_name_en: Mapped[str] = mapped_column(String(200))
    full_name_ar: Mapped[str] = mapped_column(String(200))
    licence_number: Mapped[str | None] = mapped_column(String(32), nullable=True)
    # The auth service's user id of the staff member's account, if linked.
    user_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True, unique=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)

    specialty_rows: Mapped[list[StaffSpecialty]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="StaffSpecialty.position"
    )
    department_rows: Mapped[list[StaffDepartment]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="StaffDepartment.position"
    )

    @property
    def specialties(self) -> list[str]:
        return [row.specialty for row in self.specialty_rows]

    @property
    def department_ids(self) -> list[uuid.UUID]:
        return [row.department_id for row in self.department_rows]


class StaffSpecialty(Base):
    __tablename__ = "staff_specialties"

    staff_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("staff.id", ondelete="CASCADE"), primary_key=True
    )
    specialty: Mapped[str] = mapped_column(String(100), primary_key=True)
    position: Mapped[int] = mapped_column(SmallInteger, default=0)


class StaffDepartment(Base):
    """A department of the facility service the staff member works in (by id)."""

    __tablename__ = "staff_departments"

    staff_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("staff.id", ondelete="CASCADE"), primary_key=True
    )
    department_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, index=True)
    position: Mapped[int] = mapped_column(SmallInteger, default=0)


class WorkingHours(IdMixin, Base):
    """A recurring weekly interval: ``weekday`` (0 = Monday), minutes after local midnight."""

    __tablename__ = "staff_working_hours"

    staff_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("staff.id", ondelete="CASCADE"), index=True
    )
    facility_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    weekday: Mapped[int] = mapped_column(SmallInteger)
    start_minute: Mapped[int] = mapped_column(SmallInteger)
    end_minute: Mapped[int] = mapped_column(SmallInteger)
    timezone: Mapped[str] = mapped_column(String(64))


class AvailabilityException(IdMixin, Base):
    """Dates a staff member is unavailable (whole days or part of each day), or works extra."""

    __tablename__ = "staff_availability_exceptions"

    staff_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("staff.id", ondelete="CASCADE"), index=True
    )
    facility_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    kind: Mapped[str] = mapped_column(String(16))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    start_minute: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    end_minute: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    timezone: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str | None] = mapped_column(String(200), nullable=True)


class ChargeItem(IdMixin, TimestampMixin, Base):
    """A priced service of the charge master; the code is unique within a facility."""

    __tablename__ = "charge_items"
    __table_args__ = (UniqueConstraint("facility_id", "code"),)

    facility_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    code: Mapped[str] = mapped_column(String(32))
    name_en: Mapped[str] = mapped_column(String(200))
    name_ar: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(32), index=True)
    price_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    effective_from: Mapped[date] = mapped_column(Date)
    effective_to: Mapped[date | None] = mapped_column(Date, nullable=True)


__all__ = [
    "AvailabilityException",
    "Base",
    "ChargeItem",
    "Organization",
    "Staff",
    "StaffDepartment",
    "StaffSpecialty",
    "WorkingHours",
    "kernel_tables",
    "metadata",
]
