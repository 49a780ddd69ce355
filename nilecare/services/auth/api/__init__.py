"""HTTP routes of the auth service: ``/api/v1/auth``, ``/api/v1/users``, ``/api/v1/roles``."""

from __future__ import annotations

from fastapi import APIRouter

from nilecare.services.auth.api.auth import router as auth_router
from nilecare.services.auth.api.roles import router as roles_router
from nilecare.services.auth.api.users import router as users_router

routers: tuple[APIRouter, ...] = (auth_router, users_router, roles_router)
