"""Facility scope: the facilities a caller may see, applied where data is read (fails closed)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, false, true

from nilecare.kernel.auth.principal import Principal


@dataclass(frozen=True)
class FacilityScope:
    """Every facility (cross-facility roles, the system itself) or an explicit set; an empty set
    sees nothing."""

    all_facilities: bool
    facility_ids: frozenset[uuid.UUID]

    @classmethod
    def of(cls, principal: Principal | None) -> FacilityScope:
        if principal is None:
            return cls(False, frozenset())
        return cls(principal.all_facilities, principal.facility_ids)

    @classmethod
    def everything(cls) -> FacilityScope:
        """For the service's own jobs and consumers, never for a caller's request."""
        return cls(True, frozenset())

    def allows(self, facility_id: uuid.UUID | None) -> bool:
        if facility_id is None:
            return False
        return self.all_facilities or facility_id in self.facility_ids

    def condition(self, column: Any) -> ColumnElement[bool]:
        """A WHERE clause restricting ``column`` (a facility id column) to this scope."""
        if self.all_facilities:
            return true()
        if not self.facility_ids:
            return false()
        return column.in_(sorted(self.facility_ids))  # type: ignore[no-any-return]
