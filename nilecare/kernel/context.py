"""Per-request values carried across awaits: request id, trace context and the caller's token.

The HTTP client forwards them to the next service; logs pick up the ids. Work no user asked for
(an event consumer, a task) runs in a context naming its service instead of a caller's token:
calls it makes to other services then carry that service's own token.
"""

from __future__ import annotations

import contextlib
import re
import secrets
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
_TRACEPARENT = re.compile(r"^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$")


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    traceparent: str
    bearer_token: str | None = None
    client_ip: str | None = None
    # The service this code runs on behalf of, when no user's request started it.
    service: str | None = None

    @property
    def trace_id(self) -> str:
        return self.traceparent.split("-")[1]


_context: ContextVar[RequestContext | None] = ContextVar("nilecare_request", default=None)


def current_context() -> RequestContext | None:
    return _context.get()


def current_request_id() -> str | None:
    ctx = _context.get()
    return ctx.request_id if ctx else None


def set_context(ctx: RequestContext | None) -> object:
    return _context.set(ctx)


def reset_context(token: object) -> None:
    _context.reset(token)  # type: ignore[arg-type]


@contextlib.contextmanager
def acting_as_service(
    service: str, *, request_id: str | None = None, traceparent: str | None = None
) -> Iterator[RequestContext]:
    """Run the block on behalf of ``service``, continuing the request id and trace that led to it
    (an event's correlation id and traceparent) when there are any."""
    ctx = RequestContext(
        request_id=accept_request_id(request_id),
        traceparent=child_traceparent(traceparent),
        service=service,
    )
    token = _context.set(ctx)
    try:
        yield ctx
    finally:
        _context.reset(token)


def accept_request_id(value: str | None) -> str:
    """Keep a caller's request id when it is well formed; never log attacker-chosen junk."""
    if value and _REQUEST_ID.match(value):
        return value
    return secrets.token_hex(16)


def child_traceparent(value: str | None) -> str:
    """Continue the caller's W3C trace with a new span id, or start a new trace."""
    match = _TRACEPARENT.match(value or "")
    trace_id = match.group(1) if match else secrets.token_hex(16)
    flags = match.group(3) if match else "01"
    return f"00-{trace_id}-{secrets.token_hex(8)}-{flags}"
