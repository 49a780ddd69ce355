"""Pieces the use cases share: the actor, the caller's address, reading users, issuing tokens."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from nilecare.contracts.auth.events import UserLocked
from nilecare.contracts.auth.permissions import AUTH_SELF
from nilecare.contracts.auth.schemas import UserRead
from nilecare.kernel.auth.principal import ALL_PERMISSIONS, Principal
from nilecare.kernel.crypto import token_digest
from nilecare.kernel.errors import (
    Locked,
    NotFound,
    TooManyRequests,
    Unauthorized,
    ValidationFailed,
)
from nilecare.kernel.uow import UnitOfWork
from nilecare.services.auth.domain import (
    AttemptDecision,
    LockoutPolicy,
    must_enrol_mfa,
    permissions_of,
    register_attempt,
    sees_all_facilities,
)
from nilecare.services.auth.keys import ActiveKey
from nilecare.services.auth.models import User
from nilecare.services.auth.repository import Attempts, FacilityScope, Users
from nilecare.services.auth.state import AuthState


@dataclass(frozen=True)
class Client:
    """Where a request comes from, as recorded on sessions."""

    ip: str | None
    user_agent: str | None


@dataclass(frozen=True)
class Actor:
    """Who performs an administrative use case: a caller's principal, or the system (CLI)."""

    user_id: uuid.UUID | None
    permissions: frozenset[str]
    all_facilities: bool
    facility_ids: frozenset[uuid.UUID]

    @classmethod
    def of(cls, principal: Principal) -> Actor:
        return cls(
            principal.user_id,
            principal.permissions,
            principal.all_facilities,
            principal.facility_ids,
        )

    @classmethod
    def system(cls) -> Actor:
        return cls(None, frozenset({ALL_PERMISSIONS}), True, frozenset())

    @property
    def scope(self) -> FacilityScope:
        return FacilityScope(self.all_facilities, self.facility_ids)


def normalize_email(email: str) -> str:
    return email.strip().lower()


def user_read(user: User) -> UserRead:
    return UserRead(
        id=user.id,
        email=user.email,
        full_name=user.full_name,
        phone=user.phone,
        preferred_language=user.preferred_language,
        roles=user.role_names,
        facility_ids=user.facility_ids,
        is_active=user.is_active,
        mfa_enabled=user.mfa_enabled,
        created_at=user.created_at,
        updated_at=user.updated_at,
        last_login_at=user.last_login_at,
    )


async def own_account(uow: UnitOfWork, user_id: uuid.UUID) -> User:
    """The caller's own, active account (a deactivated one's tokens are revoked anyway)."""
    user = await Users(uow.session, FacilityScope.everything()).get(user_id)
    if user is None or not user.is_active:
        raise Unauthorized("This account is not active", slug="invalid-token")
    return user


def new_refresh_secret() -> tuple[str, str]:
    """A random refresh-token secret and the digest that is stored instead of it."""
    secret = secrets.token_urlsafe(32)
    return secret, token_digest(secret)


def refresh_token(session_id: str, secret: str) -> str:
    return f"{session_id}.{secret}"


def access_token(
    state: AuthState, key: ActiveKey, user: User, session_id: str, now: datetime
) -> tuple[str, bool]:
    """A signed access token for ``user`` in ``session_id`` and whether it is the restricted one
    of an account that must enrol in MFA first (then it grants only ``auth.self.manage``)."""
    roles = user.role_names
    restricted = must_enrol_mfa(roles, user.mfa_enabled)
    issued = int(now.timestamp())
    lifetime = int(state.access_token_lifetime.total_seconds())
    claims: dict[str, Any] = {
        "iss": state.context.platform.jwt_issuer,
        "aud": state.context.platform.jwt_audience,
        "sub": str(user.id),
        "email": user.email,
        "roles": [] if restricted else roles,
        "permissions": [AUTH_SELF] if restricted else sorted(permissions_of(roles)),
        "facility_ids": [] if restricted else [str(f) for f in user.facility_ids],
        "all_facilities": False if restricted else sees_all_facilities(roles),
        "sid": session_id,
        "type": "access",
        "jti": uuid.uuid4().hex,
        "iat": issued,
        "nbf": issued,
        "exp": issued + lifetime,
    }
    return key.sign(claims), restricted


