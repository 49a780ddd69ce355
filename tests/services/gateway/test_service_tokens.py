"""A service token is for calls between services: the gateway refuses one from outside."""

from __future__ import annotations

from pathlib import Path

import httpx
from structlog.testing import capture_logs

from nilecare.services.gateway.app import build_gateway
from tests.harness import platform_settings_for_tests, running_service
from tests.services.gateway.stack import CALLER, gateway_settings, upstream_for
from tests.services.gateway.upstreams import ECHO, ECHO_READ


async def test_the_gateway_refuses_a_service_token_the_service_itself_accepts(
    tmp_path: Path,
) -> None:
    async with running_service(ECHO, "", tmp_path) as echo:
        tokens = echo.platform.directory.service_tokens
        assert tokens is not None
        tokens.register("echo", frozenset({ECHO_READ}))
        bearer = {"Authorization": f"Bearer {tokens.token_for('echo')}"}
        # As in the all-in-one process: the gateway shares the platform's verifier, service key
        # included, and still refuses.
        gateway = build_gateway(
            [upstream_for(echo)],
            settings=gateway_settings(),
            platform=platform_settings_for_tests(tmp_path),
            verifier=echo.platform.verifier,
        )
        transport = httpx.ASGITransport(app=gateway, client=CALLER)
        async with (
            gateway.router.lifespan_context(gateway),
            httpx.AsyncClient(transport=transport, base_url="http://gateway.test") as client,
        ):
            with capture_logs() as logs:
                outside = await client.get("/api/v1/echo/private", headers=bearer)
        assert outside.status_code == 401
        assert outside.json()["detail"] == "Service tokens are accepted only between services"
        assert [e["reason"] for e in logs if e["event"] == "authentication_refused"] == [
            "invalid-token"
        ]
        inside = await echo.client.get("/api/v1/echo/private", headers=bearer)
        assert inside.status_code == 200, inside.text
