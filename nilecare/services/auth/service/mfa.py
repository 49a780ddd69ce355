"""TOTP multi-factor authentication: enrolment, confirmation with backup codes, verification,
deactivation. Secrets are encrypted with the platform keyring; backup codes are kept as keyed
hashes and work once; a TOTP code is refused when its time step (or a later one) was used."""

from __future__ import annotations

import hmac
import secrets
from datetime import datetime
from typing import Literal

import pyotp

from nilecare.contracts.auth.schemas import (
    MfaBackupCodes,
    MfaConfirmation,
    MfaDeactivation,
    MfaEnrollment,
)
from nilecare.kernel.auth.principal import Principal
from nilecare.kernel.errors import Conflict, ValidationFailed
from nilecare.kernel.uow import UnitOfWork
from nilecare.services.auth.domain import (
    BACKUP_CODE_ALPHABET,
    format_backup_code,
    is_totp_code,
    normalize_code,
)
from nilecare.services.auth.models import User
from nilecare.services.auth.repository import BackupCodes, FacilityScope, Users
from nilecare.services.auth.service.common import check_own_password, end_reads, own_account
from nilecare.services.auth.state import AuthState

# Codes of the previous and the next 30-second step are accepted too (clock drift).
VALID_WINDOW = 1

SecondFactor = Literal["totp", "backup_code"]


def _associated_data(user: User) -> bytes:
    return f"mfa:{user.id}".encode()


def matching_step(secret: str, code: str, now: datetime) -> int | None:
    """The time step within the window whose code is ``code``, if any."""
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for step in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _backup_digest(state: AuthState, code: str) -> str:
    return state.context.hasher.digest(normalize_code(code), "mfa-backup-code")


async def verify_second_factor(
    state: AuthState, uow: UnitOfWork, user: User, code: str
) -> SecondFactor | None:
    """Check a TOTP or backup code of an enrolled user, spending it; None when it is refused."""
    if not user.mfa_enabled or user.mfa_secret is None:
        return None
    normalized = normalize_code(code)
    now = state.now()
    if is_totp_code(normalized):
        secret = state.context.keyring.decrypt(user.mfa_secret, _associated_data(user))
        step = matching_step(secret, normalized, now)
        if step is None:
            return None
        claimed = await Users(uow.session, FacilityScope.everything()).claim_totp_step(
            user.id, step
        )
        return "totp" if claimed else None
    if await BackupCodes(uow.session).consume(user.id, _backup_digest(state, normalized), now):
        return "backup_code"
    return None


async def start_mfa_enrollment(
    state: AuthState, uow: UnitOfWork, principal: Principal
) -> MfaEnrollment:
    user = await own_account(uow, principal.user_id)
    if user.mfa_enabled:
        raise Conflict("MFA is already enabled; disable it first to enrol a new device")
    secret = pyotp.random_base32()
    user.mfa_pending_secret = state.context.keyring.encrypt(secret, _associated_data(user))
    uow.audit("auth.mfa.enrol", "user", user.id)
    await uow.commit()
    uri = pyotp.TOTP(secret).provisioning_uri(
        name=user.email, issuer_name=state.settings.mfa_issuer
    )
    return MfaEnrollment(secret=secret, provisioning_uri=uri)


def _new_backup_codes(count: int) -> list[str]:
    return [
        format_backup_code("".join(secrets.choice(BACKUP_CODE_ALPHABET) for _ in range(10)))
        for _ in range(count)
    ]


async def confirm_mfa_enrollment(
    state: AuthState, uow: UnitOfWork, principal: Principal, data: MfaConfirmation
) -> MfaBackupCodes:
    """The first code from the authenticator proves the secret arrived: MFA is on from now."""
    user = await own_account(uow, principal.user_id)
    if user.mfa_enabled:
        raise Conflict("MFA is already enabled")
    if user.mfa_pending_secret is None:
        raise Conflict("No MFA enrolment is in progress; start one first")
    secret = state.context.keyring.decrypt(user.mfa_pending_secret, _associated_data(user))
    step = matching_step(secret, normalize_code(data.code), state.now())
    if step is None:
        uow.audit("auth.mfa.confirm", "user", user.id, outcome="failure")
        await uow.commit()
        raise ValidationFailed.field("code", "is not the current code of the authenticator")
    codes = _new_backup_codes(state.settings.mfa_backup_code_count)
    user.mfa_secret, user.mfa_pending_secret = user.mfa_pending_secret, None
    user.mfa_enabled = True
    user.mfa_last_step = step
    await BackupCodes(uow.session).replace(user.id, [_backup_digest(state, c) for c in codes])
    uow.audit("auth.mfa.confirm", "user", user.id)
    await uow.commit()
    return MfaBackupCodes(backup_codes=codes)


async def disable_mfa(
    state: AuthState, uow: UnitOfWork, principal: Principal, data: MfaDeactivation
) -> None:
    """Needs the password and a current code (or a backup code)."""
    user = await own_account(uow, principal.user_id)
    if not user.mfa_enabled:
        raise Conflict("MFA is not enabled")
    await end_reads(uow)
    await check_own_password(state, uow, user, data.password, field="password")
    if await verify_second_factor(state, uow, user, data.code) is None:
        uow.audit("auth.mfa.disable", "user", user.id, outcome="failure")
        await uow.commit()
        raise ValidationFailed.field("code", "is not valid")
    user.mfa_enabled = False
    user.mfa_secret = None
    user.mfa_pending_secret = None
    user.mfa_last_step = None
    await BackupCodes(uow.session).delete_all(user.id)
    uow.audit("auth.mfa.disable", "user", user.id)
    await uow.commit()
