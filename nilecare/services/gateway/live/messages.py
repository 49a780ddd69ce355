"""A live message: one event for one topic, as it travels between gateway processes."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

ALERT_CRITICAL = "alert.critical"
VITALS_UPDATE = "vitals.update"
NOTIFICATION_NEW = "notification.new"
APPOINTMENT_UPDATED = "appointment.updated"


@dataclass(frozen=True)
class LiveMessage:
    event: str
    # The internal topic (``user:<id>`` where the client says ``notifications``).
    topic: str
    # The bus event's id: one event sent on several topics keeps it, so clients drop repeats.
    id: str
    # When the event happened; the ``since`` of a later subscribe is compared with it.
    at: datetime
    # Checked against the receiving user's facilities at delivery (None: a user's own message).
    facility_id: uuid.UUID | None
    data: dict[str, Any]

    def frame(self, client_topic: str) -> dict[str, Any]:
        return {
            "type": "event",
            "event": self.event,
            "topic": client_topic,
            "id": self.id,
            "at": self.at.isoformat(),
            "data": self.data,
        }

    def to_json(self) -> str:
        """Deterministic (sorted keys), so one alert stored twice is one member of a Redis set."""
        return json.dumps(
            {
                "event": self.event,
                "topic": self.topic,
                "id": self.id,
                "at": self.at.isoformat(),
                "facility_id": str(self.facility_id) if self.facility_id else None,
                "data": self.data,
            },
            sort_keys=True,
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, raw: str | bytes) -> LiveMessage:
        """Raises ``ValueError`` (``json.JSONDecodeError`` is one) for anything malformed."""
        try:
            body = json.loads(raw)
            facility = body["facility_id"]
            at = datetime.fromisoformat(body["at"])
            if at.tzinfo is None:
                raise ValueError("a live message's time must carry its offset")
            return cls(
                event=str(body["event"]),
                topic=str(body["topic"]),
                id=str(body["id"]),
                at=at,
                facility_id=uuid.UUID(facility) if facility else None,
                data=dict(body["data"]),
            )
        except (KeyError, TypeError, AttributeError) as exc:
            raise ValueError(f"not a live message: {type(exc).__name__}") from exc
