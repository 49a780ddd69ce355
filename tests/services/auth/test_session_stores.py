"""Both session stores keep the same promises; the service runs on Redis when configured."""

from __future__ import annotations

import contextlib
import secrets
import uuid
from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from typing import Any

import pytest
from redis.asyncio import Redis
from redis.exceptions import RedisError
from sqlalchemy import func, select

from nilecare.kernel.db.types import utcnow
from nilecare.kernel.errors import ServiceUnavailable
from nilecare.services.auth.models import AuthSession
from nilecare.services.auth.sessions import (
    DatabaseSessionStore,
    NewSession,
    RedisSessionStore,
    SessionStore,
)
from tests.databases import skip_or_fail
from tests.services.auth.conftest import Auth, bearer

REDIS_URL = "redis://127.0.0.1:6379/0"


@contextlib.asynccontextmanager
async def redis_prefix() -> AsyncIterator[tuple[Redis, str]]:
    """A reachable Redis and a key prefix of this test's own, removed afterwards."""
    client = Redis.from_url(REDIS_URL)
    try:
        await client.ping()
    except (RedisError, OSError) as exc:
        await client.aclose()
        skip_or_fail(f"redis is not reachable at {REDIS_URL}: {exc}")
    prefix = f"nilecare-test:{secrets.token_hex(6)}:"
    try:
        yield client, prefix
    finally:
        keys = [key async for key in client.scan_iter(match=prefix + "*")]
        if keys:
            await client.delete(*keys)
        await client.aclose()


@pytest.fixture(params=["database", "redis"])
async def store(request: pytest.FixtureRequest, auth: Auth) -> AsyncIterator[SessionStore]:
    if request.param == "database":
        yield DatabaseSessionStore()
        return
    async with redis_prefix() as (client, prefix):
        yield RedisSessionStore(client, prefix)


async def test_a_store_creates_rotates_detects_reuse_and_revokes(
    auth: Auth, store: SessionStore
) -> None:
    user = await auth.user()
    now = utcnow()
    context = auth.svc.context
    async with context.unit_of_work() as uow:
        first = await store.create(
            uow,
            NewSession(user.id, "digest-1", now, now + timedelta(days=7), "192.0.2.1", "Firefox"),
        )
        second = await store.create(
            uow, NewSession(user.id, "digest-a", now, now + timedelta(days=7), None, None)
        )
        await uow.commit()
    async with context.unit_of_work() as uow:
        got = await store.get(uow, first.id)
        assert got is not None and got.user_id == user.id and got.ip == "192.0.2.1"
        assert got.user_agent == "Firefox" and got.revoked_at is None
        assert got.expires_at == first.expires_at
        assert await store.get(uow, str(uuid.uuid4())) is None
        assert await store.get(uow, "not-a-session") is None
        later = now + timedelta(minutes=5)
        assert (
            await store.rotate(
                uow, first.id, "digest-1", "digest-2", now=later, ip="192.0.2.2", user_agent="App"
            )
            == "rotated"
        )
        assert (
            await store.rotate(
                uow, first.id, "digest-1", "digest-3", now=later, ip=None, user_agent=None
            )
            == "reused"
        )
        assert (
            await store.rotate(
                uow, first.id, "never-issued", "digest-4", now=later, ip=None, user_agent=None
            )
            == "unknown"
        )
        # A token of one session is nothing to another.
        assert (
            await store.rotate(
                uow, second.id, "digest-2", "digest-5", now=later, ip=None, user_agent=None
            )
            == "unknown"
        )
        rotated = await store.get(uow, first.id)
        assert rotated is not None and rotated.last_used_at == later and rotated.ip == "192.0.2.2"
        listed = await store.list_for_user(uow, user.id)
        assert {s.id for s in listed} == {first.id, second.id}
        assert await store.revoke(uow, first.id, now=later, reason="logout")
        assert not await store.revoke(uow, first.id, now=later, reason="logout")
        assert [s.id for s in await store.list_for_user(uow, user.id)] == [second.id]
        revoked = await store.get(uow, first.id)
        assert revoked is not None and revoked.revoked_at is not None
        third = await store.create(
            uow, NewSession(user.id, None, now, now + timedelta(minutes=15), None, None)
        )
        assert await store.revoke_all(uow, user.id, now=later, reason="x", keep=third.id) == [
            second.id
        ]
        assert [s.id for s in await store.list_for_user(uow, user.id)] == [third.id]
        await uow.commit()


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_the_service_keeps_sessions_in_redis_when_redis_is_configured(
    database_url: str,
    make_auth: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async with redis_prefix() as (client, prefix):
        monkeypatch.setenv("NILECARE_AUTH__REDIS_PREFIX", prefix)
        async with make_auth(database_url, redis_url=REDIS_URL) as auth:
            assert isinstance(auth.state.sessions, RedisSessionStore)
            user = await auth.user()
            body = await auth.login(user.email)
            sid = body["refresh_token"].split(".")[0]
            assert await client.exists(f"{prefix}session:{sid}")
            async with auth.svc.context.database.session() as session:
                assert await session.scalar(select(func.count()).select_from(AuthSession)) == 0
            headers = bearer(body["access_token"])
            listed = await auth.client.get("/api/v1/auth/sessions", headers=headers)
            assert [s["id"] for s in listed.json()] == [sid]
            rotated = await auth.client.post(
                "/api/v1/auth/refresh", json={"refresh_token": body["refresh_token"]}
            )
            assert rotated.status_code == 200
            reuse = await auth.client.post(
                "/api/v1/auth/refresh", json={"refresh_token": body["refresh_token"]}
            )
            assert reuse.json()["type"].endswith("/refresh-token-reused")
            me = await auth.client.get(
                "/api/v1/auth/me", headers=bearer(rotated.json()["access_token"])
            )
            assert me.status_code == 401
            # The revocation went to Redis too, where every replica sees it.
            assert await client.exists(f"nilecare:revoked-session:{sid}")


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_a_redis_outage_fails_closed(auth: Auth) -> None:
    dead = Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.2)
    store = RedisSessionStore(dead, "nilecare-test:dead:")
    try:
        async with auth.svc.context.unit_of_work() as uow:
            with pytest.raises(ServiceUnavailable):
                await store.get(uow, str(uuid.uuid4()))
            with pytest.raises(ServiceUnavailable):
                await store.rotate(
                    uow, str(uuid.uuid4()), "a", "b", now=utcnow(), ip=None, user_agent=None
                )
    finally:
        await dead.aclose()
