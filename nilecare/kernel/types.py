"""Small value types shared by every service."""

from __future__ import annotations

import re
from typing import Annotated, Generic, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

T = TypeVar("T")

DEFAULT_CURRENCY = "SDG"

_PHONE_SEPARATORS = re.compile(r"[\s\-().]")


def normalize_sudan_phone(value: str) -> str:
    """``+249XXXXXXXXX`` (E.164) from the international or national (``0`` + 9 digits) form;
    ValueError otherwise."""
    raw = _PHONE_SEPARATORS.sub("", value)
    if raw.startswith("00249"):
        raw = "+249" + raw[5:]
    elif raw.startswith("0") and len(raw) == 10:
        raw = "+249" + raw[1:]
    if not re.fullmatch(r"\+249[1-9][0-9]{8}", raw):
        raise ValueError("a Sudanese phone number is +249 followed by 9 digits (or 0 + 9 digits)")
    return raw


# A Sudanese phone number, stored and returned as +249 and 9 digits.
SudanPhone = Annotated[str, Field(max_length=32), AfterValidator(normalize_sudan_phone)]

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
