"""Forwarding: headers, ids, client address, body limits, and upstream failures as problems."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

from nilecare.services.gateway.app import Upstream
from tests.services.gateway.stack import closed_port_url, gateway_settings, gateway_stack
from tests.services.gateway.upstreams import RECEIVED_BODIES

TRACEPARENT = re.compile(r"^00-([0-9a-f]{32})-([0-9a-f]{16})-01$")


async def test_a_well_formed_request_id_is_kept_forwarded_and_returned(tmp_path: Path) -> None:
    async with gateway_stack(tmp_path) as stack:
        incoming = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
        answer = await stack.client.get(
            "/api/v1/echo/public/1",
            headers={"x-request-id": "req-12345678", "traceparent": incoming},
        )
        assert answer.headers.get_list("x-request-id") == ["req-12345678"]
        seen = answer.json()["headers"]
        assert seen["x-request-id"] == "req-12345678"
        forwarded = TRACEPARENT.match(seen["traceparent"])
        assert forwarded is not None
        # Same trace, a new span.
        assert forwarded.group(1) == "0af7651916cd43dd8448eb211c80319c"
        assert forwarded.group(2) != "b7ad6b7169203331"


async def test_a_malformed_request_id_is_replaced_and_a_trace_started(tmp_path: Path) -> None:
    async with gateway_stack(tmp_path) as stack:
        answer = await stack.client.get(
            "/api/v1/echo/public/1", headers={"x-request-id": "bad id\twith junk"}
        )
        request_id = answer.headers["x-request-id"]
        assert request_id != "bad id\twith junk" and re.fullmatch(r"[0-9a-f]{32}", request_id)
        assert answer.json()["headers"]["x-request-id"] == request_id
        assert TRACEPARENT.match(answer.json()["headers"]["traceparent"])
        # Problems carry the same id.
        missing = await stack.client.get("/api/v1/unknown", headers={"x-request-id": "abc-1234-x"})
        assert missing.json()["request_id"] == "abc-1234-x"


async def test_hop_by_hop_headers_are_stripped_in_both_directions(tmp_path: Path) -> None:
    async with gateway_stack(tmp_path) as stack:
        answer = await stack.client.get(
            "/api/v1/echo/public/1",
            headers={
                "connection": "keep-alive, x-private-hop",
                "x-private-hop": "secret",
                "keep-alive": "timeout=5",
                "te": "trailers",
                "proxy-authorization": "Basic abc",
                "x-end-to-end": "kept",
            },
        )
        names = answer.json()["header_names"]
        for hop in ("connection", "x-private-hop", "keep-alive", "te", "proxy-authorization"):
            assert hop not in names
        assert "x-end-to-end" in names
        back = await stack.client.get("/api/v1/echo/hop-headers")
        assert "keep-alive" not in back.headers
        assert back.headers["x-kept"] == "yes"
        assert back.headers.get_list("x-request-id") != ["set-by-the-upstream"]
        assert len(back.headers.get_list("x-request-id")) == 1


async def test_the_upstream_sees_the_callers_address_and_not_a_forged_one(tmp_path: Path) -> None:
    async with gateway_stack(tmp_path, caller=("198.51.100.20", 5555)) as stack:
        answer = await stack.client.get(
            "/api/v1/echo/public/1", headers={"x-forwarded-for": "10.0.0.1"}
        )
        seen = answer.json()
        assert seen["client"] == "198.51.100.20"
        assert seen["headers"]["x-forwarded-for"] == "198.51.100.20"


async def test_behind_a_trusted_proxy_the_forwarded_client_address_is_used(tmp_path: Path) -> None:
    settings = gateway_settings(trusted_proxies=["127.0.0.0/8"])
    async with gateway_stack(tmp_path, settings=settings) as stack:
        answer = await stack.client.get(
            "/api/v1/echo/public/1", headers={"x-forwarded-for": "203.0.113.50"}
        )
        assert answer.json()["client"] == "203.0.113.50"


async def test_a_body_declared_over_the_limit_gets_413_without_reaching_the_upstream(
    tmp_path: Path,
) -> None:
    async with gateway_stack(tmp_path, settings=gateway_settings(max_body_bytes=1024)) as stack:
        before = len(RECEIVED_BODIES)
        answer = await stack.client.post("/api/v1/echo/public/1", content=b"x" * 1025)
        assert answer.status_code == 413
        assert answer.headers["content-type"] == "application/problem+json"
        assert len(RECEIVED_BODIES) == before
        exact = await stack.client.post("/api/v1/echo/public/1", content=b"x" * 1024)
        assert exact.status_code == 200 and exact.json()["length"] == 1024


async def _chunks(count: int, size: int) -> AsyncIterator[bytes]:
    for _ in range(count):
        yield b"y" * size


async def test_a_chunked_body_is_counted_and_refused_once_over_the_limit(tmp_path: Path) -> None:
    async with gateway_stack(tmp_path, settings=gateway_settings(max_body_bytes=1024)) as stack:
        before = len(RECEIVED_BODIES)
        answer = await stack.client.post("/api/v1/echo/public/1", content=_chunks(5, 300))
        assert answer.status_code == 413
        assert len(RECEIVED_BODIES) == before
        fits = await stack.client.post("/api/v1/echo/public/1", content=_chunks(3, 300))
        assert fits.status_code == 200
        seen = fits.json()
        assert seen["length"] == 900 and seen["body"] == "y" * 900
        assert seen["headers"]["content-length"] == "900"
        assert "transfer-encoding" not in seen["header_names"]


async def test_the_default_body_limit_is_ten_mebibytes(tmp_path: Path) -> None:
    async with gateway_stack(tmp_path) as stack:
        too_big = await stack.client.post(
            "/api/v1/echo/public/1", content=b"z" * (10 * 1024 * 1024 + 1)
        )
        assert too_big.status_code == 413


async def test_a_slow_in_process_upstream_gets_504(tmp_path: Path) -> None:
    settings = gateway_settings(upstream_timeout_seconds=0.2)
    async with gateway_stack(tmp_path, settings=settings) as stack:
        answer = await stack.client.get("/api/v1/echo/slow", params={"seconds": 5})
        assert answer.status_code == 504
        assert answer.headers["content-type"] == "application/problem+json"
        assert answer.json()["type"].endswith("/gateway-timeout")
        fast = await stack.client.get("/api/v1/echo/slow", params={"seconds": 0})
        assert fast.json() == {"status": "finally"}


async def test_a_remote_upstream_is_called_over_http_and_its_stream_passed_through(
    tmp_path: Path,
) -> None:
    async with gateway_stack(tmp_path, remote=True) as stack:
        assert stack.urls["echo"].startswith("http://127.0.0.1:")
        answer = await stack.client.post(
            "/api/v1/echo/public/7?q=%20space",
            content=b"remote body",
            headers={"x-request-id": "remote-req-1"},
        )
        assert answer.status_code == 200
        seen = answer.json()
        assert seen["body"] == "remote body" and seen["query"] == "q=%20space"
        assert seen["headers"]["x-request-id"] == "remote-req-1"
        assert seen["headers"]["x-forwarded-host"] == "gateway.test"
        # No header the caller did not send is added on the way (compression, agent).
        assert "accept-encoding" in seen["header_names"]
        assert seen["headers"]["user-agent"].startswith("python-httpx")
        assert answer.headers.get_list("x-request-id") == ["remote-req-1"]
        assert "server" not in answer.headers
        streamed = await stack.client.get("/api/v1/echo/stream", params={"chunks": 50})
        assert streamed.text == "".join(f"chunk-{n}\n" for n in range(50))
        private = await stack.client.get("/api/v1/echo/private")
        assert private.status_code == 401


async def test_a_remote_upstream_that_is_down_gives_502(tmp_path: Path) -> None:
    ghost = Upstream(
        service="ghost",
        prefixes=("ghosts",),
        public_endpoints=(("GET", "/api/v1/ghosts/{ghost_id}"),),
        url=closed_port_url(),
    )
    async with gateway_stack(tmp_path, extra_upstreams=(ghost,)) as stack:
        answer = await stack.client.get("/api/v1/ghosts/1")
        assert answer.status_code == 502
        body = answer.json()
        assert body["type"].endswith("/bad-gateway") and "ghost" in body["detail"]
        assert "Errno" not in answer.text and "Connect" not in answer.text


async def test_a_slow_remote_upstream_gives_504(tmp_path: Path) -> None:
    settings = gateway_settings(upstream_timeout_seconds=0.3)
    async with gateway_stack(tmp_path, remote=True, settings=settings) as stack:
        answer = await stack.client.get("/api/v1/echo/slow", params={"seconds": 1.5})
        assert answer.status_code == 504
        assert answer.headers["content-type"] == "application/problem+json"
