"""HTTP routes of the facility service: ``/api/v1/facilities``, ``/departments``, ``/wards``,
``/rooms`` and ``/beds``."""

from __future__ import annotations

from fastapi import APIRouter

from nilecare.services.facility.api.beds import router as beds_router
from nilecare.services.facility.api.structure import (
    departments_router,
    facilities_router,
    rooms_router,
    wards_router,
)

routers: tuple[APIRouter, ...] = (
    facilities_router,
    departments_router,
    wards_router,
    rooms_router,
    beds_router,
)
