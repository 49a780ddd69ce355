"""``/api/v1/roles``: the roles and what each grants."""

from __future__ import annotations

from fastapi import APIRouter

from nilecare.contracts.auth.permissions import AUTH_ROLE_READ
from nilecare.contracts.auth.schemas import RoleRead
from nilecare.kernel.auth.dependencies import SecureRouter, require
from nilecare.services.auth.service import users as service

router: APIRouter = SecureRouter(prefix="/api/v1/roles", tags=["roles"])


@router.get("", dependencies=[require(AUTH_ROLE_READ)], summary="List the roles")
async def list_roles() -> list[RoleRead]:
    return service.list_roles()
