"""Declarative base per service, with a naming convention that keeps migrations portable."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import MetaData, Table, Uuid
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from nilecare.kernel.db.types import UTCDateTime, new_id, utcnow

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def service_metadata() -> MetaData:
    """A fresh MetaData for one service's own database."""
    return MetaData(naming_convention=NAMING_CONVENTION)


class IdMixin:
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False
    )


def table_of(model: type[DeclarativeBase]) -> Table:
    """A mapped class's table, for a bulk INSERT of many rows: the ORM's bulk path costs more
    per row than the rest of a consumed event's handling (the column defaults still apply)."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


__all__ = ["DeclarativeBase", "IdMixin", "TimestampMixin", "service_metadata", "table_of"]
