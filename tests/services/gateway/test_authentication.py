"""The gateway verifies the access token before forwarding anything that is not public."""

from __future__ import annotations

import time
from pathlib import Path

from structlog.testing import capture_logs

from tests.services.gateway.stack import gateway_stack
from tests.services.gateway.upstreams import ECHO_READ, RECEIVED_BODIES
from tests.tokens import Signer


async def test_a_public_endpoint_needs_no_token_and_a_protected_one_does(tmp_path: Path) -> None:
    async with gateway_stack(tmp_path) as stack:
        public = await stack.client.get("/api/v1/echo/public/1")
        assert public.status_code == 200
        with capture_logs() as logs:
            refused = await stack.client.get("/api/v1/echo/private")
        # Refused by the gateway itself, not only by the service behind it.
        assert [e["reason"] for e in logs if e["event"] == "authentication_refused"] == [
            "missing-token"
        ]
        assert refused.status_code == 401
        assert refused.headers["www-authenticate"] == "Bearer"
        assert refused.headers["content-type"] == "application/problem+json"
        assert refused.json()["status"] == 401
        allowed = await stack.client.get("/api/v1/echo/private", headers=stack.bearer([ECHO_READ]))
        assert allowed.status_code == 200, allowed.text
        assert allowed.json()["path"] == "/api/v1/echo/private"


async def test_an_authenticated_route_of_a_public_prefix_still_needs_a_token(
    tmp_path: Path,
) -> None:
    async with gateway_stack(tmp_path) as stack:
        assert (await stack.client.get("/api/v1/auth/me")).status_code == 401
        me = await stack.client.get("/api/v1/auth/me", headers=stack.bearer([ECHO_READ]))
        assert me.status_code == 200


async def test_the_upstream_still_enforces_permissions_behind_the_gateway(tmp_path: Path) -> None:
    async with gateway_stack(tmp_path) as stack:
        answer = await stack.client.get("/api/v1/echo/private", headers=stack.bearer(["other"]))
        assert answer.status_code == 403
        assert answer.json()["type"].endswith("/forbidden")


async def test_bad_expired_foreign_and_refresh_tokens_are_refused_before_the_upstream(
    tmp_path: Path,
) -> None:
    async with gateway_stack(tmp_path) as stack:
        now = int(time.time())
        tokens = {
            "garbage": "not.a.token",
            "expired": stack.signer.token([ECHO_READ], exp=now - 60, iat=now - 600, nbf=now - 600),
            "wrong audience": stack.signer.token([ECHO_READ], aud="someone-else"),
            "refresh token": stack.signer.token([ECHO_READ], type="refresh"),
            "other signer": Signer().token([ECHO_READ]),
        }
        received_before = len(RECEIVED_BODIES)
        for label, token in tokens.items():
            with capture_logs() as logs:
                answer = await stack.client.post(
                    "/api/v1/echo/public/1",
                    headers={"Authorization": f"Bearer {token}"},
                )
                refused = await stack.client.get(
                    "/api/v1/echo/private", headers={"Authorization": f"Bearer {token}"}
                )
            # A public endpoint ignores the token; a protected one refuses a bad one.
            assert answer.status_code == 200, label
            assert refused.status_code == 401, label
            assert refused.headers["www-authenticate"] == "Bearer", label
            assert refused.json()["type"].endswith("/invalid-token"), label
            events = [e for e in logs if e["event"] == "authentication_refused"]
            assert len(events) == 1, label
            assert events[0]["category"] == "security"
            assert events[0]["service"] == "echo"
            assert all(token not in str(value) for e in logs for value in e.values()), label
        # Only the public requests reached the upstream.
        assert len(RECEIVED_BODIES) - received_before == len(tokens)


async def test_a_token_of_a_revoked_session_is_refused(tmp_path: Path) -> None:
    async with gateway_stack(tmp_path) as stack:
        headers = stack.bearer([ECHO_READ], sid="session-1")
        assert (await stack.client.get("/api/v1/echo/private", headers=headers)).status_code == 200
        await stack.verifier.revocations.revoke_session("session-1", 300)
        answer = await stack.client.get("/api/v1/echo/private", headers=headers)
        assert answer.status_code == 401
        assert "revoked" in answer.json()["detail"]
