"""Small value types shared by every service."""

from __future__ import annotations

from typing import Annotated, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")

DEFAULT_CURRENCY = "SDG"

PageLimit = Annotated[int, Field(ge=1, le=200)]
PageOffset = Annotated[int, Field(ge=0, le=1_000_000)]


class Money(BaseModel):
    """An amount in integer minor units (piastres for SDG) with its ISO 4217 currency."""

    model_config = ConfigDict(frozen=True)

    amount_minor: int
    currency: str = Field(default=DEFAULT_CURRENCY, pattern=r"^[A-Z]{3}$")


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int
