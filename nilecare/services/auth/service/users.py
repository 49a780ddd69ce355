"""Administration of users and their roles.

An actor sees the users who share a facility with it (cross-facility actors see everyone) and
manages only those whose every role it could grant itself: an admin cannot touch a super admin,
hand out a role above its own, or assign facilities it does not have.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy.exc import IntegrityError

from nilecare.contracts.auth.events import UserCreated
from nilecare.contracts.auth.schemas import (
    RoleRead,
    UserCreate,
    UserPage,
    UserRead,
    UserRolesUpdate,
    UserUpdate,
)
from nilecare.kernel.errors import Conflict, Forbidden, ValidationFailed
from nilecare.kernel.uow import UnitOfWork
from nilecare.services.auth.domain import (
    SYSTEM_ROLES,
    Role,
    UnknownRoleError,
    can_grant,
    roles_named,
)
from nilecare.services.auth.models import User, UserFacility, UserRole
from nilecare.services.auth.passwords import check_password_policy
from nilecare.services.auth.repository import Users
from nilecare.services.auth.service.common import (
    Actor,
    normalize_email,
    not_found,
    revoke_user_sessions,
    user_read,
)
from nilecare.services.auth.state import AuthState


def list_roles() -> list[RoleRead]:
    return [
        RoleRead(
            name=role.name,
            description=role.description,
            permissions=sorted(role.permissions),
            all_facilities=role.all_facilities,
            mfa_required=role.mfa_required,
        )
        for role in SYSTEM_ROLES.values()
    ]


def _roles(names: Iterable[str]) -> list[Role]:
    try:
        return roles_named(names)
    except UnknownRoleError as error:
        raise ValidationFailed.field("roles", str(error)) from None


def _check_grantable(actor: Actor, roles: Iterable[Role]) -> None:
    for role in roles:
        if not can_grant(actor.permissions, actor.all_facilities, role):
            raise Forbidden(
                f"You cannot grant or take away the role {role.name}", slug="role-not-grantable"
            )


def _check_facilities(actor: Actor, facility_ids: Iterable[uuid.UUID]) -> None:
    if actor.all_facilities:
        return
    outside = set(facility_ids) - actor.facility_ids
    if outside:
        raise Forbidden(
            "You can only assign facilities you belong to", slug="facility-out-of-scope"
        )


def _check_manageable(actor: Actor, user: User) -> None:
    """Manage only users whose every current role the actor could grant."""
    current = [SYSTEM_ROLES[name] for name in user.role_names if name in SYSTEM_ROLES]
    _check_grantable(actor, current)


async def _visible_user(uow: UnitOfWork, actor: Actor, user_id: uuid.UUID) -> User:
    user = await Users(uow.session, actor.scope).get(user_id)
    if user is None:
        raise not_found()
    return user


async def list_users(
    uow: UnitOfWork, actor: Actor, *, email: str | None, limit: int, offset: int
) -> UserPage:
    rows, total = await Users(uow.session, actor.scope).page(
        email_contains=email, limit=limit, offset=offset
    )
    return UserPage(items=[user_read(u) for u in rows], total=total, limit=limit, offset=offset)


async def get_user(uow: UnitOfWork, actor: Actor, user_id: uuid.UUID) -> UserRead:
    return user_read(await _visible_user(uow, actor, user_id))


async def create_user(
    state: AuthState, uow: UnitOfWork, actor: Actor, data: UserCreate
) -> UserRead:
    email = normalize_email(data.email)
    roles = _roles(data.roles)
    _check_grantable(actor, roles)
    facility_ids = list(dict.fromkeys(data.facility_ids))
    _check_facilities(actor, facility_ids)
    check_password_policy(data.password, email=email, full_name=data.full_name)
    # Hash before the transaction starts: no database lock is held while argon2 works.
    password_hash = await state.passwords.hash(data.password)
    users = Users(uow.session, actor.scope)
    if await users.email_taken(email):
        raise Conflict("A user with this e-mail address exists", slug="email-taken")
    user = User(
        email=email,
        full_name=data.full_name,
        phone=data.phone,
        preferred_language=data.preferred_language,
        password_hash=password_hash,
        is_active=True,
        mfa_enabled=False,
        password_changed_at=state.now(),
        roles=[UserRole(role=role.name) for role in roles],
        facilities=[UserFacility(facility_id=f) for f in facility_ids],
    )
    uow.session.add(user)
    try:
        await uow.session.flush()
    except IntegrityError:
        raise Conflict("A user with this e-mail address exists", slug="email-taken") from None
    uow.publish(
        UserCreated(
            user_id=user.id,
            email=user.email,
            full_name=user.full_name,
            roles=user.role_names,
            facility_ids=user.facility_ids,
        )
    )
    uow.audit(
        "user.create",
        "user",
        user.id,
        details={"roles": user.role_names, "facility_ids": [str(f) for f in facility_ids]},
    )
    await uow.commit()
    return user_read(user)


async def update_user(
    uow: UnitOfWork, actor: Actor, user_id: uuid.UUID, data: UserUpdate
) -> UserRead:
    user = await _visible_user(uow, actor, user_id)
    _check_manageable(actor, user)
    changed: list[str] = []
    if data.email is not None and normalize_email(data.email) != user.email:
        email = normalize_email(data.email)
        if await Users(uow.session, actor.scope).email_taken(email, other_than=user.id):
            raise Conflict("A user with this e-mail address exists", slug="email-taken")
        user.email = email
        changed.append("email")
    if data.full_name is not None and data.full_name != user.full_name:
        user.full_name = data.full_name
        changed.append("full_name")
    if "phone" in data.model_fields_set and data.phone != user.phone:
        user.phone = data.phone
        changed.append("phone")
    if data.preferred_language is not None and data.preferred_language != user.preferred_language:
        user.preferred_language = data.preferred_language
        changed.append("preferred_language")
    if data.facility_ids is not None:
        wanted = list(dict.fromkeys(data.facility_ids))
        if set(wanted) != set(user.facility_ids):
            # What changes must be within the actor's facilities, in both directions.
            _check_facilities(actor, set(wanted) ^ set(user.facility_ids))
            user.facilities = [UserFacility(facility_id=f) for f in wanted]
            changed.append("facility_ids")
    if changed:
        try:
            await uow.session.flush()
        except IntegrityError:
            raise Conflict("A user with this e-mail address exists", slug="email-taken") from None
        uow.audit("user.update", "user", user.id, details={"fields": changed})
        await uow.commit()
    return user_read(user)


async def set_user_roles(
    uow: UnitOfWork, actor: Actor, user_id: uuid.UUID, data: UserRolesUpdate
) -> UserRead:
    """Replace the user's roles. Tokens already issued keep the old ones until they expire
    (15 minutes at most); the next refresh carries the new ones."""
    roles = _roles(data.roles)
    user = await _visible_user(uow, actor, user_id)
    before = user.role_names
    after = [role.name for role in roles]
    added = [role for role in roles if role.name not in before]
    removed = [SYSTEM_ROLES[name] for name in before if name not in after and name in SYSTEM_ROLES]
    _check_grantable(actor, [*added, *removed])
    if set(before) != set(after):
        user.roles = [UserRole(role=name) for name in after]
        await uow.session.flush()
        uow.audit(
            "user.roles.change",
            "user",
            user.id,
            details={"before": sorted(before), "after": sorted(after)},
        )
        await uow.commit()
    return user_read(user)


async def deactivate_user(
    state: AuthState, uow: UnitOfWork, actor: Actor, user_id: uuid.UUID
) -> UserRead:
    """The user can no longer log in or refresh; every session and access token is revoked."""
    user = await _visible_user(uow, actor, user_id)
    if actor.user_id == user.id:
        raise Conflict("You cannot deactivate your own account", slug="self-deactivation")
    _check_manageable(actor, user)
    if user.is_active:
        user.is_active = False
        revoked = await revoke_user_sessions(state, uow, user.id, reason="user_deactivated")
        uow.audit("user.deactivate", "user", user.id, details={"sessions_revoked": len(revoked)})
        await uow.commit()
    return user_read(user)


async def reactivate_user(uow: UnitOfWork, actor: Actor, user_id: uuid.UUID) -> UserRead:
    user = await _visible_user(uow, actor, user_id)
    _check_manageable(actor, user)
    if not user.is_active:
        user.is_active = True
        uow.audit("user.reactivate", "user", user.id)
        await uow.commit()
    return user_read(user)
