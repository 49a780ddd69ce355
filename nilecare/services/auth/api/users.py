"""``/api/v1/users``: user administration."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from nilecare.contracts.auth.permissions import AUTH_ROLE_MANAGE, AUTH_USER_MANAGE, AUTH_USER_READ
from nilecare.contracts.auth.schemas import (
    UserCreate,
    UserPage,
    UserRead,
    UserRolesUpdate,
    UserUpdate,
)
from nilecare.kernel.auth.dependencies import SecureRouter, require
from nilecare.kernel.auth.principal import Principal
from nilecare.kernel.service import UoW
from nilecare.kernel.types import PageLimit, PageOffset
from nilecare.services.auth.api.deps import State
from nilecare.services.auth.service import users as service
from nilecare.services.auth.service.common import Actor

router: APIRouter = SecureRouter(prefix="/api/v1/users", tags=["users"])

Reader = Annotated[Principal, require(AUTH_USER_READ)]
Manager = Annotated[Principal, require(AUTH_USER_MANAGE)]


@router.get("", summary="List users (of the caller's facilities)")
async def list_users(
    uow: UoW,
    principal: Reader,
    email: Annotated[str | None, Query(max_length=254, description="Part of the e-mail")] = None,
    limit: Annotated[PageLimit, Query()] = 50,
    offset: Annotated[PageOffset, Query()] = 0,
) -> UserPage:
    return await service.list_users(
        uow, Actor.of(principal), email=email, limit=limit, offset=offset
    )


@router.post("", status_code=201, summary="Create a user")
async def create_user(data: UserCreate, uow: UoW, state: State, principal: Manager) -> UserRead:
    return await service.create_user(state, uow, Actor.of(principal), data)


@router.get("/{user_id}", summary="Get a user")
async def get_user(user_id: uuid.UUID, uow: UoW, principal: Reader) -> UserRead:
    return await service.get_user(uow, Actor.of(principal), user_id)


@router.patch("/{user_id}", summary="Change a user's e-mail, name or facilities")
async def update_user(
    user_id: uuid.UUID, data: UserUpdate, uow: UoW, principal: Manager
) -> UserRead:
    return await service.update_user(uow, Actor.of(principal), user_id, data)


@router.post(
    "/{user_id}/deactivation", summary="Deactivate a user and revoke all the user's sessions"
)
async def deactivate_user(
    user_id: uuid.UUID, uow: UoW, state: State, principal: Manager
) -> UserRead:
    return await service.deactivate_user(state, uow, Actor.of(principal), user_id)


@router.delete("/{user_id}/deactivation", summary="Reactivate a deactivated user")
async def reactivate_user(user_id: uuid.UUID, uow: UoW, principal: Manager) -> UserRead:
    return await service.reactivate_user(uow, Actor.of(principal), user_id)


@router.put("/{user_id}/roles", summary="Replace a user's roles")
async def set_user_roles(
    user_id: uuid.UUID,
    data: UserRolesUpdate,
    uow: UoW,
    principal: Annotated[Principal, require(AUTH_ROLE_MANAGE)],
) -> UserRead:
    return await service.set_user_roles(uow, Actor.of(principal), user_id, data)
