"""Logging in, refreshing, logging out, and one's own sessions.

A login runs in three short transactions so that no database lock is held while argon2 works:
(1) admit the attempt against the lockout counters of the account and the client address and
read the account, (2) check the password (and the second factor), (3) record the outcome: the
session and the audit row on success; on failure the audit row and, when an account lock starts,
the ``user.locked`` event. Unknown accounts go through the same steps against a dummy hash, so
neither the answer nor its timing tells whether an e-mail address has an account.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.exc import DBAPIError

from nilecare.contracts.auth.schemas import (
    LoginRequest,
    LoginResponse,
    MeRead,
    RefreshRequest,
    SessionRead,
    TokenPair,
)
from nilecare.kernel.auth.principal import Principal
from nilecare.kernel.crypto import token_digest
from nilecare.kernel.errors import Problem, Unauthorized
from nilecare.kernel.uow import UnitOfWork
from nilecare.services.auth.domain import AttemptDecision, must_enrol_mfa, register_attempt
from nilecare.services.auth.models import User
from nilecare.services.auth.repository import Attempts, FacilityScope, Users
from nilecare.services.auth.service.common import (
    Client,
    access_token,
    account_key,
    account_locked,
    account_policy,
    address_throttled,
    ip_key,
    ip_policy,
    new_refresh_secret,
    not_found,
    own_account,
    record_account_lock,
    refresh_token,
    user_read,
)
from nilecare.services.auth.service.mfa import verify_second_factor
from nilecare.services.auth.sessions import NewSession
from nilecare.services.auth.state import AuthState

ADMISSION_TRIES = 3
INVALID_CREDENTIALS = "The e-mail address or the password is not correct"


def invalid_credentials() -> Unauthorized:
    return Unauthorized(INVALID_CREDENTIALS, slug="invalid-credentials")


def invalid_refresh_token() -> Unauthorized:
    return Unauthorized("The refresh token is invalid or expired", slug="invalid-refresh-token")


@dataclass(frozen=True)
class _Admission:
    account_key: str
    ip_key: str | None
    account: AttemptDecision
    ip: AttemptDecision | None
    user: User | None


async def _admit(state: AuthState, email: str, client: Client) -> _Admission:
    """Transaction 1: count the attempt, or refuse it while a lock lasts. Should concurrent
    attempts still deadlock on the counters' rows, the database aborts one; it runs again."""
    for attempt in range(ADMISSION_TRIES):
        try:
            return await _admit_once(state, email, client)
        except DBAPIError:
            if attempt == ADMISSION_TRIES - 1:
                raise
    raise AssertionError("unreachable")


async def _admit_once(state: AuthState, email: str, client: Client) -> _Admission:
    # Rows are locked account first, then address: always in that order, so two logins never
    # wait on each other crosswise.
    now = state.now()
    akey = account_key(state, email)
    ikey = ip_key(client.ip) if client.ip else None
    async with state.context.unit_of_work() as uow:
        attempts = Attempts(uow.session)
        await attempts.ensure(akey)
        if ikey:
            await attempts.ensure(ikey)
        await uow.commit()
        account_state = await attempts.state_for_update(akey)
        ip_state = await attempts.state_for_update(ikey) if ikey else None
        user = await Users(uow.session, FacilityScope.everything()).by_email(email)
        user_id = user.id if user else None
        ip_check = register_attempt(ip_state, ip_policy(state), now) if ikey else None
        account_check = register_attempt(account_state, account_policy(state), now)
        refusal: Problem | None = None
        if ip_check is not None and not ip_check.admitted:
            refusal = address_throttled(ip_check.retry_after)
        elif not account_check.admitted:
            refusal = account_locked(account_check.retry_after)
        if refusal is not None:
            uow.audit(
                "auth.login",
                "user",
                user_id,
                outcome="denied",
                actor_id=user_id,
                details={"reason": refusal.slug},
            )
            await uow.commit()
            raise refusal
        await attempts.save(akey, account_check, now)
        if ikey and ip_check is not None:
            await attempts.save(ikey, ip_check, now)
        await uow.commit()
    return _Admission(akey, ikey, account_check, ip_check, user)


