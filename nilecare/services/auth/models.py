"""The auth service's tables, on its own MetaData (with the kernel's outbox, inbox and audit)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from nilecare.kernel.db.base import IdMixin, TimestampMixin, service_metadata
from nilecare.kernel.db.kernel_tables import add_kernel_tables
from nilecare.kernel.db.types import UTCDateTime, utcnow

metadata = service_metadata()
kernel_tables = add_kernel_tables(metadata)


class Base(DeclarativeBase):
    metadata = metadata


class User(IdMixin, TimestampMixin, Base):
    __tablename__ = "users"

    # Stored in lower case; unique.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    # Work mobile, +249 and 9 digits (contact details of staff, like the e-mail).
    phone: Mapped[str | None] = mapped_column(String(16), nullable=True)
    preferred_language: Mapped[str] = mapped_column(String(2), default="ar", server_default="ar")
    password_hash: Mapped[str] = mapped_column(String(255))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    password_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    mfa_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    # TOTP secrets, encrypted with the platform keyring (associated data: the user id).
    mfa_secret: Mapped[str | None] = mapped_column(String(255), nullable=True)
    mfa_pending_secret: Mapped[str | None] = mapped_column(String(255), nullable=True)
    # The last TOTP time step accepted: a code of that step or an earlier one is refused.
    mfa_last_step: Mapped[int | None] = mapped_column(BigInteger, nullable=True)

    roles: Mapped[list[UserRole]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="UserRole.role"
    )
    facilities: Mapped[list[UserFacility]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="UserFacility.facility_id"
    )

    @property
    def role_names(self) -> list[str]:
        return [row.role for row in self.roles]

    @property
    def facility_ids(self) -> list[uuid.UUID]:
        return [row.facility_id for row in self.facilities]


class UserRole(Base):
    __tablename__ = "user_roles"

    user_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(64), primary_key=True)


class UserFacility(Base):
    __tablename__ = "user_facilities"

    user_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    facility_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, index=True)


class LoginAttempt(Base):
    """Counted login attempts of one account (keyed hash of the e-mail) or one client address."""

    __tablename__ = "login_attempts"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class AuthSession(Base):
    """A login session: one family of refresh tokens (used when Redis is not configured)."""

    __tablename__ = "sessions"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    revoke_reason: Mapped[str | None] = mapped_column(String(32), nullable=True)
    ip: Mapped[str | None] = mapped_column(String(64), nullable=True)
    user_agent: Mapped[str | None] = mapped_column(String(255), nullable=True)


class RefreshToken(Base):
    """Every refresh token a session was given, by SHA-256; a used one must never come back."""

    __tablename__ = "refresh_tokens"

    token_digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    session_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("sessions.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class PasswordResetToken(IdMixin, Base):
    __tablename__ = "password_reset_tokens"

    user_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class MfaBackupCode(IdMixin, Base):
    __tablename__ = "mfa_backup_codes"
    __table_args__ = (UniqueConstraint("user_id", "code_digest"),)

    user_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    # Keyed hash (the platform HMAC key), so a copy of the table alone cannot be brute-forced.
    code_digest: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class SigningKey(Base):
    """A token signing key; the private half is encrypted with the platform keyring."""

    __tablename__ = "signing_keys"

    kid: Mapped[str] = mapped_column(String(64), primary_key=True)
    algorithm: Mapped[str] = mapped_column(String(16))
    public_jwk: Mapped[str] = mapped_column(Text)
    private_key: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    # When a newer key replaced it; it still verifies until ``retire_after``.
    rotated_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    retire_after: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
