"""Two small kernel services to put behind the gateway in tests.

``echo`` answers with what it received (method, path, query, headers, body, client address), has
a public and a permission-protected route, a slow route and a streamed one. ``login`` stands in
for the auth service's credential endpoints (public, under the ``auth`` prefix).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel

from nilecare.kernel.auth.dependencies import PUBLIC, SecureRouter, require
from nilecare.kernel.auth.principal import Principal
from nilecare.kernel.config import service_settings_class
from nilecare.kernel.service import ServiceSpec

ECHO_READ = "echo.item.read"

# Bodies the echo service received, so a test can tell that a refused request never arrived.
RECEIVED_BODIES: list[int] = []

echo_router: APIRouter = SecureRouter(prefix="/api/v1/echo")


class Gadget(BaseModel):
    """A schema only the echo service defines."""

    name: str
    size: int


async def _echo(request: Request) -> dict[str, Any]:
    body = await request.body()
    RECEIVED_BODIES.append(len(body))
    return {
        "method": request.method,
        "path": request.url.path,
        "raw_path": request.scope.get("raw_path", b"").decode(),
        "query": request.url.query,
        "headers": dict(request.headers.items()),
        "header_names": [name for name, _ in request.headers.items()],
        "client": request.client.host if request.client else None,
        "body": body.decode("latin-1"),
        "length": len(body),
    }


@echo_router.get("/public/{item_id}", dependencies=[PUBLIC])
async def read_public(item_id: str, request: Request) -> dict[str, Any]:
    return {"item_id": item_id, **await _echo(request)}


@echo_router.post("/public/{item_id}", dependencies=[PUBLIC])
async def write_public(item_id: str, request: Request) -> dict[str, Any]:
    return {"item_id": item_id, **await _echo(request)}


@echo_router.get("/private")
async def echo_private(
    request: Request, principal: Annotated[Principal, require(ECHO_READ)]
) -> dict[str, Any]:
    return {"user": str(principal.user_id), **await _echo(request)}


@echo_router.post("/gadgets", dependencies=[PUBLIC], status_code=201)
async def create_gadget(gadget: Gadget) -> Gadget:
    return gadget


@echo_router.get("/slow", dependencies=[PUBLIC])
async def slow(seconds: float = 1.0) -> dict[str, str]:
    await asyncio.sleep(seconds)
    return {"status": "finally"}


@echo_router.get("/stream", dependencies=[PUBLIC])
async def stream(chunks: int = 5) -> StreamingResponse:
    async def numbers() -> AsyncIterator[bytes]:
        for number in range(chunks):
            yield f"chunk-{number}\n".encode()
            await asyncio.sleep(0)

    return StreamingResponse(numbers(), media_type="text/plain")


@echo_router.get("/hop-headers", dependencies=[PUBLIC])
async def hop_headers() -> JSONResponse:
    return JSONResponse(
        {"ok": True},
        headers={
            "keep-alive": "timeout=5",
            "x-request-id": "set-by-the-upstream",
            "x-kept": "yes",
        },
    )


ECHO = ServiceSpec(
    name="echo",
    title="Echo",
    description="Answers with what it received",
    port=0,
    prefixes=("echo",),
    routers=(echo_router,),
    settings_class=service_settings_class("echo"),
)


login_router: APIRouter = SecureRouter(prefix="/api/v1/auth")


class Credentials(BaseModel):
    email: str
    password: str


@login_router.post("/login", dependencies=[PUBLIC])
async def login(credentials: Credentials) -> dict[str, str]:
    return {"status": "checked", "email": credentials.email}


@login_router.post("/password-reset", dependencies=[PUBLIC], status_code=202)
async def request_password_reset() -> dict[str, str]:
    return {"status": "accepted"}


@login_router.get("/me")
async def me(principal: Annotated[Principal, require(ECHO_READ)]) -> dict[str, str]:
    return {"user": str(principal.user_id)}


LOGIN = ServiceSpec(
    name="login",
    title="Login stand-in",
    description="Credential endpoints under the auth prefix",
    port=0,
    prefixes=("auth",),
    routers=(login_router,),
    settings_class=service_settings_class("login"),
)
