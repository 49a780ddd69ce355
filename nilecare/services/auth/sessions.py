"""Where sessions (refresh-token families) live: the service database, or Redis when configured.

Both stores answer the same interface. A session holds the digest of its one current refresh
token and remembers the digests of the tokens it already exchanged, so that ``rotate`` can tell
a legitimate exchange ("rotated") from the replay of a spent token ("reused", which the caller
answers by revoking the session) and from a token that never existed ("unknown").

The database store works inside the caller's unit of work, so a session change commits together
with its audit row. The Redis store applies changes at once, each atomically (Lua scripts), and
fails closed: a Redis error is a 503, never a session silently accepted.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal, Protocol, TypeVar, cast

from redis.asyncio import Redis
from redis.exceptions import RedisError
from sqlalchemy import CursorResult, select, update

from nilecare.kernel.errors import ServiceUnavailable
from nilecare.kernel.uow import UnitOfWork
from nilecare.services.auth.models import AuthSession, RefreshToken

Rotation = Literal["rotated", "reused", "unknown"]

T = TypeVar("T")


@dataclass(frozen=True)
class SessionRecord:
    id: str
    user_id: uuid.UUID
    created_at: datetime
    last_used_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    ip: str | None
    user_agent: str | None

    def is_live(self, now: datetime, idle_lifetime: timedelta) -> bool:
        """Not revoked, within its absolute lifetime and used recently enough."""
        return (
            self.revoked_at is None
            and now < self.expires_at
            and now < self.last_used_at + idle_lifetime
        )


@dataclass(frozen=True)
class NewSession:
    user_id: uuid.UUID
    # None for a session that gets no refresh token (a login that must still enrol in MFA).
    refresh_digest: str | None
    created_at: datetime
    expires_at: datetime
    ip: str | None
    user_agent: str | None


class SessionStore(Protocol):
    async def create(self, uow: UnitOfWork, new: NewSession) -> SessionRecord: ...

    async def get(self, uow: UnitOfWork, session_id: str) -> SessionRecord | None: ...

    async def rotate(
        self,
        uow: UnitOfWork,
        session_id: str,
        presented_digest: str,
        new_digest: str,
        *,
        now: datetime,
        ip: str | None,
        user_agent: str | None,
    ) -> Rotation: ...

    async def list_for_user(self, uow: UnitOfWork, user_id: uuid.UUID) -> list[SessionRecord]:
        """The user's sessions that were not revoked, newest first (expired ones included)."""
        ...

    async def revoke(self, uow: UnitOfWork, session_id: str, *, now: datetime, reason: str) -> bool:
        """True when the session existed and was not revoked before."""
        ...

    async def revoke_all(
        self,
        uow: UnitOfWork,
        user_id: uuid.UUID,
        *,
        now: datetime,
        reason: str,
        keep: str | None = None,
    ) -> list[str]:
        """Revoke every session of the user but ``keep``; returns the ids revoked."""
        ...


def _uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


