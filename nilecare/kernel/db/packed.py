"""A run of values bound as one parameter that the statement unpacks (an array on PostgreSQL,
a JSON array on SQLite), rather than a parameter per value: one statement text for any count,
which SQLAlchemy need not expand nor the database parse anew. Per-value parameter handling was
most of the cost of the inbox's and the outbox's statements on runs of 2,000."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Dialect, bindparam, func, type_coerce
from sqlalchemy.dialects import postgresql
from sqlalchemy.types import TypeEngine


def unpacked(name: str, type_: TypeEngine[Any], dialect_name: str) -> ColumnElement[Any] | None:
    """The values bound to parameter ``name`` (by ``packed``) as rows of one column of
    ``type_``; None where the database cannot unpack them."""
    if dialect_name == "postgresql":
        return func.unnest(bindparam(name, type_=postgresql.ARRAY(type_)))
    if dialect_name == "sqlite":
        each = func.json_each(bindparam(name)).table_valued("value")
        return type_coerce(each.c.value, type_)
    return None


def packed(values: Sequence[Any], type_: TypeEngine[Any], dialect: Dialect) -> Any:
    """``values`` as ``unpacked`` takes them: a list for an array, else JSON text of the values
    as a column of ``type_`` stores them."""
    if dialect.name == "postgresql":
        return list(values)
    stored = type_.dialect_impl(dialect).bind_processor(dialect)
    return json.dumps([stored(value) for value in values] if stored else list(values))
