"""Who is calling: the verified claims of an access token."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

ALL_PERMISSIONS = "*"


@dataclass(frozen=True)
class Principal:
    user_id: uuid.UUID
    email: str | None
    roles: frozenset[str]
    permissions: frozenset[str]
    facility_ids: frozenset[uuid.UUID]
    # Cross-facility roles (super admin, medical director, compliance) see every facility.
    all_facilities: bool
    session_id: str | None
    token_id: str
    expires_at: int
    # The calling service's name when this is a service token (see ``service_tokens``).
    service: str | None = None

    def has(self, permission: str) -> bool:
        return permission in self.permissions or ALL_PERMISSIONS in self.permissions

    def can_access_facility(self, facility_id: uuid.UUID | None) -> bool:
        if facility_id is None:
            return False
        return self.all_facilities or facility_id in self.facility_ids
