"""Moved to ``nilecare.kernel.context``; kept until every import is updated."""

from nilecare.kernel.context import (
    RequestContext,
    accept_request_id,
    child_traceparent,
    current_context,
    current_request_id,
    reset_context,
    set_context,
)

__all__ = [
    "RequestContext",
    "accept_request_id",
    "child_traceparent",
    "current_context",
    "current_request_id",
    "reset_context",
    "set_context",
]
