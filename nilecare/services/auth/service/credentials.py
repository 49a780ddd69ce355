"""Changing a password, and resetting a forgotten one with a single-use, one-hour token."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from nilecare.contracts.auth.schemas import (
    Language,
    PasswordChange,
    PasswordResetConfirmation,
    PasswordResetRequest,
)
from nilecare.kernel.auth.principal import Principal
from nilecare.kernel.crypto import token_digest
from nilecare.kernel.errors import BadRequest, Conflict, ValidationFailed
from nilecare.kernel.uow import UnitOfWork
from nilecare.services.auth.models import PasswordResetToken
from nilecare.services.auth.passwords import check_password_policy
from nilecare.services.auth.repository import Attempts, FacilityScope, ResetTokens, Users
from nilecare.services.auth.service.common import (
    account_key,
    check_own_password,
    end_reads,
    normalize_email,
    own_account,
    revoke_user_sessions,
)
from nilecare.services.auth.state import AuthState


async def change_password(
    state: AuthState, uow: UnitOfWork, principal: Principal, data: PasswordChange
) -> None:
    """Needs the current password; every other session of the user is ended."""
    user = await own_account(uow, principal.user_id)
    check_password_policy(
        data.new_password, email=user.email, full_name=user.full_name, field="new_password"
    )
    if data.new_password == data.current_password:
        raise ValidationFailed.field("new_password", "must differ from the current password")
    await end_reads(uow)
    await check_own_password(state, uow, user, data.current_password, field="current_password")
    new_hash = await state.passwords.hash(data.new_password)
    users = Users(uow.session, FacilityScope.everything())
    if not await users.replace_password_hash(user.id, user.password_hash, new_hash):
        raise Conflict("The password was changed meanwhile; try again")
    user.password_changed_at = state.now()
    uow.session.add(user)
    revoked = await revoke_user_sessions(
        state, uow, user.id, reason="password_changed", keep=principal.session_id
    )
    uow.audit("auth.password.change", "user", user.id, details={"sessions_revoked": len(revoked)})
    await uow.commit()


@dataclass(frozen=True)
class ResetDelivery:
    """What the notifier must send once the request is answered."""

    email: str
    token: str
    # The user's preferred language: the mail is written in it.
    language: Language = "ar"


async def request_password_reset(
    state: AuthState, uow: UnitOfWork, data: PasswordResetRequest
) -> ResetDelivery | None:
    """Issue a reset token for an active account. The caller answers the same whatever happens
    here; None means there is nothing to send (no such account, or one sent moments ago)."""
    now = state.now()
    email = normalize_email(data.email)
    user = await Users(uow.session, FacilityScope.everything()).by_email(email)
    if user is None or not user.is_active:
        uow.audit(
            "auth.password.reset.request",
            "user",
            outcome="failure",
            details={"reason": "no_active_account"},
        )
        await uow.commit()
        return None
    tokens = ResetTokens(uow.session)
    latest = await tokens.latest_created_at(user.id)
    if latest is not None and now - latest < state.settings.password_reset_cooldown:
        uow.audit(
            "auth.password.reset.request",
            "user",
            user.id,
            outcome="denied",
            actor_id=user.id,
            details={"reason": "cooldown"},
        )
        await uow.commit()
        return None
    token = secrets.token_urlsafe(32)
    await tokens.spend_unused(user.id, now)
    uow.session.add(
        PasswordResetToken(
            user_id=user.id,
            token_digest=token_digest(token),
            created_at=now,
            expires_at=now + state.settings.password_reset_lifetime,
        )
    )
    uow.audit("auth.password.reset.request", "user", user.id, actor_id=user.id)
    await uow.commit()
    language: Language = "en" if user.preferred_language == "en" else "ar"
    return ResetDelivery(user.email, token, language)


def _invalid_reset_token() -> BadRequest:
    return BadRequest("The reset token is invalid, used or expired", slug="invalid-reset-token")


async def confirm_password_reset(
    state: AuthState, uow: UnitOfWork, data: PasswordResetConfirmation
) -> None:
    """Set a new password with a reset token; the token is spent and every session ends."""
    now = state.now()
    tokens = ResetTokens(uow.session)
    row = await tokens.by_digest(token_digest(data.token))
    users = Users(uow.session, FacilityScope.everything())
    user = await users.get(row.user_id) if row is not None else None
    if row is None or user is None:
        raise _invalid_reset_token()
    if row.used_at is not None or row.expires_at <= now or not user.is_active:
        uow.audit(
            "auth.password.reset",
            "user",
            user.id,
            outcome="failure",
            actor_id=user.id,
            details={"reason": "token_used_or_expired"},
        )
        await uow.commit()
        raise _invalid_reset_token()
    check_password_policy(
        data.new_password, email=user.email, full_name=user.full_name, field="new_password"
    )
    token_id, old_hash = row.id, user.password_hash
    await end_reads(uow)
    new_hash = await state.passwords.hash(data.new_password)
    if not await tokens.claim(token_id, now):
        raise _invalid_reset_token()
    if not await users.replace_password_hash(user.id, old_hash, new_hash):
        raise Conflict("The password was changed meanwhile; request a new reset")
    user.password_changed_at = now
    uow.session.add(user)
    revoked = await revoke_user_sessions(state, uow, user.id, reason="password_reset")
    # Whoever holds the reset link owns the mailbox: the account's lockout is lifted.
    await Attempts(uow.session).clear(account_key(state, user.email))
    uow.audit(
        "auth.password.reset",
        "user",
        user.id,
        actor_id=user.id,
        details={"sessions_revoked": len(revoked)},
    )
    await uow.commit()
