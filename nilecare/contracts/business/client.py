"""Typed client for the business service's HTTP API (staff, availability, charge master)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from nilecare.contracts.business.schemas import (
    DEFAULT_TIMEZONE,
    AvailabilityRead,
    ChargeItemPage,
    ChargeItemRead,
    StaffKind,
    StaffPage,
    StaffRead,
)
from nilecare.kernel.http.client import ServiceClient


def _params(**values: Any) -> dict[str, Any]:
    return {key: str(value) for key, value in values.items() if value is not None}


class BusinessClient:
    def __init__(self, client: ServiceClient) -> None:
        self._client = client

    async def get_staff(self, staff_id: uuid.UUID, *, token: str | None = None) -> StaffRead:
        body = await self._client.json("GET", f"/api/v1/staff/{staff_id}", token=token)
        return StaffRead.model_validate(body)

    async def list_staff(
        self,
        *,
        facility_id: uuid.UUID | None = None,
        kind: StaffKind | None = None,
        department_id: uuid.UUID | None = None,
        specialty: str | None = None,
        active: bool | None = None,
        q: str | None = None,
        user_id: uuid.UUID | None = None,
        limit: int = 50,
        offset: int = 0,
        token: str | None = None,
    ) -> StaffPage:
        params = _params(
            facility_id=facility_id,
            kind=kind.value if kind is not None else None,
            department_id=department_id,
            specialty=specialty,
            active=None if active is None else str(active).lower(),
            q=q,
            user_id=user_id,
            limit=limit,
            offset=offset,
        )
        body = await self._client.json("GET", "/api/v1/staff", params=params, token=token)
        return StaffPage.model_validate(body)

    async def staff_availability(
        self,
        staff_id: uuid.UUID,
        from_date: date,
        to_date: date,
        *,
        timezone: str = DEFAULT_TIMEZONE,
        token: str | None = None,
    ) -> AvailabilityRead:
        """The staff member's concrete working windows over the dates (inclusive, local to
        ``timezone``): the weekly pattern with exceptions applied."""
        params = _params(from_date=from_date, to_date=to_date, timezone=timezone)
        body = await self._client.json(
            "GET", f"/api/v1/staff/{staff_id}/availability", params=params, token=token
        )
        return AvailabilityRead.model_validate(body)

    async def on_duty_staff(
        self,
        facility_id: uuid.UUID,
        *,
        department_id: uuid.UUID | None = None,
        kinds: Sequence[StaffKind | str] = ("nurse",),
        at: datetime | None = None,
        token: str | None = None,
    ) -> list[StaffRead]:
        """Active staff of the facility (and department) whose working hours cover ``at``
        (default now); an empty ``kinds`` means every kind."""
        params: dict[str, Any] = _params(
            facility_id=facility_id,
            department_id=department_id,
            at=at.isoformat() if at is not None else None,
        )
        # A repeated query parameter, one per kind.
        params["kind"] = [StaffKind(kind).value for kind in kinds]
        body = await self._client.json("GET", "/api/v1/staff/on-duty", params=params, token=token)
        return [StaffRead.model_validate(item) for item in body]

    async def get_charge_item(
        self, charge_item_id: uuid.UUID, *, token: str | None = None
    ) -> ChargeItemRead:
        body = await self._client.json("GET", f"/api/v1/charge-items/{charge_item_id}", token=token)
        return ChargeItemRead.model_validate(body)

    async def list_charge_items(
        self,
        *,
        facility_id: uuid.UUID | None = None,
        code: str | None = None,
        q: str | None = None,
        category: str | None = None,
        active: bool | None = None,
        effective_on: date | None = None,
        limit: int = 50,
        offset: int = 0,
        token: str | None = None,
    ) -> ChargeItemPage:
        params = _params(
            facility_id=facility_id,
            code=code,
            q=q,
            category=category,
            active=None if active is None else str(active).lower(),
            effective_on=effective_on,
            limit=limit,
            offset=offset,
        )
        body = await self._client.json("GET", "/api/v1/charge-items", params=params, token=token)
        return ChargeItemPage.model_validate(body)