class DatabaseSessionStore:
    """Sessions in the auth database, written in the caller's transaction."""

    @staticmethod
    def _record(row: AuthSession) -> SessionRecord:
        return SessionRecord(
            id=str(row.id),
            user_id=row.user_id,
            created_at=row.created_at,
            last_used_at=row.last_used_at,
            expires_at=row.expires_at,
            revoked_at=row.revoked_at,
            ip=row.ip,
            user_agent=row.user_agent,
        )

    async def create(self, uow: UnitOfWork, new: NewSession) -> SessionRecord:
        row = AuthSession(
            id=uuid.uuid4(),
            user_id=new.user_id,
            created_at=new.created_at,
            last_used_at=new.created_at,
            expires_at=new.expires_at,
            ip=new.ip,
            user_agent=new.user_agent,
        )
        uow.session.add(row)
        await uow.session.flush()
        if new.refresh_digest is not None:
            uow.session.add(
                RefreshToken(
                    token_digest=new.refresh_digest, session_id=row.id, created_at=new.created_at
                )
            )
            await uow.session.flush()
        return self._record(row)

    async def get(self, uow: UnitOfWork, session_id: str) -> SessionRecord | None:
        sid = _uuid(session_id)
        if sid is None:
            return None
        row = await uow.session.get(AuthSession, sid)
        return None if row is None else self._record(row)

    async def rotate(
        self,
        uow: UnitOfWork,
        session_id: str,
        presented_digest: str,
        new_digest: str,
        *,
        now: datetime,
        ip: str | None,
        user_agent: str | None,
    ) -> Rotation:
        sid = _uuid(session_id)
        if sid is None:
            return "unknown"
        # The conditional update is the claim: of two exchanges racing with one token, only one
        # finds it unused.
        claimed = await uow.session.execute(
            update(RefreshToken)
            .where(
                RefreshToken.token_digest == presented_digest,
                RefreshToken.session_id == sid,
                RefreshToken.used_at.is_(None),
            )
            .values(used_at=now)
            .execution_options(synchronize_session=False)
        )
        if cast(CursorResult[Any], claimed).rowcount == 1:
            uow.session.add(RefreshToken(token_digest=new_digest, session_id=sid, created_at=now))
            await uow.session.execute(
                update(AuthSession)
                .where(AuthSession.id == sid)
                .values(last_used_at=now, ip=ip, user_agent=user_agent)
                .execution_options(synchronize_session=False)
            )
            await uow.session.flush()
            return "rotated"
        spent = await uow.session.scalar(
            select(RefreshToken.token_digest).where(
                RefreshToken.token_digest == presented_digest, RefreshToken.session_id == sid
            )
        )
        return "reused" if spent is not None else "unknown"

    async def list_for_user(self, uow: UnitOfWork, user_id: uuid.UUID) -> list[SessionRecord]:
        rows = await uow.session.scalars(
            select(AuthSession)
            .where(AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None))
            .order_by(AuthSession.created_at.desc())
        )
        return [self._record(row) for row in rows]

    async def revoke(self, uow: UnitOfWork, session_id: str, *, now: datetime, reason: str) -> bool:
        sid = _uuid(session_id)
        if sid is None:
            return False
        result = await uow.session.execute(
            update(AuthSession)
            .where(AuthSession.id == sid, AuthSession.revoked_at.is_(None))
            .values(revoked_at=now, revoke_reason=reason)
            .execution_options(synchronize_session=False)
        )
        return cast(CursorResult[Any], result).rowcount == 1

    async def revoke_all(
        self,
        uow: UnitOfWork,
        user_id: uuid.UUID,
        *,
        now: datetime,
        reason: str,
        keep: str | None = None,
    ) -> list[str]:
        query = select(AuthSession.id).where(
            AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None)
        )
        kept = _uuid(keep) if keep else None
        if kept is not None:
            query = query.where(AuthSession.id != kept)
        ids = list(await uow.session.scalars(query))
        if ids:
            await uow.session.execute(
                update(AuthSession)
                .where(AuthSession.id.in_(ids), AuthSession.revoked_at.is_(None))
                .values(revoked_at=now, revoke_reason=reason)
                .execution_options(synchronize_session=False)
            )
        return [str(sid) for sid in ids]


# KEYS: session hash, its set of spent digests, the user's set of sessions.
# ARGV: session fields as name/value pairs..., then expiry (unix seconds), sid, refresh digest.
_CREATE = """
local n = #ARGV
local expires_at, sid, digest = tonumber(ARGV[n - 2]), ARGV[n - 1], ARGV[n]
for i = 1, n - 3, 2 do
  if ARGV[i + 1] ~= '' then redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
end
if digest ~= '' then redis.call('HSET', KEYS[1], 'refresh', digest) end
redis.call('EXPIREAT', KEYS[1], expires_at)
redis.call('SADD', KEYS[3], sid)
local ttl = redis.call('TTL', KEYS[3])
local wanted = expires_at - tonumber(redis.call('TIME')[1])
if ttl < wanted then redis.call('EXPIRE', KEYS[3], math.max(wanted, 1)) end
return 1
"""

# KEYS: session hash, spent set. ARGV: presented, new digest, now, ip, user agent.
_ROTATE = """
if redis.call('EXISTS', KEYS[1]) == 0 then return 'unknown' end
local current = redis.call('HGET', KEYS[1], 'refresh')
if current and current == ARGV[1] then
  redis.call('HSET', KEYS[1], 'refresh', ARGV[2], 'last_used_at', ARGV[3])
  if ARGV[4] ~= '' then redis.call('HSET', KEYS[1], 'ip', ARGV[4]) end
  if ARGV[5] ~= '' then redis.call('HSET', KEYS[1], 'user_agent', ARGV[5]) end
  redis.call('SADD', KEYS[2], ARGV[1])
  redis.call('EXPIRE', KEYS[2], math.max(redis.call('TTL', KEYS[1]), 1))
  return 'rotated'
end
if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 1 then return 'reused' end
return 'unknown'
"""

# KEYS: session hash. ARGV: now, reason. 1 when this call revoked it.
_REVOKE = """
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if redis.call('HSETNX', KEYS[1], 'revoked_at', ARGV[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'revoke_reason', ARGV[2])
return 1
"""


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _time(value: str) -> datetime:
    return datetime.fromisoformat(value).astimezone(UTC)