async def _fail(
    state: AuthState,
    admission: _Admission,
    reason: str,
    problem: Problem,
    *,
    forgive: bool = False,
) -> Problem:
    """Transaction 3 of a failed login: its audit row (and the lock event) in a transaction of
    their own, as the request itself fails. Returns the problem to answer with."""
    user = admission.user
    user_id = user.id if user else None
    async with state.context.unit_of_work() as uow:
        if forgive:
            # A correct password without the second factor is the first half of a good login.
            await Attempts(uow.session).forgive(admission.account_key, admission.account)
            if admission.ip_key and admission.ip:
                await Attempts(uow.session).forgive(admission.ip_key, admission.ip)
        uow.audit(
            "auth.login",
            "user",
            user_id,
            outcome="failure",
            actor_id=user_id,
            details={"reason": reason},
        )
        if user is not None and not forgive:
            record_account_lock(uow, user.id, admission.account)
        await uow.commit()
    if forgive:
        return problem
    if admission.ip is not None and admission.ip.locked_until is not None:
        return address_throttled(admission.ip.retry_after)
    if admission.account.locked_until is not None:
        return account_locked(admission.account.retry_after)
    return problem


async def log_in(state: AuthState, data: LoginRequest, client: Client) -> LoginResponse:
    email = data.email.strip().lower()
    key = await state.keys.active()
    admission = await _admit(state, email, client)
    user = admission.user

    # Transaction-free: the password check (against a dummy hash when there is no account).
    password_ok = await state.passwords.verify(user.password_hash if user else None, data.password)
    if user is None or not password_ok or not user.is_active:
        reason = (
            "unknown_account"
            if user is None
            else ("bad_password" if not password_ok else "inactive_account")
        )
        raise await _fail(state, admission, reason, invalid_credentials())
    if user.mfa_enabled and not data.otp:
        raise await _fail(
            state,
            admission,
            "mfa_required",
            Unauthorized(
                "A one-time code from the authenticator (or a backup code) is required",
                slug="mfa-required",
                mfa_required=True,
            ),
            forgive=True,
        )

    new_hash = (
        await state.passwords.hash(data.password)
        if state.passwords.needs_rehash(user.password_hash)
        else None
    )
    now = state.now()
    secret, digest = new_refresh_secret()
    async with state.context.unit_of_work() as uow:
        factor = None
        if user.mfa_enabled:
            factor = await verify_second_factor(state, uow, user, data.otp or "")
            if factor is None:
                await uow.rollback()
                problem = Unauthorized(
                    "The one-time code is not valid", slug="invalid-otp", mfa_required=True
                )
                raise await _fail(state, admission, "invalid_otp", problem)
        attempts = Attempts(uow.session)
        await attempts.clear(admission.account_key)
        if admission.ip_key and admission.ip:
            await attempts.forgive(admission.ip_key, admission.ip)
        if new_hash is not None:
            await Users(uow.session, FacilityScope.everything()).replace_password_hash(
                user.id, user.password_hash, new_hash
            )
        restricted = must_enrol_mfa(user.role_names, user.mfa_enabled)
        expires_at = now + (
            state.access_token_lifetime if restricted else state.settings.refresh_token_lifetime
        )
        session = await state.sessions.create(
            uow,
            NewSession(
                user_id=user.id,
                refresh_digest=None if restricted else digest,
                created_at=now,
                expires_at=expires_at,
                ip=client.ip,
                user_agent=client.user_agent,
            ),
        )
        user.last_login_at = now
        uow.session.add(user)
        uow.audit(
            "auth.login",
            "session",
            session.id,
            actor_id=user.id,
            details={"second_factor": factor, "mfa_enrollment_required": restricted},
        )
        await uow.commit()
    token, restricted = access_token(state, key, user, session.id, now)
    return LoginResponse(
        access_token=token,
        refresh_token=None if restricted else refresh_token(session.id, secret),
        expires_in=int(state.access_token_lifetime.total_seconds()),
        user=user_read(user),
        mfa_enrollment_required=restricted,
    )


