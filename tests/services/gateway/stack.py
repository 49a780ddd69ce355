"""A gateway in front of the test upstreams, in-process or over real HTTP on loopback."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI
from redis.asyncio import Redis
from starlette.types import ASGIApp

from nilecare.kernel.auth.dependencies import public_endpoints
from nilecare.kernel.auth.revocation import MemoryRevocationStore
from nilecare.kernel.auth.tokens import TokenVerifier
from nilecare.kernel.service import ServiceSpec
from nilecare.services.gateway.app import Upstream, build_gateway
from nilecare.services.gateway.settings import GatewaySettings
from tests.harness import RunningService, platform_settings_for_tests, running_service
from tests.services.gateway.upstreams import ECHO, LOGIN
from tests.tokens import AUDIENCE, ISSUER, Signer

CALLER = ("127.0.0.1", 40000)


@contextlib.asynccontextmanager
async def serve_over_http(app: ASGIApp) -> AsyncIterator[str]:
    """Runs ``app`` under uvicorn on a free loopback port (its lifespan is the caller's job)."""
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=0,
        lifespan="off",
        log_level="warning",
        timeout_graceful_shutdown=2,
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    try:
        for _ in range(500):
            if server.started or task.done():
                break
            await asyncio.sleep(0.01)
        if not server.started:
            raise RuntimeError("the test HTTP server did not start")
        port = server.servers[0].sockets[0].getsockname()[1]
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


def closed_port_url() -> str:
    """A loopback URL where nothing listens (connections are refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def upstream_for(
    service: RunningService, *, url: str | None = None, spec: ServiceSpec | None = None
) -> Upstream:
    spec = spec or service.context.spec
    return Upstream(
        service=spec.name,
        prefixes=spec.prefixes,
        public_endpoints=tuple(public_endpoints(service.app.routes)),
        app=None if url else service.app,
        url=url,
    )


@dataclass
class GatewayStack:
    app: FastAPI
    client: httpx.AsyncClient
    signer: Signer
    verifier: TokenVerifier
    echo: RunningService
    login: RunningService
    urls: dict[str, str] = field(default_factory=dict)

    def bearer(self, permissions: list[str] | None = None, **claims: Any) -> dict[str, str]:
        token = self.signer.token(permissions or [], **claims)
        return {"Authorization": f"Bearer {token}"}


def gateway_settings(**overrides: Any) -> GatewaySettings:
    return GatewaySettings(_env_file=None, **overrides)


@contextlib.asynccontextmanager
async def gateway_stack(
    tmp_path: Path,
    *,
    remote: bool = False,
    settings: GatewaySettings | None = None,
    redis: Redis | None = None,
    web_dir: Path | None = None,
    extra_upstreams: tuple[Upstream, ...] = (),
    lifespan: Callable[[], AbstractAsyncContextManager[None]] | None = None,
    caller: tuple[str, int] = CALLER,
    base_url: str = "http://gateway.test",
) -> AsyncIterator[GatewayStack]:
    signer = Signer()
    async with (
        running_service(ECHO, "", tmp_path / "echo") as echo,
        running_service(LOGIN, "", tmp_path / "login") as login,
        contextlib.AsyncExitStack() as servers,
    ):
        urls: dict[str, str] = {}
        for svc in (echo, login):
            svc.platform.verifier._fetch = signer.fetch_jwks
            if remote:
                urls[svc.context.name] = await servers.enter_async_context(serve_over_http(svc.app))
        upstreams = [
            upstream_for(echo, url=urls.get("echo")),
            upstream_for(login, url=urls.get("login")),
            *extra_upstreams,
        ]
        verifier = TokenVerifier(
            signer.fetch_jwks,
            issuer=ISSUER,
            audience=AUDIENCE,
            revocations=MemoryRevocationStore(),
        )
        app = build_gateway(
            upstreams,
            settings=settings or gateway_settings(),
            platform=platform_settings_for_tests(tmp_path),
            verifier=verifier,
            redis=redis,
            web_dir=web_dir,
            lifespan=lifespan,
        )
        transport = httpx.ASGITransport(app=app, client=caller)
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=transport, base_url=base_url) as client,
        ):
            yield GatewayStack(app, client, signer, verifier, echo, login, urls)
