"""``/api/v1/auth``: login, tokens, sessions, passwords, MFA and the JWKS."""

from __future__ import annotations

from typing import Annotated, Any

import structlog
from fastapi import APIRouter, BackgroundTasks, Response

from nilecare.contracts.auth.permissions import AUTH_SELF
from nilecare.contracts.auth.schemas import (
    Accepted,
    LoginRequest,
    LoginResponse,
    MeRead,
    MfaBackupCodes,
    MfaConfirmation,
    MfaDeactivation,
    MfaEnrollment,
    PasswordChange,
    PasswordResetConfirmation,
    PasswordResetRequest,
    RefreshRequest,
    SessionRead,
    TokenPair,
)
from nilecare.kernel.auth.dependencies import PUBLIC, SecureRouter, require
from nilecare.kernel.auth.principal import Principal
from nilecare.kernel.service import UoW
from nilecare.services.auth.api.deps import CallerClient, State
from nilecare.services.auth.service import credentials, login, mfa
from nilecare.services.auth.service.credentials import ResetDelivery
from nilecare.services.auth.state import AuthState

log = structlog.get_logger("nilecare.auth")

router: APIRouter = SecureRouter(prefix="/api/v1/auth", tags=["auth"])

Self = Annotated[Principal, require(AUTH_SELF)]
NO_STORE = {"Cache-Control": "no-store"}


@router.post("/login", dependencies=[PUBLIC], summary="Log in with e-mail, password (and OTP)")
async def log_in(
    data: LoginRequest, state: State, client: CallerClient, response: Response
) -> LoginResponse:
    response.headers.update(NO_STORE)
    return await login.log_in(state, data, client)


@router.post("/refresh", dependencies=[PUBLIC], summary="Exchange a refresh token for a new pair")
async def refresh_tokens(
    data: RefreshRequest, state: State, client: CallerClient, response: Response
) -> TokenPair:
    response.headers.update(NO_STORE)
    return await login.refresh_session(state, data, client)


@router.post("/logout", status_code=204, summary="End the current session")
async def log_out(uow: UoW, state: State, principal: Self) -> None:
    await login.log_out(state, uow, principal)


@router.get("/me", summary="The caller's account and permissions")
async def get_me(uow: UoW, state: State, principal: Self) -> MeRead:
    return await login.get_me(state, uow, principal)


@router.get("/sessions", summary="The caller's active sessions")
async def list_sessions(uow: UoW, state: State, principal: Self) -> list[SessionRead]:
    return await login.list_sessions(state, uow, principal)


@router.delete("/sessions/{session_id}", status_code=204, summary="Revoke one of own sessions")
async def revoke_session(session_id: str, uow: UoW, state: State, principal: Self) -> None:
    await login.revoke_own_session(state, uow, principal, session_id[:64])


@router.get("/jwks", dependencies=[PUBLIC], summary="Public keys that verify access tokens")
async def get_jwks(state: State) -> dict[str, Any]:
    return await state.keys.jwks()


@router.post("/password", status_code=204, summary="Change own password")
async def change_password(data: PasswordChange, uow: UoW, state: State, principal: Self) -> None:
    await credentials.change_password(state, uow, principal, data)


async def _deliver_reset(state: AuthState, delivery: ResetDelivery) -> None:
    try:
        await state.notifier.send_password_reset(
            delivery.email, delivery.token, language=delivery.language
        )
    except Exception as error:
        log.error("password_reset_delivery_failed", error=type(error).__name__)


@router.post(
    "/password-reset",
    status_code=202,
    dependencies=[PUBLIC],
    summary="Ask for a password-reset token (the same answer whether the account exists or not)",
)
async def request_password_reset(
    data: PasswordResetRequest, uow: UoW, state: State, background: BackgroundTasks
) -> Accepted:
    delivery = await credentials.request_password_reset(state, uow, data)
    if delivery is not None:
        # Sent after the answer: a slow mail server neither delays it nor reveals the account.
        background.add_task(_deliver_reset, state, delivery)
    return Accepted()


@router.post(
    "/password-reset/confirmation",
    status_code=204,
    dependencies=[PUBLIC],
    summary="Set a new password with a reset token",
)
async def confirm_password_reset(data: PasswordResetConfirmation, uow: UoW, state: State) -> None:
    await credentials.confirm_password_reset(state, uow, data)


@router.post("/mfa/enrollment", status_code=201, summary="Start TOTP enrolment")
async def start_mfa_enrollment(
    uow: UoW, state: State, principal: Self, response: Response
) -> MfaEnrollment:
    response.headers.update(NO_STORE)
    return await mfa.start_mfa_enrollment(state, uow, principal)


@router.post("/mfa/enrollment/confirmation", summary="Confirm TOTP enrolment; returns backup codes")
async def confirm_mfa_enrollment(
    data: MfaConfirmation, uow: UoW, state: State, principal: Self, response: Response
) -> MfaBackupCodes:
    response.headers.update(NO_STORE)
    return await mfa.confirm_mfa_enrollment(state, uow, principal, data)


@router.post("/mfa/deactivation", status_code=204, summary="Turn MFA off (password and code)")
async def disable_mfa(data: MfaDeactivation, uow: UoW, state: State, principal: Self) -> None:
    await mfa.disable_mfa(state, uow, principal, data)
