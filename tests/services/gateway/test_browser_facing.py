"""What browsers and operators see: CORS, security headers, docs, the web app, health, metrics."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

from prometheus_client import REGISTRY

from nilecare.services.gateway.app import Upstream
from nilecare.services.gateway.openapi import merge_documents
from nilecare.services.gateway.routing import RouteTable
from tests.services.gateway.stack import closed_port_url, gateway_settings, gateway_stack
from tests.services.gateway.upstreams import ECHO_READ

ORIGIN = "https://app.nilecare.example"


async def test_a_cors_preflight_from_an_allowed_origin_is_answered_and_others_refused(
    tmp_path: Path,
) -> None:
    settings = gateway_settings(cors_origins=[ORIGIN])
    async with gateway_stack(tmp_path, settings=settings) as stack:
        preflight = {
            "access-control-request-method": "POST",
            "access-control-request-headers": "authorization, content-type",
        }
        allowed = await stack.client.options(
            "/api/v1/echo/private", headers={"origin": ORIGIN, **preflight}
        )
        assert allowed.status_code == 200
        assert allowed.headers["access-control-allow-origin"] == ORIGIN
        assert "POST" in allowed.headers["access-control-allow-methods"]
        assert "authorization" in allowed.headers["access-control-allow-headers"]
        foreign = await stack.client.options(
            "/api/v1/echo/private", headers={"origin": "https://evil.example", **preflight}
        )
        assert foreign.status_code == 400
        assert foreign.headers["content-type"] == "application/problem+json"
        assert "access-control-allow-origin" not in foreign.headers
        # A refusal is readable by the allowed origin (so the app can show it), with its id.
        refused = await stack.client.get("/api/v1/echo/private", headers={"origin": ORIGIN})
        assert refused.status_code == 401
        assert refused.headers["access-control-allow-origin"] == ORIGIN
        assert "x-request-id" in refused.headers["access-control-expose-headers"]


async def test_without_configured_origins_no_cors_headers_are_sent(tmp_path: Path) -> None:
    async with gateway_stack(tmp_path) as stack:
        answer = await stack.client.get("/api/v1/echo/public/1", headers={"origin": ORIGIN})
        assert "access-control-allow-origin" not in answer.headers


async def test_every_response_carries_the_security_headers(tmp_path: Path) -> None:
    async with gateway_stack(tmp_path) as stack:
        answers = [
            await stack.client.get("/api/v1/echo/public/1"),
            await stack.client.get("/api/v1/echo/private"),
            await stack.client.get("/api/v1/nowhere"),
            await stack.client.get("/health/live"),
            await stack.client.get("/no-such-page"),
        ]
        for answer in answers:
            assert answer.headers["x-content-type-options"] == "nosniff"
            assert answer.headers["x-frame-options"] == "DENY"
            assert answer.headers["referrer-policy"] == "no-referrer"
            assert answer.headers["cross-origin-opener-policy"] == "same-origin"
            assert "camera=()" in answer.headers["permissions-policy"]
            assert answer.headers["content-security-policy"].startswith("default-src 'none'")
            assert "strict-transport-security" not in answer.headers
        # API answers carry patient data: no cache may keep them.
        assert answers[0].headers["cache-control"] == "no-store"


async def test_hsts_is_sent_only_for_requests_that_came_over_https(tmp_path: Path) -> None:
    async with gateway_stack(tmp_path, base_url="https://gateway.test") as stack:
        answer = await stack.client.get("/api/v1/echo/public/1")
        assert answer.headers["strict-transport-security"].startswith("max-age=31536000")
        assert answer.json()["headers"]["x-forwarded-proto"] == "https"
    async with gateway_stack(tmp_path / "plain") as stack:
        forged = await stack.client.get("/health/live", headers={"x-forwarded-proto": "https"})
        assert "strict-transport-security" not in forged.headers
    settings = gateway_settings(trusted_proxies=["127.0.0.1"])
    async with gateway_stack(tmp_path / "proxied", settings=settings) as stack:
        proxied = await stack.client.get("/health/live", headers={"x-forwarded-proto": "https"})
        assert "strict-transport-security" in proxied.headers


async def test_the_combined_openapi_document_has_every_upstreams_paths_and_public_marks(
    tmp_path: Path,
) -> None:
    async with gateway_stack(tmp_path) as stack:
        answer = await stack.client.get("/openapi.json")
        assert answer.status_code == 200
        document = answer.json()
        paths = document["paths"]
        assert "/api/v1/echo/private" in paths and "/api/v1/auth/login" in paths
        assert "/health/ready" in paths
        # A service's own health is not reachable through the gateway, so it is not listed.
        assert all(p.startswith(("/api/v1/", "/health/")) for p in paths)
        assert {"Gadget", "Credentials"} <= set(document["components"]["schemas"])
        assert paths["/api/v1/auth/login"]["post"]["security"] == []
        assert paths["/health/ready"]["get"]["security"] == []
        assert "security" not in paths["/api/v1/echo/private"]["get"]
        assert document["security"] == [{"bearerAuth": []}]
        assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


async def test_the_combined_openapi_document_is_built_from_remote_upstreams_too(
    tmp_path: Path,
) -> None:
    ghost = Upstream("ghost", ("ghosts",), (), url=closed_port_url())
    async with gateway_stack(tmp_path, remote=True, extra_upstreams=(ghost,)) as stack:
        answer = await stack.client.get("/openapi.json")
        assert answer.status_code == 200
        document = answer.json()
        assert "/api/v1/echo/stream" in document["paths"]
        assert "/api/v1/auth/password-reset" in document["paths"]
        assert document["x-nilecare-unavailable"] == ["ghost"]
        assert "ghost" in document["info"]["description"]


def test_schemas_with_one_name_and_two_meanings_are_kept_apart() -> None:
    first = Upstream("lab", ("lab-orders",), (), url="http://127.0.0.1:1")
    second = Upstream("pharmacy", ("prescriptions",), (), url="http://127.0.0.1:2")

    def document(prefix: str, schema: dict[str, object]) -> dict[str, object]:
        ref = {"$ref": "#/components/schemas/Item"}
        operation = {"responses": {"200": {"content": {"application/json": {"schema": ref}}}}}
        return {
            "paths": {f"/api/v1/{prefix}": {"get": operation}},
            "components": {"schemas": {"Item": schema}},
        }

    merged = merge_documents(
        {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}},
        [
            (first, document("lab-orders", {"type": "object", "title": "LabItem"})),
            (second, document("prescriptions", {"type": "string"})),
        ],
        RouteTable([first, second]),
    )
    schemas = merged["components"]["schemas"]
    assert schemas["Item"] == {"type": "object", "title": "LabItem"}
    assert schemas["pharmacy__Item"] == {"type": "string"}
    content = merged["paths"]["/api/v1/prescriptions"]["get"]["responses"]["200"]["content"]
    assert content["application/json"]["schema"]["$ref"] == "#/components/schemas/pharmacy__Item"


async def test_docs_serve_swagger_ui_with_a_policy_allowing_only_its_own_script(
    tmp_path: Path,
) -> None:
    async with gateway_stack(tmp_path) as stack:
        answer = await stack.client.get("/docs")
        assert answer.status_code == 200
        assert answer.headers["content-type"].startswith("text/html")
        assert "swagger-ui" in answer.text and "/openapi.json" in answer.text
        policy = answer.headers["content-security-policy"]
        assert "'sha256-" in policy and "'unsafe-inline'" not in policy.split("style-src")[0]


async def test_the_web_app_is_served_with_index_html_for_client_side_routes(
    tmp_path: Path,
) -> None:
    web = tmp_path / "web"
    (web / "assets").mkdir(parents=True)
    (web / "index.html").write_text("<!doctype html><title>NileCare</title><div id=root>")
    (web / "assets" / "app.js").write_text("console.log('nilecare')")
    (web / "sw.js").write_text("self.addEventListener('push', () => {})")
    async with gateway_stack(tmp_path, web_dir=web) as stack:
        root = await stack.client.get("/")
        assert root.status_code == 200 and "<title>NileCare</title>" in root.text
        assert root.headers["content-security-policy"].startswith("default-src 'self'")
        deep = await stack.client.get("/patients/42/chart")
        assert deep.status_code == 200 and "<title>NileCare</title>" in deep.text
        assert deep.headers["cache-control"] == "no-cache"
        asset = await stack.client.get("/assets/app.js")
        assert asset.status_code == 200 and asset.text == "console.log('nilecare')"
        assert "cache-control" not in asset.headers
        # The service worker is revalidated on every check, so a release replaces it at once.
        worker = await stack.client.get("/sw.js")
        assert worker.status_code == 200
        assert worker.headers["content-type"].startswith("text/javascript")
        assert worker.headers["cache-control"] == "no-cache"
        missing_asset = await stack.client.get("/assets/gone.js")
        assert missing_asset.status_code == 404
        assert missing_asset.headers["content-type"] == "application/problem+json"
        api = await stack.client.get("/api/v1/nothing/here")
        assert api.status_code == 404 and api.headers["content-type"] == "application/problem+json"
        assert (await stack.client.get("/health/live")).json() == {"status": "ok"}


async def test_without_a_web_app_unknown_pages_are_404_problems(tmp_path: Path) -> None:
    async with gateway_stack(tmp_path, web_dir=tmp_path / "not-built") as stack:
        answer = await stack.client.get("/")
        assert answer.status_code == 404
        assert answer.headers["content-type"] == "application/problem+json"


async def test_readiness_reports_each_upstream_without_failing_for_one_that_is_down(
    tmp_path: Path,
) -> None:
    ghost = Upstream("ghost", ("ghosts",), (), url=closed_port_url())
    async with gateway_stack(tmp_path, extra_upstreams=(ghost,)) as stack:
        assert (await stack.client.get("/health/live")).json() == {"status": "ok"}
        ready = await stack.client.get("/health/ready")
        assert ready.status_code == 200
        assert ready.json() == {
            "status": "degraded",
            "upstreams": {"echo": "ok", "login": "ok", "ghost": "unreachable"},
        }


async def test_metrics_label_gateway_requests_by_upstream_service_not_by_path(
    tmp_path: Path,
) -> None:
    async with gateway_stack(tmp_path) as stack:
        await stack.client.get("/api/v1/echo/public/patient-123456")
        await stack.client.get("/api/v1/echo/private", headers=stack.bearer([ECHO_READ]))
        metrics = await stack.client.get("/metrics")
        assert metrics.status_code == 200
        assert 'route="echo",service="gateway",status="200"' in metrics.text
        assert "patient-123456" not in metrics.text
        value = REGISTRY.get_sample_value(
            "nilecare_http_requests_total",
            {"service": "gateway", "method": "GET", "route": "echo", "status": "200"},
        )
        assert value is not None and value >= 2


async def test_the_given_lifespan_runs_inside_the_gateways_own(tmp_path: Path) -> None:
    events: list[str] = []

    @contextlib.asynccontextmanager
    async def services() -> AsyncIterator[None]:
        events.append("started")
        yield
        events.append("stopped")

    async with gateway_stack(tmp_path, lifespan=services) as stack:
        assert events == ["started"]
        assert (await stack.client.get("/health/live")).status_code == 200
    assert events == ["started", "stopped"]
