"""Topic names: what a client subscribes to and what the gateway publishes on.

A client names ``patient:<uuid>``, ``ward:<uuid>``, ``facility:<uuid>`` or ``notifications``
(its own user's messages, published on ``user:<its id>``). Ids must be canonical lowercase UUIDs,
so the topic a frame names is exactly the one the client subscribed to.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Literal

NOTIFICATIONS = "notifications"

Kind = Literal["patient", "ward", "facility", "user"]
_CLIENT_KINDS: dict[str, Kind] = {"patient": "patient", "ward": "ward", "facility": "facility"}


class TopicError(ValueError):
    """The client named no topic this gateway publishes on."""


@dataclass(frozen=True)
class Topic:
    kind: Kind
    id: uuid.UUID

    @property
    def name(self) -> str:
        return f"{self.kind}:{self.id}"

    @property
    def client_name(self) -> str:
        return NOTIFICATIONS if self.kind == "user" else self.name


def patient_topic(patient_id: uuid.UUID) -> str:
    return Topic("patient", patient_id).name


def ward_topic(ward_id: uuid.UUID) -> str:
    return Topic("ward", ward_id).name


def facility_topic(facility_id: uuid.UUID) -> str:
    return Topic("facility", facility_id).name


def user_topic(user_id: uuid.UUID) -> str:
    return Topic("user", user_id).name


def parse_client_topic(text: str, user_id: uuid.UUID) -> Topic:
    if text == NOTIFICATIONS:
        return Topic("user", user_id)
    prefix, sep, raw_id = text.partition(":")
    kind = _CLIENT_KINDS.get(prefix)
    if not sep or kind is None:
        raise TopicError("A topic is patient:<id>, ward:<id>, facility:<id> or notifications")
    try:
        topic_id = uuid.UUID(raw_id)
    except ValueError:
        raise TopicError(f"The {kind} id is not a UUID") from None
    if str(topic_id) != raw_id:
        raise TopicError(f"Write the {kind} id as a lowercase UUID with hyphens")
    return Topic(kind, topic_id)
