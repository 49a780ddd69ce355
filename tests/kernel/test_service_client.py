"""ServiceClient: forwards identity and trace, retries only what is safe, maps failures."""

from __future__ import annotations

import asyncio
import socket
from typing import Any

import pytest
from fastapi import FastAPI, Request
from starlette.responses import JSONResponse

from nilecare.kernel.context import RequestContext, reset_context, set_context
from nilecare.kernel.errors import GatewayTimeout, ServiceUnavailable
from nilecare.kernel.http.client import ServiceClient, UpstreamProblem


def upstream() -> tuple[FastAPI, dict[str, Any]]:
    seen: dict[str, Any] = {"calls": 0}
    app = FastAPI()

    @app.get("/echo")
    async def echo(request: Request) -> dict[str, Any]:
        return dict(request.headers)

    @app.api_route("/flaky", methods=["GET", "POST"])
    async def flaky() -> JSONResponse:
        seen["calls"] += 1
        return JSONResponse({"n": seen["calls"]}, status_code=503 if seen["calls"] < 3 else 200)

    @app.get("/missing")
    async def missing() -> JSONResponse:
        return JSONResponse(
            {"type": "https://nilecare.sd/problems/not-found", "detail": "gone"},
            status_code=404,
            media_type="application/problem+json",
        )

    @app.get("/taken")
    async def taken() -> JSONResponse:
        return JSONResponse(
            {
                "type": "https://nilecare.sd/problems/encounter-has-bed",
                "status": 409,
                "detail": "transfer it instead",
                "errors": [{"field": "bed_id", "message": "taken"}],
                "bed_id": "b-1",
                "request_id": "upstream-request",
            },
            status_code=409,
            media_type="application/problem+json",
        )

    @app.get("/slow")
    async def slow() -> dict[str, str]:
        await asyncio.sleep(2)
        return {}

    return app, seen


async def test_the_callers_token_request_id_and_trace_are_forwarded() -> None:
    app, _ = upstream()
    client = ServiceClient("echo", app=app)
    trace = "00-" + "a" * 32 + "-" + "b" * 16 + "-01"
    token = set_context(RequestContext("req-12345678", trace, bearer_token="tok-abc"))
    try:
        headers = await client.json("GET", "/echo")
    finally:
        reset_context(token)
    assert headers["authorization"] == "Bearer tok-abc"
    assert headers["x-request-id"] == "req-12345678"
    assert headers["traceparent"].startswith("00-" + "a" * 32 + "-")
    assert headers["traceparent"] != trace  # a child span, same trace


async def test_idempotent_calls_are_retried_and_posts_are_not() -> None:
    app, seen = upstream()
    client = ServiceClient("flaky", app=app, retries=2, backoff=0)
    assert (await client.json("GET", "/flaky"))["n"] == 3
    seen["calls"] = 0
    response = await client.request("POST", "/flaky")
    assert response.status_code == 503
    assert seen["calls"] == 1


async def test_a_4xx_problem_is_passed_on() -> None:
    app, _ = upstream()
    with pytest.raises(UpstreamProblem) as caught:
        await ServiceClient("x", app=app).json("GET", "/missing")
    assert caught.value.status == 404
    assert caught.value.slug == "not-found"


async def test_an_upstream_problems_field_errors_and_extensions_reach_the_caller() -> None:
    app, _ = upstream()
    with pytest.raises(UpstreamProblem) as caught:
        await ServiceClient("x", app=app).json("GET", "/taken")
    body = caught.value.body()
    assert body["errors"] == [{"field": "bed_id", "message": "taken"}]
    assert body["bed_id"] == "b-1"
    assert body["status"] == 409 and body["detail"] == "transfer it instead"
    assert body.get("request_id") != "upstream-request"  # ours, not theirs


async def test_a_slow_service_times_out_as_504() -> None:
    app, _ = upstream()
    with pytest.raises(GatewayTimeout):
        await ServiceClient("x", app=app, timeout=0.2, retries=0).json("GET", "/slow")


async def test_an_unreachable_service_is_503() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = ServiceClient("down", base_url=f"http://127.0.0.1:{port}", retries=1, backoff=0)
    with pytest.raises(ServiceUnavailable):
        await client.json("GET", "/anything")
