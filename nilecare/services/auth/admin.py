"""Administrative functions the CLI calls (``nilecare users create``, ``nilecare keys rotate``,
``nilecare seed demo``), given the auth service's context; no HTTP server needed."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from pydantic import ValidationError

from nilecare.contracts.auth.roles import ALL_ROLES, CROSS_FACILITY_ROLES, PATIENT
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
# Roles that work at one facility: each further demo facility gets users of its own for them.
FACILITY_STAFF_ROLES: tuple[str, ...] = tuple(
    role for role in ALL_ROLES if role not in CROSS_FACILITY_ROLES and role != PATIENT
)


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


@dataclass(frozen=True)
class DemoUser:
    role: str
    email: str
    facility_ids: tuple[uuid.UUID, ...]
    user_id: uuid.UUID
    created: bool


async def seed_demo_users(
    context: ServiceContext,
    password: str,
    *,
    facility_ids: Sequence[uuid.UUID] = (DEMO_FACILITY_ID,),
    sites: Mapping[str, uuid.UUID] | None = None,
) -> list[DemoUser]:
    """One user per role, ``<role>@demo.nilecare.sd``, in ``facility_ids``; and for each further
    facility in ``sites`` (a name for e-mails -> facility id) one user per facility staff role,
    ``<role>.<name>@demo.nilecare.sd``, in that facility alone. The cross-facility roles' users
    are in every facility given. Created if absent (safe to run again: an existing user is left
    as it is and reported with its stored facilities)."""
    own = tuple(facility_ids)
    site_ids = dict(sites or {})
    everywhere = tuple(dict.fromkeys((*own, *site_ids.values())))
    plan = [(role, role, everywhere if role in CROSS_FACILITY_ROLES else own) for role in ALL_ROLES]
    plan += [
        (role, f"{role}.{site}", (facility_id,))
        for site, facility_id in site_ids.items()
        for role in FACILITY_STAFF_ROLES
    ]
    return [
        await _seed_demo_user(context, password, role, f"{local}@{DEMO_DOMAIN}", facilities)
        for role, local, facilities in plan
    ]


async def _seed_demo_user(
    context: ServiceContext,
    password: str,
    role: str,
    email: str,
    facility_ids: tuple[uuid.UUID, ...],
) -> DemoUser:
    async with context.unit_of_work() as uow:
        exists = await Users(uow.session, FacilityScope.everything()).by_email(email)
        if exists is not None:
            return DemoUser(role, email, _in_order(exists.facility_ids), exists.id, created=False)
    data = _user_create(
        email=email,
        password=password,
        full_name="Demo " + email.split("@")[0].replace("_", " ").replace(".", " ").title(),
        roles=[role],
        facility_ids=list(facility_ids),
        phone=demo_phone(email),
    )
    async with context.unit_of_work() as uow:
        user = await user_service.create_user(AuthState(context), uow, Actor.system(), data)
    return DemoUser(role, email, _in_order(user.facility_ids), user.id, created=True)


def demo_phone(email: str) -> str:
    """A stable demo mobile number for a demo user: +2499 and eight digits from the e-mail."""
    digits = int.from_bytes(hashlib.sha256(email.encode()).digest()[:8], "big") % 10**8
    return f"+2499{digits:08d}"


def _in_order(facility_ids: Iterable[uuid.UUID]) -> tuple[uuid.UUID, ...]:
    """Facility ids in one order (by id), whichever way they were read."""
    return tuple(sorted(facility_ids, key=str))


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
