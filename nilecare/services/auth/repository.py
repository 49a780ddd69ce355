"""Queries of the auth database. User reads go through a ``FacilityScope`` that fails closed."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, Executable, Select, case, delete, false, func, select, update
from sqlalchemy.dialects import mysql, postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from nilecare.services.auth.domain import AttemptDecision, AttemptState
from nilecare.services.auth.models import (
    LoginAttempt,
    MfaBackupCode,
    PasswordResetToken,
    User,
    UserFacility,
)


def _rowcount(result: Any) -> int:
    return int(cast(CursorResult[Any], result).rowcount)


# --- users -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FacilityScope:
    """Which users an actor may see: everyone (cross-facility actors and the system itself), or
    those sharing at least one facility with the actor. No facilities means no one."""

    all_facilities: bool
    facility_ids: frozenset[uuid.UUID]

    @classmethod
    def everything(cls) -> FacilityScope:
        return cls(True, frozenset())

    def apply(self, query: Select[Any]) -> Select[Any]:
        if self.all_facilities:
            return query
        if not self.facility_ids:
            return query.where(false())
        shared = select(UserFacility.user_id).where(
            UserFacility.facility_id.in_(sorted(self.facility_ids))
        )
        return query.where(User.id.in_(shared))


class Users:
    def __init__(self, session: AsyncSession, scope: FacilityScope) -> None:
        self.session = session
        self.scope = scope

    async def get(self, user_id: uuid.UUID) -> User | None:
        query = self.scope.apply(select(User).where(User.id == user_id))
        return cast(User | None, await self.session.scalar(query))

    async def by_email(self, email: str) -> User | None:
        query = self.scope.apply(select(User).where(User.email == email))
        return cast(User | None, await self.session.scalar(query))

    async def email_taken(self, email: str, *, other_than: uuid.UUID | None = None) -> bool:
        # Uniqueness is global, whatever the actor's scope.
        query = select(User.id).where(User.email == email)
        if other_than is not None:
            query = query.where(User.id != other_than)
        return await self.session.scalar(query.limit(1)) is not None

    async def page(
        self, *, email_contains: str | None, limit: int, offset: int
    ) -> tuple[Sequence[User], int]:
        query = self.scope.apply(select(User))
        if email_contains:
            query = query.where(User.email.contains(email_contains.lower(), autoescape=True))
        total = await self.session.scalar(select(func.count()).select_from(query.subquery()))
        rows = await self.session.scalars(query.order_by(User.email).limit(limit).offset(offset))
        return rows.all(), int(total or 0)

    async def claim_totp_step(self, user_id: uuid.UUID, step: int) -> bool:
        """Record ``step`` as the last TOTP step used; False when it (or a later one) was used."""
        result = await self.session.execute(
            update(User)
            .where(
                User.id == user_id,
                (User.mfa_last_step.is_(None)) | (User.mfa_last_step < step),
            )
            .values(mfa_last_step=step)
            .execution_options(synchronize_session=False)
        )
        return _rowcount(result) == 1

    async def replace_password_hash(self, user_id: uuid.UUID, old: str, new: str) -> bool:
        """Swap the hash only if it is still ``old`` (no concurrent change in between)."""
        result = await self.session.execute(
            update(User)
            .where(User.id == user_id, User.password_hash == old)
            .values(password_hash=new)
            .execution_options(synchronize_session=False)
        )
        return _rowcount(result) == 1


# --- login attempts --------------------------------------------------------------------------


class Attempts:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def state_for_update(self, key: str) -> AttemptState | None:
        """The counter of ``key``, locked until the transaction ends (where the database can)."""
        row = await self.session.scalar(
            select(LoginAttempt).where(LoginAttempt.key == key).with_for_update()
        )
        if row is None:
            return None
        return AttemptState(row.failures, row.last_failure_at, row.locked_until)

    async def ensure(self, key: str) -> None:
        """Create the counter of ``key`` unless it exists, never failing when a concurrent
        request does the same. Run (and commit) before ``state_for_update``: locking a row that
        exists takes a plain row lock, where locking a missing one would take MariaDB's gap
        locks, on which concurrent first attempts deadlock."""
        values = {"key": key, "failures": 0}
        dialect = self.session.get_bind().dialect.name
        statement: Executable
        if dialect == "postgresql":
            statement = postgresql.insert(LoginAttempt).values(values).on_conflict_do_nothing()
        elif dialect in ("mysql", "mariadb"):
            statement = mysql.insert(LoginAttempt).values(values).prefix_with("IGNORE")
        else:
            statement = sqlite.insert(LoginAttempt).values(values).on_conflict_do_nothing()
        await self.session.execute(statement)

    async def save(self, key: str, decision: AttemptDecision, now: datetime) -> None:
        await self.session.execute(
            update(LoginAttempt)
            .where(LoginAttempt.key == key)
            .values(
                failures=decision.failures, last_failure_at=now, locked_until=decision.locked_until
            )
            .execution_options(synchronize_session=False)
        )

    async def clear(self, key: str) -> None:
        await self.session.execute(
            update(LoginAttempt)
            .where(LoginAttempt.key == key)
            .values(failures=0, last_failure_at=None, locked_until=None)
            .execution_options(synchronize_session=False)
        )

    async def forgive(self, key: str, decision: AttemptDecision) -> None:
        """Take back one counted attempt, and the lock it started if no later one replaced it."""
        await self.session.execute(
            update(LoginAttempt)
            .where(LoginAttempt.key == key)
            .values(failures=case((LoginAttempt.failures > 0, LoginAttempt.failures - 1), else_=0))
            .execution_options(synchronize_session=False)
        )
        if decision.locked_until is not None:
            await self.session.execute(
                update(LoginAttempt)
                .where(LoginAttempt.key == key, LoginAttempt.locked_until == decision.locked_until)
                .values(locked_until=None)
                .execution_options(synchronize_session=False)
            )


# --- password reset --------------------------------------------------------------------------


class ResetTokens:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def latest_created_at(self, user_id: uuid.UUID) -> datetime | None:
        return cast(
            datetime | None,
            await self.session.scalar(
                select(func.max(PasswordResetToken.created_at)).where(
                    PasswordResetToken.user_id == user_id
                )
            ),
        )

    async def by_digest(self, digest: str) -> PasswordResetToken | None:
        return cast(
            PasswordResetToken | None,
            await self.session.scalar(
                select(PasswordResetToken).where(PasswordResetToken.token_digest == digest)
            ),
        )

    async def spend_unused(self, user_id: uuid.UUID, now: datetime) -> None:
        """Every outstanding token of the user stops working (a newer one replaces them)."""
        await self.session.execute(
            update(PasswordResetToken)
            .where(PasswordResetToken.user_id == user_id, PasswordResetToken.used_at.is_(None))
            .values(used_at=now)
            .execution_options(synchronize_session=False)
        )

    async def claim(self, token_id: uuid.UUID, now: datetime) -> bool:
        result = await self.session.execute(
            update(PasswordResetToken)
            .where(PasswordResetToken.id == token_id, PasswordResetToken.used_at.is_(None))
            .values(used_at=now)
            .execution_options(synchronize_session=False)
        )
        return _rowcount(result) == 1


# --- MFA backup codes ------------------------------------------------------------------------


class BackupCodes:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def replace(self, user_id: uuid.UUID, digests: Sequence[str]) -> None:
        await self.delete_all(user_id)
        self.session.add_all(MfaBackupCode(user_id=user_id, code_digest=d) for d in digests)
        await self.session.flush()

    async def delete_all(self, user_id: uuid.UUID) -> None:
        await self.session.execute(
            delete(MfaBackupCode)
            .where(MfaBackupCode.user_id == user_id)
            .execution_options(synchronize_session=False)
        )

    async def consume(self, user_id: uuid.UUID, digest: str, now: datetime) -> bool:
        result = await self.session.execute(
            update(MfaBackupCode)
            .where(
                MfaBackupCode.user_id == user_id,
                MfaBackupCode.code_digest == digest,
                MfaBackupCode.used_at.is_(None),
            )
            .values(used_at=now)
            .execution_options(synchronize_session=False)
        )
        return _rowcount(result) == 1
