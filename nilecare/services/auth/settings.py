"""Auth service settings (``NILECARE_AUTH__*``). Durations accept seconds or ISO 8601 (``P7D``)."""

from __future__ import annotations

from datetime import timedelta

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from nilecare.kernel.config import ServiceSettings


class AuthSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="NILECARE_AUTH__", env_file=".env", extra="ignore")

    # A session (one refresh-token family) ends this long after login, however active it is...
    refresh_token_lifetime: timedelta = timedelta(days=7)
    # ...and earlier when its refresh token goes unused this long.
    refresh_token_idle_lifetime: timedelta = timedelta(days=1)

    # Lockout: after this many failed logins a lock starts at the base and doubles with each
    # further failure. The account lock is capped short so an attacker cannot keep a victim
    # out; the lock of an address may grow much longer.
    account_lockout_threshold: int = Field(default=5, ge=1)
    ip_lockout_threshold: int = Field(default=5, ge=1)
    lockout_base_seconds: int = Field(default=30, ge=1)
    account_lockout_max_seconds: int = Field(default=300, ge=1)
    ip_lockout_max_seconds: int = Field(default=3600, ge=1)
    # Failures older than this (counted from the latest) are forgotten.
    failure_memory: timedelta = timedelta(hours=24)

    password_reset_lifetime: timedelta = timedelta(hours=1)
    # A second reset mail for the same account within this time is not sent (no mail bombing).
    password_reset_cooldown: timedelta = timedelta(minutes=1)

    mfa_issuer: str = "NileCare"
    mfa_backup_code_count: int = Field(default=10, ge=1, le=50)

    # argon2id cost; the defaults are argon2-cffi's (RFC 9106 second recommendation). Outside
    # development the service refuses to start below OWASP's floor (t=2, m=19 MiB).
    argon2_time_cost: int = Field(default=3, ge=1)
    argon2_memory_cost: int = Field(default=65536, ge=8)  # KiB
    argon2_parallelism: int = Field(default=4, ge=1)

    # A replaced signing key stays in the JWKS for the access-token lifetime plus this margin.
    signing_key_retire_margin: timedelta = timedelta(minutes=5)
    # How long a process keeps using the active key it loaded before looking for a newer one.
    signing_key_cache_seconds: float = Field(default=60.0, ge=0)

    # Key prefix of the sessions kept in Redis (when NILECARE_REDIS_URL is set).
    redis_prefix: str = "nilecare:auth:"