class RedisSessionStore:
    """Sessions in Redis, for deployments that run several auth replicas or want no DB writes
    on refresh. Keys expire with the session's absolute lifetime."""

    def __init__(self, redis: Redis, prefix: str) -> None:
        self.redis = redis
        self.prefix = prefix
        self._create = redis.register_script(_CREATE)
        self._rotate = redis.register_script(_ROTATE)
        self._revoke = redis.register_script(_REVOKE)

    def _session_key(self, session_id: str) -> str:
        return f"{self.prefix}session:{session_id}"

    def _spent_key(self, session_id: str) -> str:
        return f"{self.prefix}session:{session_id}:spent"

    def _user_key(self, user_id: uuid.UUID | str) -> str:
        return f"{self.prefix}user:{user_id}:sessions"

    @staticmethod
    async def _call(operation: Callable[[], Awaitable[T]]) -> T:
        try:
            return await operation()
        except RedisError as exc:
            raise ServiceUnavailable("The session store is unavailable") from exc

    async def create(self, uow: UnitOfWork, new: NewSession) -> SessionRecord:
        sid = str(uuid.uuid4())
        fields = {
            "user_id": str(new.user_id),
            "created_at": new.created_at.isoformat(),
            "last_used_at": new.created_at.isoformat(),
            "expires_at": new.expires_at.isoformat(),
            "ip": new.ip or "",
            "user_agent": new.user_agent or "",
        }
        args: list[str] = [item for pair in fields.items() for item in pair]
        args += [str(int(new.expires_at.timestamp()) + 1), sid, new.refresh_digest or ""]
        keys = [self._session_key(sid), self._spent_key(sid), self._user_key(new.user_id)]
        await self._call(lambda: self._create(keys=keys, args=args))
        return SessionRecord(
            id=sid,
            user_id=new.user_id,
            created_at=new.created_at,
            last_used_at=new.created_at,
            expires_at=new.expires_at,
            revoked_at=None,
            ip=new.ip,
            user_agent=new.user_agent,
        )

    async def _hash(self, session_id: str) -> dict[Any, Any]:
        key = self._session_key(session_id)
        raw: dict[Any, Any] = await self._call(lambda: self.redis.hgetall(key))
        return raw

    async def get(self, uow: UnitOfWork, session_id: str) -> SessionRecord | None:
        if _uuid(session_id) is None:
            return None
        return self._record(session_id, await self._hash(session_id))

    @staticmethod
    def _record(session_id: str, raw: dict[Any, Any]) -> SessionRecord | None:
        fields = {_text(k): _text(v) for k, v in raw.items()}
        if "user_id" not in fields:
            return None
        revoked = fields.get("revoked_at")
        return SessionRecord(
            id=session_id,
            user_id=uuid.UUID(fields["user_id"]),
            created_at=_time(fields["created_at"]),
            last_used_at=_time(fields["last_used_at"]),
            expires_at=_time(fields["expires_at"]),
            revoked_at=_time(revoked) if revoked else None,
            ip=fields.get("ip") or None,
            user_agent=fields.get("user_agent") or None,
        )

    async def rotate(
        self,
        uow: UnitOfWork,
        session_id: str,
        presented_digest: str,
        new_digest: str,
        *,
        now: datetime,
        ip: str | None,
        user_agent: str | None,
    ) -> Rotation:
        if _uuid(session_id) is None:
            return "unknown"
        keys = [self._session_key(session_id), self._spent_key(session_id)]
        args = [presented_digest, new_digest, now.isoformat(), ip or "", user_agent or ""]
        outcome = _text(await self._call(lambda: self._rotate(keys=keys, args=args)))
        if outcome not in ("rotated", "reused", "unknown"):
            raise ServiceUnavailable("The session store answered unexpectedly")
        return cast(Rotation, outcome)

    async def list_for_user(self, uow: UnitOfWork, user_id: uuid.UUID) -> list[SessionRecord]:
        user_key = self._user_key(user_id)
        members = await self._call(lambda: self.redis.smembers(user_key))
        sids = sorted(_text(member) for member in members)
        records: list[SessionRecord] = []
        gone: list[str] = []
        for sid in sids:
            record = self._record(sid, await self._hash(sid))
            if record is None:
                gone.append(sid)
            elif record.revoked_at is None:
                records.append(record)
        if gone:
            await self._call(lambda: self.redis.srem(user_key, *gone))
        return sorted(records, key=lambda record: record.created_at, reverse=True)

    async def revoke(self, uow: UnitOfWork, session_id: str, *, now: datetime, reason: str) -> bool:
        if _uuid(session_id) is None:
            return False
        keys = [self._session_key(session_id)]
        done = await self._call(lambda: self._revoke(keys=keys, args=[now.isoformat(), reason]))
        return int(done) == 1

    async def revoke_all(
        self,
        uow: UnitOfWork,
        user_id: uuid.UUID,
        *,
        now: datetime,
        reason: str,
        keep: str | None = None,
    ) -> list[str]:
        revoked: list[str] = []
        for record in await self.list_for_user(uow, user_id):
            if record.id != keep and await self.revoke(uow, record.id, now=now, reason=reason):
                revoked.append(record.id)
        return revoked