def account_policy(state: AuthState) -> LockoutPolicy:
    s = state.settings
    return LockoutPolicy(
        s.account_lockout_threshold,
        s.lockout_base_seconds,
        s.account_lockout_max_seconds,
        s.failure_memory,
    )


def ip_policy(state: AuthState) -> LockoutPolicy:
    s = state.settings
    return LockoutPolicy(
        s.ip_lockout_threshold, s.lockout_base_seconds, s.ip_lockout_max_seconds, s.failure_memory
    )


def account_key(state: AuthState, email: str) -> str:
    # A keyed hash: the table does not keep the e-mail addresses people typed.
    return "account:" + state.context.hasher.digest(normalize_email(email), "login-account")


def ip_key(ip: str) -> str:
    return "ip:" + ip


async def admit_attempt(
    uow: UnitOfWork, key: str, policy: LockoutPolicy, now: datetime
) -> AttemptDecision:
    """Count an attempt on ``key`` (locking its row); a refused decision changes nothing."""
    attempts = Attempts(uow.session)
    await attempts.ensure(key)
    await uow.commit()
    decision = register_attempt(await attempts.state_for_update(key), policy, now)
    if decision.admitted:
        await attempts.save(key, decision, now)
    return decision


def record_account_lock(uow: UnitOfWork, user_id: uuid.UUID, decision: AttemptDecision) -> None:
    """When ``decision`` started a lock of an existing account: publish ``user.locked`` (the
    notification service may tell the owner) and audit the lockout."""
    if decision.locked_until is None:
        return
    uow.publish(
        UserLocked(user_id=user_id, locked_until=decision.locked_until, failures=decision.failures)
    )
    uow.audit(
        "auth.lockout",
        "user",
        user_id,
        outcome="denied",
        actor_id=user_id,
        details={"failures": decision.failures, "seconds": decision.retry_after},
    )


def account_locked(retry_after: int) -> Locked:
    return Locked(
        "Too many failed attempts for this account; try again later",
        slug="account-locked",
        headers={"Retry-After": str(max(1, retry_after))},
        retry_after=max(1, retry_after),
    )


def address_throttled(retry_after: int) -> TooManyRequests:
    problem = TooManyRequests(
        retry_after,
        "Too many failed logins from this address; try again later",
        slug="too-many-logins",
    )
    problem.extensions["retry_after"] = max(1, retry_after)
    return problem


def not_found(what: str = "user") -> NotFound:
    return NotFound(f"No such {what}")


async def end_reads(uow: UnitOfWork) -> None:
    """End the transaction of a use case that has only read so far, keeping the loaded objects,
    before slow work (argon2): SQLite has one writer, and every transaction there holds it."""
    await uow.session.commit()


async def check_own_password(
    state: AuthState, uow: UnitOfWork, user: User, password: str, *, field: str
) -> None:
    """Re-authentication for sensitive changes: a wrong password counts towards the account's
    lockout exactly as a failed login does, so a stolen access token cannot guess it."""
    key = account_key(state, user.email)
    decision = await admit_attempt(uow, key, account_policy(state), state.now())
    if not decision.admitted:
        await uow.rollback()
        raise account_locked(decision.retry_after)
    await uow.commit()
    if await state.passwords.verify(user.password_hash, password):
        await Attempts(uow.session).clear(key)
        return
    uow.audit(
        "auth.reauthentication",
        "user",
        user.id,
        outcome="failure",
        details={"reason": "bad_password"},
    )
    record_account_lock(uow, user.id, decision)
    await uow.commit()
    if decision.locked_until is not None:
        raise account_locked(decision.retry_after)
    raise ValidationFailed.field(field, "is not correct")


async def revoke_user_sessions(
    state: AuthState,
    uow: UnitOfWork,
    user_id: uuid.UUID,
    *,
    reason: str,
    keep: str | None = None,
) -> list[str]:
    """Revoke the user's sessions (all but ``keep``) and block their access tokens at once."""
    revoked = await state.sessions.revoke_all(
        uow, user_id, now=state.now(), reason=reason, keep=keep
    )
    for session_id in revoked:
        await state.revocations.revoke_session(session_id, state.revocation_ttl)
    return revoked
