"""Events the auth service publishes (the type is the topic)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import ClassVar

from nilecare.kernel.events.envelope import Event


class UserCreated(Event):
    event_type: ClassVar[str] = "user.created"

    user_id: uuid.UUID
    email: str
    full_name: str
    roles: list[str]
    facility_ids: list[uuid.UUID]

    def partition_key(self) -> str:
        return str(self.user_id)


class UserLocked(Event):
    """An account was locked after repeated failed logins (the lock lifts by itself)."""

    event_type: ClassVar[str] = "user.locked"

    user_id: uuid.UUID
    locked_until: datetime
    failures: int

    def partition_key(self) -> str:
        return str(self.user_id)
