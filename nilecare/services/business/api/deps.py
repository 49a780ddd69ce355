"""Shared pieces of the business routes."""

from __future__ import annotations

from fastapi.routing import APIRoute


def operation_id(route: APIRoute) -> str:
    """Operation ids are the route functions' names: clean names in generated clients."""
    return route.name
