"""The auth service running on each database, with helpers to make users and log in."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pyotp
import pytest
from sqlalchemy import select

from nilecare.contracts.auth.schemas import UserRead
from nilecare.kernel.db.types import utcnow
from nilecare.services.auth import admin
from nilecare.services.auth.app import SERVICE
from nilecare.services.auth.models import kernel_tables
from nilecare.services.auth.state import AuthState
from tests.harness import RunningService, running_service
from tests.live import use_fast_argon2

PASSWORD = "violet-river-lantern-42"
# The client address of tests.harness's transport.
HARNESS_IP = "203.0.113.7"


@pytest.fixture(autouse=True)
def fast_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    use_fast_argon2(monkeypatch)


class CapturingNotifier:
    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []
        self.languages: list[str] = []

    async def send_password_reset(self, email: str, token: str, *, language: str = "ar") -> None:
        self.sent.append((email, token))
        self.languages.append(language)


class Clock:
    """The service's clock, movable forward."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return utcnow() + self.offset

    def advance(self, **delta: float) -> None:
        self.offset += timedelta(**delta)


@dataclass
class Auth:
    svc: RunningService
    notifier: CapturingNotifier
    clock: Clock
    _clients: dict[str, httpx.AsyncClient] = field(default_factory=dict)

    @property
    def client(self) -> httpx.AsyncClient:
        return self.svc.client

    @property
    def state(self) -> AuthState:
        state: AuthState = self.svc.app.state.auth
        return state

    def from_ip(self, ip: str) -> httpx.AsyncClient:
        """A client whose requests come from ``ip``."""
        if ip not in self._clients:
            transport = httpx.ASGITransport(app=self.svc.app, client=(ip, 40000))
            self._clients[ip] = httpx.AsyncClient(transport=transport, base_url="http://test")
        return self._clients[ip]

    async def user(
        self,
        email: str | None = None,
        *,
        roles: tuple[str, ...] = ("doctor",),
        password: str = PASSWORD,
        facility_ids: tuple[uuid.UUID, ...] = (),
        full_name: str = "Amna Osman",
    ) -> UserRead:
        return await admin.create_user(
            self.svc.context,
            email=email or f"user-{uuid.uuid4().hex[:8]}@nilecare.sd",
            password=password,
            full_name=full_name,
            roles=roles,
            facility_ids=facility_ids,
        )

    async def login(
        self,
        email: str,
        password: str = PASSWORD,
        *,
        otp: str | None = None,
        client: httpx.AsyncClient | None = None,
        expect: int = 200,
        headers: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        body: dict[str, Any] = {"email": email, "password": password}
        if otp is not None:
            body["otp"] = otp
        response = await (client or self.client).post(
            "/api/v1/auth/login", json=body, headers=headers
        )
        assert response.status_code == expect, response.text
        result: dict[str, Any] = response.json()
        return result

    async def token_for(self, roles: tuple[str, ...] = ("doctor",), **kw: Any) -> str:
        """A user with ``roles`` (MFA enrolled where the role requires it) and its access token."""
        user = await self.user(roles=roles, **kw)
        if any(role in ("admin", "super_admin") for role in roles):
            return str((await self.enrol_and_login(user.email))["access_token"])
        return str((await self.login(user.email))["access_token"])

    async def enrol_and_login(self, email: str, password: str = PASSWORD) -> dict[str, Any]:
        """Enrol in MFA with the login's token, then log in fully with a TOTP code."""
        first = await self.login(email, password)
        secret, _ = await self.enrol_mfa(first["access_token"])
        return await self.login(email, password, otp=self.totp(secret, steps=1))

    async def enrol_mfa(self, token: str) -> tuple[str, list[str]]:
        headers = bearer(token)
        started = await self.client.post("/api/v1/auth/mfa/enrollment", headers=headers)
        assert started.status_code == 201, started.text
        secret = started.json()["secret"]
        confirmed = await self.client.post(
            "/api/v1/auth/mfa/enrollment/confirmation",
            json={"code": self.totp(secret)},
            headers=headers,
        )
        assert confirmed.status_code == 200, confirmed.text
        return secret, confirmed.json()["backup_codes"]

    def totp(self, secret: str, steps: int = 0) -> str:
        """The code of the current time step (by the service clock), or ``steps`` later."""
        return pyotp.TOTP(secret).at(self.clock(), counter_offset=steps)

    async def audit_rows(self, action: str | None = None) -> list[Any]:
        audit = kernel_tables.audit_events
        query = select(audit).order_by(audit.c.seq)
        if action is not None:
            query = query.where(audit.c.action == action)
        async with self.svc.context.database.engine.connect() as conn:
            return list((await conn.execute(query)).all())

    async def published_types(self) -> list[str]:
        return [envelope.type for envelope in await self.svc.published()]

    async def aclose(self) -> None:
        for client in self._clients.values():
            await client.aclose()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
async def auth(database_url: str, tmp_path: Path) -> AsyncIterator[Auth]:
    async with running_service(SERVICE, database_url, tmp_path) as svc:
        wired = _wire(svc)
        try:
            yield wired
        finally:
            await wired.aclose()


def _wire(svc: RunningService) -> Auth:
    state: AuthState = svc.app.state.auth
    notifier = CapturingNotifier()
    clock = Clock()
    state.notifier = notifier
    state.clock = clock
    return Auth(svc, notifier, clock)


@pytest.fixture
def make_auth(tmp_path: Path) -> Callable[..., Any]:
    """For tests that need platform overrides (e.g. Redis): ``async with make_auth(url, **kw)``."""

    @contextlib.asynccontextmanager
    async def make(database_url: str, **overrides: Any) -> AsyncIterator[Auth]:
        async with running_service(SERVICE, database_url, tmp_path, **overrides) as svc:
            auth = _wire(svc)
            try:
                yield auth
            finally:
                await auth.aclose()

    return make
