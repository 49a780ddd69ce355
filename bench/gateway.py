"""R1: an authenticated GET through the gateway against the same handler called directly; login/s.

Both sides run in this process and are driven by the same minimal ASGI caller (no sockets, no
HTTP parsing), so the ratio is the gateway's own cost: its middleware, token verification, rate
limits, metrics and the in-process forwarding. The service app on the direct side is the full
kernel app (request context, metrics, its own token verification and permission check); behind
the gateway the very same app runs again, so the gateway path verifies the token twice, as it
does in production. Rounds alternate between the two sides and the medians are compared.

Logins/s are measured against the auth service (nilecare/services/auth) on SQLite, with its
configured argon2id cost, through the gateway and directly.

    .venv/bin/python bench/gateway.py [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fastapi import APIRouter, FastAPI  # noqa: E402
from pydantic import BaseModel  # noqa: E402
from starlette.types import ASGIApp, Message  # noqa: E402

from nilecare.kernel.auth.dependencies import SecureRouter, public_endpoints, require  # noqa: E402
from nilecare.kernel.auth.principal import Principal  # noqa: E402
from nilecare.kernel.auth.revocation import MemoryRevocationStore  # noqa: E402
from nilecare.kernel.auth.tokens import TokenVerifier  # noqa: E402
from nilecare.kernel.config import PlatformSettings, service_settings_class  # noqa: E402
from nilecare.kernel.observability.logging import configure_logging  # noqa: E402
from nilecare.kernel.service import ServiceSpec, build_service_app  # noqa: E402
from nilecare.runtime.bootstrap import build_context, build_platform  # noqa: E402
from nilecare.services.gateway.app import Upstream, build_gateway  # noqa: E402
from nilecare.services.gateway.settings import GatewaySettings  # noqa: E402
from tests.tokens import AUDIENCE, ISSUER, Signer  # noqa: E402

ITEM_READ = "bench.item.read"
UNLIMITED = 10**9

router: APIRouter = SecureRouter(prefix="/api/v1/bench-items")


class ItemRead(BaseModel):
    id: str
    name: str
    stock: int


@router.get("/{item_id}")
async def get_item(item_id: str, principal: Annotated[Principal, require(ITEM_READ)]) -> ItemRead:
    return ItemRead(id=item_id, name="Paracetamol 500 mg", stock=1200)


BENCH_SERVICE = ServiceSpec(
    name="bench",
    title="Bench",
    description="One permission-protected read",
    port=0,
    prefixes=("bench-items",),
    routers=(router,),
    settings_class=service_settings_class("bench"),
)


class AsgiCaller:
    """One request, the same way for any ASGI app: a fresh scope, the body at once, the status
    kept and the response body discarded."""

    def __init__(
        self, app: ASGIApp, method: str, path: str, headers: dict[str, str], body: bytes = b""
    ) -> None:
        self.app = app
        self.body = body
        self.scope: dict[str, Any] = {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.3"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": [(b"host", b"bench.local")]
            + [(k.lower().encode(), v.encode()) for k, v in headers.items()]
            + ([(b"content-length", str(len(body)).encode())] if body else []),
            "client": ("127.0.0.1", 50000),
            "server": ("bench.local", 80),
        }

    async def __call__(self) -> int:
        status = 0
        sent = False

        async def receive() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": self.body, "more_body": False}
            await asyncio.sleep(3600)
            return {"type": "http.disconnect"}

        async def send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]

        await self.app(dict(self.scope), receive, send)
        return status


async def requests_per_second(call: Callable[[], Awaitable[int]], seconds: float) -> float:
    done = 0
    begin = time.perf_counter()
    deadline = begin + seconds
    while True:
        for _ in range(50):
            status = await call()
            if status != 200:
                raise RuntimeError(f"the benchmark request answered {status}")
        done += 50
        now = time.perf_counter()
        if now >= deadline:
            return done / (now - begin)


def platform_settings(data_dir: Path) -> PlatformSettings:
    return PlatformSettings(
        _env_file=None, environment="development", data_dir=data_dir, log_level="WARNING"
    )


def gateway_settings() -> GatewaySettings:
    return GatewaySettings(
        _env_file=None,
        ip_requests_per_minute=UNLIMITED,
        user_requests_per_minute=UNLIMITED,
        login_requests_per_minute=UNLIMITED,
    )


def upstream_of(name: str, app: FastAPI, prefixes: tuple[str, ...]) -> Upstream:
    return Upstream(name, prefixes, tuple(public_endpoints(app.routes)), app=app)


@contextlib.asynccontextmanager
async def started(app: FastAPI) -> AsyncIterator[FastAPI]:
    async with app.router.lifespan_context(app):
        yield app


@dataclass
class Figures:
    direct: float
    gateway: float

    @property
    def ratio(self) -> float:
        return self.gateway / self.direct


async def measure_reads(data_dir: Path, *, rounds: int, seconds: float) -> Figures:
    signer = Signer()
    platform = build_platform(platform_settings(data_dir))
    platform.verifier._fetch = signer.fetch_jwks
    service = build_service_app(build_context(platform, BENCH_SERVICE))
    verifier = TokenVerifier(
        signer.fetch_jwks, issuer=ISSUER, audience=AUDIENCE, revocations=MemoryRevocationStore()
    )
    gateway = build_gateway(
        [upstream_of("bench", service, BENCH_SERVICE.prefixes)],
        settings=gateway_settings(),
        platform=platform.settings,
        verifier=verifier,
    )
    headers = {"authorization": f"Bearer {signer.token([ITEM_READ])}"}
    path = "/api/v1/bench-items/amoxicillin-250"
    direct = AsgiCaller(service, "GET", path, headers)
    through_gateway = AsgiCaller(gateway, "GET", path, headers)
    try:
        async with started(service), started(gateway):
            await requests_per_second(direct, 0.3)
            await requests_per_second(through_gateway, 0.3)
            direct_rates, gateway_rates = [], []
            for _ in range(rounds):
                direct_rates.append(await requests_per_second(direct, seconds))
                gateway_rates.append(await requests_per_second(through_gateway, seconds))
    finally:
        await platform.aclose()
    return Figures(statistics.median(direct_rates), statistics.median(gateway_rates))


async def logins_per_second(caller: AsgiCaller, seconds: float, concurrency: int) -> float:
    done = 0
    deadline = time.perf_counter() + seconds

    async def worker() -> None:
        nonlocal done
        while time.perf_counter() < deadline:
            status = await caller()
            if status != 200:
                raise RuntimeError(f"login answered {status}")
            done += 1

    begin = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return done / (time.perf_counter() - begin)


@dataclass
class LoginFigures(Figures):
    argon2: str
    concurrency: int


async def measure_logins(data_dir: Path, *, seconds: float, concurrency: int) -> LoginFigures:
    """Logins/s against the auth service on SQLite: a user made with ``create_user``, then
    ``POST /api/v1/auth/login`` with the right password, directly and through the gateway."""
    from nilecare.contracts.auth.roles import DOCTOR
    from nilecare.kernel.db.migrations import upgrade_database
    from nilecare.services.auth.admin import create_user
    from nilecare.services.auth.app import SERVICE as AUTH

    platform = build_platform(platform_settings(data_dir))
    context = build_context(
        platform, AUTH, database_url=f"sqlite+aiosqlite:///{data_dir / 'auth.sqlite3'}"
    )
    assert AUTH.migrations is not None
    await upgrade_database(context.database, AUTH.migrations)
    auth = build_service_app(context)
    platform.directory.register_app(AUTH.name, auth)
    gateway = build_gateway(
        [upstream_of(AUTH.name, auth, AUTH.prefixes)],
        settings=gateway_settings(),
        platform=platform.settings,
        verifier=platform.verifier,
    )
    settings: Any = context.settings
    argon2 = (
        f"argon2id t={settings.argon2_time_cost} m={settings.argon2_memory_cost} KiB "
        f"p={settings.argon2_parallelism}"
    )
    password = "Nile-" + secrets.token_urlsafe(18)
    body = f'{{"email": "bench.doctor@nilecare.example", "password": "{password}"}}'.encode()
    headers = {"content-type": "application/json"}
    try:
        async with started(auth), started(gateway):
            await create_user(
                context,
                email="bench.doctor@nilecare.example",
                password=password,
                full_name="Bench Doctor",
                roles=[DOCTOR],
            )
            direct = AsgiCaller(auth, "POST", "/api/v1/auth/login", headers, body)
            through_gateway = AsgiCaller(gateway, "POST", "/api/v1/auth/login", headers, body)
            await logins_per_second(direct, 0.5, concurrency)
            direct_rate = await logins_per_second(direct, seconds, concurrency)
            gateway_rate = await logins_per_second(through_gateway, seconds, concurrency)
    finally:
        await platform.aclose()
    return LoginFigures(direct_rate, gateway_rate, argon2, concurrency)


async def main(quick: bool) -> None:
    configure_logging("WARNING", json_lines=False)
    rounds, seconds = (3, 0.5) if quick else (5, 2.0)
    with tempfile.TemporaryDirectory(prefix="nilecare-bench-") as tmp:
        reads = await measure_reads(Path(tmp) / "reads", rounds=rounds, seconds=seconds)
        print("R1 authenticated GET, in-process ASGI, permission-checked handler")
        print(f"  direct to the service app : {reads.direct:>9,.0f} requests/s")
        print(f"  through the gateway       : {reads.gateway:>9,.0f} requests/s")
        print(f"  gateway overhead          : {1e6 / reads.gateway - 1e6 / reads.direct:>9,.0f} µs")
        verdict = "meets" if reads.ratio >= 0.5 else "MISSES"
        print(f"  ratio gateway / direct    : {reads.ratio:>9.2f}x  ({verdict} the goal of 0.5x)")

        logins = await measure_logins(
            Path(tmp) / "logins", seconds=3.0 if quick else 10.0, concurrency=4
        )
        print(f"Login, auth service on SQLite, {logins.argon2}, {logins.concurrency} at a time")
        print(f"  direct to the auth service: {logins.direct:>9,.1f} logins/s")
        print(f"  through the gateway       : {logins.gateway:>9,.1f} logins/s")
        print(f"  ratio gateway / direct    : {logins.ratio:>9.2f}x")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short rounds (a few seconds)")
    asyncio.run(main(parser.parse_args().quick))
