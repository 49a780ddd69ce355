"""The auth service's definition: ``SERVICE`` is what the runtime loads."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from nilecare.contracts.notification.permissions import NOTIFICATION_SEND
from nilecare.kernel.service import ServiceContext, ServiceSpec
from nilecare.services.auth.api import routers
from nilecare.services.auth.models import kernel_tables, metadata
from nilecare.services.auth.settings import AuthSettings
from nilecare.services.auth.state import AuthState, auth_settings

# OWASP's floor for argon2id (m=19 MiB, t=2): production refuses to start below it.
MIN_PRODUCTION_MEMORY_KIB = 19 * 1024
MIN_PRODUCTION_TIME_COST = 2


class WeakPasswordHashingError(RuntimeError):
    """argon2 parameters were lowered (as tests do) in a production deployment."""


def check_production_settings(context: ServiceContext) -> None:
    settings = auth_settings(context)
    if context.platform.is_development:
        return
    if (
        settings.argon2_memory_cost < MIN_PRODUCTION_MEMORY_KIB
        or settings.argon2_time_cost < MIN_PRODUCTION_TIME_COST
    ):
        raise WeakPasswordHashingError(
            "NILECARE_AUTH__ARGON2_* are below the production floor "
            f"(memory {MIN_PRODUCTION_MEMORY_KIB} KiB, time cost {MIN_PRODUCTION_TIME_COST})"
        )


async def start_auth(context: ServiceContext, app: FastAPI) -> None:
    """Check the settings, build the shared state, and make sure a signing key is active."""
    check_production_settings(context)
    state = AuthState(context)
    await state.keys.ensure_active()
    app.state.auth = state


SERVICE = ServiceSpec(
    name="auth",
    title="Auth",
    description=(
        "Users, roles and permissions, login with lockout and TOTP MFA, sessions with rotating "
        "refresh tokens, password reset, and the JWKS every service verifies tokens with."
    ),
    port=7020,
    prefixes=("auth", "users", "roles"),
    routers=routers,
    settings_class=AuthSettings,
    metadata=metadata,
    tables=kernel_tables,
    migrations=Path(__file__).parent / "migrations",
    # The password-reset mail is sent by the notification service, asked with auth's own token.
    service_permissions=frozenset({NOTIFICATION_SEND}),
    on_startup=(start_auth,),
)
