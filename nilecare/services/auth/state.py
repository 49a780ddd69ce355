"""What the auth service's use cases share while it runs: settings, password hasher, session
store, signing keys, the password-reset notifier and the clock.

Built once at start-up (``app.state.auth``) and by the admin functions the CLI calls. The notifier
(the notification service's mail) and the clock are plain attributes: tests replace them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from nilecare.kernel.auth.revocation import RevocationStore
from nilecare.kernel.db.types import utcnow
from nilecare.kernel.service import ServiceContext
from nilecare.services.auth.keys import SigningKeys
from nilecare.services.auth.notifier import NotificationServiceNotifier, PasswordResetNotifier
from nilecare.services.auth.passwords import Passwords
from nilecare.services.auth.sessions import DatabaseSessionStore, RedisSessionStore, SessionStore
from nilecare.services.auth.settings import AuthSettings

# Revocations outlive the access tokens they stop by this much (clock skew, verifier leeway).
REVOCATION_MARGIN_SECONDS = 60


def auth_settings(context: ServiceContext) -> AuthSettings:
    settings = context.settings
    if not isinstance(settings, AuthSettings):
        raise TypeError("the auth service needs AuthSettings")
    return settings


class AuthState:
    def __init__(self, context: ServiceContext) -> None:
        self.context = context
        self.settings = auth_settings(context)
        self.clock: Callable[[], datetime] = utcnow
        self.passwords = Passwords(self.settings)
        self.sessions: SessionStore = (
            RedisSessionStore(context.redis, self.settings.redis_prefix)
            if context.redis is not None
            else DatabaseSessionStore()
        )
        self.keys = SigningKeys(
            context.database,
            context.keyring,
            clock=self.now,
            access_token_lifetime=self.access_token_lifetime,
            retire_margin=self.settings.signing_key_retire_margin,
            cache_seconds=self.settings.signing_key_cache_seconds,
        )
        self.notifier: PasswordResetNotifier = NotificationServiceNotifier(
            context.directory, development=context.platform.is_development
        )

    def now(self) -> datetime:
        return self.clock()

    @property
    def revocations(self) -> RevocationStore:
        return self.context.revocations

    @property
    def access_token_lifetime(self) -> timedelta:
        return timedelta(minutes=self.context.platform.access_token_minutes)

    @property
    def revocation_ttl(self) -> int:
        return int(self.access_token_lifetime.total_seconds()) + REVOCATION_MARGIN_SECONDS