async def refresh_session(state: AuthState, data: RefreshRequest, client: Client) -> TokenPair:
    """Exchange a refresh token for a new pair. The token is spent; presenting it again means it
    was copied, so the whole session (family) is revoked, with its access tokens."""
    session_id, _, presented = data.refresh_token.partition(".")
    try:
        uuid.UUID(session_id)
    except ValueError:
        raise invalid_refresh_token() from None
    if not presented:
        raise invalid_refresh_token()
    key = await state.keys.active()
    now = state.now()
    secret, digest = new_refresh_secret()
    async with state.context.unit_of_work() as uow:
        record = await state.sessions.get(uow, session_id)
        if record is None:
            raise invalid_refresh_token()
        user = await Users(uow.session, FacilityScope.everything()).get(record.user_id)
        refusal: str | None = None
        if record.revoked_at is not None:
            refusal = "session_revoked"
        elif not record.is_live(now, state.settings.refresh_token_idle_lifetime):
            refusal = "session_expired"
        elif user is None or not user.is_active:
            refusal = "inactive_account"
            await state.revocations.revoke_session(session_id, state.revocation_ttl)
            await state.sessions.revoke(uow, session_id, now=now, reason="inactive_account")
        if refusal is None:
            outcome = await state.sessions.rotate(
                uow,
                session_id,
                token_digest(presented),
                digest,
                now=now,
                ip=client.ip,
                user_agent=client.user_agent,
            )
            if outcome == "reused":
                await state.revocations.revoke_session(session_id, state.revocation_ttl)
                await state.sessions.revoke(uow, session_id, now=now, reason="refresh_reuse")
                uow.audit(
                    "auth.refresh.reuse",
                    "session",
                    session_id,
                    outcome="denied",
                    actor_id=record.user_id,
                    details={"action": "session_revoked"},
                )
                await uow.commit()
                raise Unauthorized(
                    "This refresh token was already used; the session is revoked",
                    slug="refresh-token-reused",
                )
            if outcome == "unknown":
                refusal = "unknown_token"
        if refusal is not None or user is None:
            uow.audit(
                "auth.refresh",
                "session",
                session_id,
                outcome="failure",
                actor_id=record.user_id,
                details={"reason": refusal},
            )
            await uow.commit()
            raise invalid_refresh_token()
        uow.audit("auth.refresh", "session", session_id, actor_id=user.id)
        await uow.commit()
    token, _ = access_token(state, key, user, session_id, now)
    return TokenPair(
        access_token=token,
        refresh_token=refresh_token(session_id, secret),
        expires_in=int(state.access_token_lifetime.total_seconds()),
    )


async def log_out(state: AuthState, uow: UnitOfWork, principal: Principal) -> None:
    """End the session of the calling token: its refresh token and access tokens stop working."""
    if principal.session_id is None:
        return
    await state.revocations.revoke_session(principal.session_id, state.revocation_ttl)
    await state.sessions.revoke(uow, principal.session_id, now=state.now(), reason="logout")
    uow.audit("auth.logout", "session", principal.session_id)
    await uow.commit()


async def get_me(state: AuthState, uow: UnitOfWork, principal: Principal) -> MeRead:
    user = await own_account(uow, principal.user_id)
    return MeRead(
        **user_read(user).model_dump(),
        permissions=sorted(principal.permissions),
        all_facilities=principal.all_facilities,
        session_id=principal.session_id,
        mfa_enrollment_required=must_enrol_mfa(user.role_names, user.mfa_enabled),
    )


async def list_sessions(
    state: AuthState, uow: UnitOfWork, principal: Principal
) -> list[SessionRead]:
    now = state.now()
    idle = state.settings.refresh_token_idle_lifetime
    records = await state.sessions.list_for_user(uow, principal.user_id)
    return [
        SessionRead(
            id=record.id,
            created_at=record.created_at,
            last_used_at=record.last_used_at,
            expires_at=min(record.expires_at, record.last_used_at + idle),
            ip=record.ip,
            user_agent=record.user_agent,
            current=record.id == principal.session_id,
        )
        for record in records
        if record.is_live(now, idle)
    ]


async def revoke_own_session(
    state: AuthState, uow: UnitOfWork, principal: Principal, session_id: str
) -> None:
    record = await state.sessions.get(uow, session_id)
    if record is None or record.user_id != principal.user_id or record.revoked_at is not None:
        raise not_found("session")
    await state.revocations.revoke_session(session_id, state.revocation_ttl)
    await state.sessions.revoke(uow, session_id, now=state.now(), reason="revoked_by_user")
    uow.audit("auth.session.revoke", "session", session_id)
    await uow.commit()
