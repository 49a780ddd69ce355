"""Administrative functions the CLI calls (``nilecare users create``, ``nilecare keys rotate``,
``nilecare seed demo``), given the auth service's context; no HTTP server needed."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence

from pydantic import ValidationError

from nilecare.contracts.auth.roles import ALL_ROLES
from nilecare.contracts.auth.schemas import UserCreate, UserRead
from nilecare.kernel.errors import ValidationFailed
from nilecare.kernel.service import ServiceContext
from nilecare.services.auth.repository import FacilityScope, Users
from nilecare.services.auth.service import users as user_service
from nilecare.services.auth.service.common import Actor
from nilecare.services.auth.state import AuthState

DEMO_DOMAIN = "demo.nilecare.sd"
# The demo facility: the facility service's demo seed uses the same id.
DEMO_FACILITY_ID = uuid.UUID("6f1c2a4e-5b7d-4c8e-9a0f-1d2e3f405162")


async def create_user(
    context: ServiceContext,
    *,
    email: str,
    password: str,
    full_name: str,
    roles: Iterable[str],
    facility_ids: Iterable[uuid.UUID] = (),
) -> UserRead:
    """Create a user as the system (audited without an actor); the password policy applies.
    Raises ``ValidationFailed`` (422) or ``Conflict`` (409) as the API would."""
    data = _user_create(
        email=email,
        password=password,
        full_name=full_name,
        roles=list(roles),
        facility_ids=list(facility_ids),
    )
    state = AuthState(context)
    async with context.unit_of_work() as uow:
        return await user_service.create_user(state, uow, Actor.system(), data)


async def rotate_signing_key(context: ServiceContext) -> str:
    """Make a new signing key active and return its key id; the old ones stay in the JWKS for
    the access-token lifetime plus a margin."""
    kid = await AuthState(context).keys.rotate()
    await context.audit_now(None, "auth.signing_key.rotate", "signing_key", resource_id=kid)
    return kid


async def seed_demo_users(
    context: ServiceContext,
    password: str,
    *,
    facility_ids: Sequence[uuid.UUID] = (DEMO_FACILITY_ID,),
) -> list[tuple[str, str, bool]]:
    """One user per role, ``<role>@demo.nilecare.sd``, created if absent (safe to run again).
    Returns ``(role, email, created)`` for each role."""
    state = AuthState(context)
    seeded: list[tuple[str, str, bool]] = []
    for role in ALL_ROLES:
        email = f"{role}@{DEMO_DOMAIN}"
        async with context.unit_of_work() as uow:
            exists = await Users(uow.session, FacilityScope.everything()).by_email(email)
        if exists is not None:
            seeded.append((role, email, False))
            continue
        data = _user_create(
            email=email,
            password=password,
            full_name=f"Demo {role.replace('_', ' ').title()}",
            roles=[role],
            facility_ids=list(facility_ids),
        )
        async with context.unit_of_work() as uow:
            await user_service.create_user(state, uow, Actor.system(), data)
        seeded.append((role, email, True))
    return seeded


def _user_create(**fields: object) -> UserCreate:
    """The request the API would take; malformed input is a 422 problem, as there."""
    try:
        return UserCreate.model_validate(fields)
    except ValidationError as error:
        raise ValidationFailed(
            "Invalid input",
            errors=[
                {"field": ".".join(str(p) for p in e["loc"]), "message": e["msg"]}
                for e in error.errors()
            ],
        ) from None
