"""HTTP routes of the business service: ``/api/v1/organizations``, ``/api/v1/staff``,
``/api/v1/charge-items``."""

from __future__ import annotations

from fastapi import APIRouter

from nilecare.services.business.api.charge_items import router as charge_items_router
from nilecare.services.business.api.organizations import router as organizations_router
from nilecare.services.business.api.staff import router as staff_router

routers: tuple[APIRouter, ...] = (organizations_router, staff_router, charge_items_router)
