"""The frames a client may send (JSON text), validated into one of three shapes."""

from __future__ import annotations

import json
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, Field, TypeAdapter, ValidationError

MAX_TOPIC_LENGTH = 100


class SubscribeFrame(BaseModel):
    type: Literal["subscribe"]
    topic: str = Field(max_length=MAX_TOPIC_LENGTH)
    # The ``at`` of the newest event the client has; alerts after it are sent again.
    since: AwareDatetime | None = None


class UnsubscribeFrame(BaseModel):
    type: Literal["unsubscribe"]
    topic: str = Field(max_length=MAX_TOPIC_LENGTH)


class PingFrame(BaseModel):
    type: Literal["ping"]


ClientFrame = SubscribeFrame | UnsubscribeFrame | PingFrame

_FRAMES: TypeAdapter[ClientFrame] = TypeAdapter(Annotated[ClientFrame, Field(discriminator="type")])


class FrameError(ValueError):
    """The frame is not one the protocol knows: ``detail`` says why, ``topic`` is the topic it
    names (if a string), so the client can tell which subscription failed."""

    def __init__(self, detail: str, topic: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.topic = topic


def parse_frame(text: str) -> ClientFrame:
    try:
        body = json.loads(text)
    except ValueError:
        raise FrameError("A frame is a JSON object") from None
    topic = body.get("topic") if isinstance(body, dict) else None
    topic = topic if isinstance(topic, str) and len(topic) <= MAX_TOPIC_LENGTH else None
    try:
        return _FRAMES.validate_python(body)
    except ValidationError as exc:
        first = exc.errors(include_url=False, include_input=False)[0]
        where = ".".join(str(part) for part in first["loc"])
        raise FrameError(f"{where}: {first['msg']}" if where else first["msg"], topic) from None
