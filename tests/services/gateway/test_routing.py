"""Routing by resource prefix: the owning upstream gets the request exactly as it was sent."""

from __future__ import annotations

from pathlib import Path

import pytest

from nilecare.kernel.auth.revocation import MemoryRevocationStore
from nilecare.kernel.auth.tokens import TokenVerifier
from nilecare.services.gateway.app import PrefixClashError, Upstream, build_gateway
from nilecare.services.gateway.routing import PublicEndpoints, RouteTable, has_dot_segment
from tests.harness import platform_settings_for_tests as platform_settings
from tests.services.gateway.stack import gateway_settings, gateway_stack
from tests.tokens import AUDIENCE, ISSUER, Signer


def test_two_upstreams_claiming_one_prefix_are_refused_when_the_gateway_is_built(
    tmp_path: Path,
) -> None:
    signer = Signer()
    verifier = TokenVerifier(
        signer.fetch_jwks, issuer=ISSUER, audience=AUDIENCE, revocations=MemoryRevocationStore()
    )
    upstreams = [
        Upstream("lab", ("lab-orders", "lab-results"), (), url="http://127.0.0.1:7080"),
        Upstream("clinical", ("encounters", "lab-results"), (), url="http://127.0.0.1:7110"),
    ]
    with pytest.raises(PrefixClashError, match=r"'lab-results'.*'lab'.*'clinical'"):
        build_gateway(
            upstreams,
            settings=gateway_settings(),
            platform=platform_settings(tmp_path),
            verifier=verifier,
        )


def test_an_upstream_needs_exactly_one_of_app_or_url() -> None:
    with pytest.raises(ValueError, match="exactly one of app or url"):
        RouteTable([Upstream("lab", ("lab-orders",), ())])


def test_public_endpoint_templates_match_one_segment_per_parameter_and_the_method() -> None:
    public = PublicEndpoints(
        [
            ("GET", "/api/v1/notes/{note_id}"),
            ("POST", "/api/v1/auth/login"),
            ("GET", "/api/v1/files/{name:path}"),
        ]
    )
    assert public.matches("GET", "/api/v1/notes/42")
    assert not public.matches("GET", "/api/v1/notes/42/secret")
    assert not public.matches("GET", "/api/v1/notes/")
    assert not public.matches("DELETE", "/api/v1/notes/42")
    assert public.matches("POST", "/api/v1/auth/login")
    assert not public.matches("POST", "/api/v1/auth/login/extra")
    assert public.matches("GET", "/api/v1/files/a/b/c.pdf")


def test_dot_segments_are_recognised_wherever_they_are() -> None:
    assert has_dot_segment("/api/v1/notes/../auth/users")
    assert has_dot_segment("/api/v1/notes/.")
    assert not has_dot_segment("/api/v1/notes/v1.2/file.txt")


async def test_a_request_reaches_the_owning_upstream_with_method_path_query_headers_and_body(
    tmp_path: Path,
) -> None:
    async with gateway_stack(tmp_path) as stack:
        answer = await stack.client.post(
            "/api/v1/echo/public/item-7?colour=blue&size=2",
            content=b"payload bytes",
            headers={"x-custom": "kept", "content-type": "application/octet-stream"},
        )
        assert answer.status_code == 200, answer.text
        seen = answer.json()
        assert seen["method"] == "POST"
        assert seen["path"] == "/api/v1/echo/public/item-7"
        assert seen["query"] == "colour=blue&size=2"
        assert seen["headers"]["x-custom"] == "kept"
        assert seen["headers"]["content-type"] == "application/octet-stream"
        assert seen["body"] == "payload bytes"
        assert seen["headers"]["content-length"] == str(len(b"payload bytes"))

        login = await stack.client.post(
            "/api/v1/auth/login", json={"email": "a@b.sd", "password": "pw"}
        )
        assert login.json() == {"status": "checked", "email": "a@b.sd"}


async def test_a_json_body_is_validated_by_the_upstream_and_its_answer_passed_back(
    tmp_path: Path,
) -> None:
    async with gateway_stack(tmp_path) as stack:
        created = await stack.client.post("/api/v1/echo/gadgets", json={"name": "x", "size": 3})
        assert created.status_code == 201
        assert created.json() == {"name": "x", "size": 3}
        invalid = await stack.client.post("/api/v1/echo/gadgets", json={"name": "x"})
        assert invalid.status_code == 422
        assert invalid.headers["content-type"] == "application/problem+json"
        assert invalid.json()["errors"][0]["field"] == "size"


async def test_an_unknown_prefix_or_api_version_is_a_404_problem(tmp_path: Path) -> None:
    async with gateway_stack(tmp_path) as stack:
        for path in ("/api/v1/nothing-here/1", "/api/v2/echo/public/1", "/api/v1/", "/api"):
            answer = await stack.client.get(path)
            assert answer.status_code == 404, path
            assert answer.headers["content-type"] == "application/problem+json"
            assert answer.json()["type"].endswith("/not-found")


async def test_paths_with_dot_segments_are_refused_before_reaching_an_upstream(
    tmp_path: Path,
) -> None:
    async with gateway_stack(tmp_path) as stack:
        answer = await stack.client.get("/api/v1/echo/public/%2E%2E")
        assert answer.status_code == 400
        assert answer.headers["content-type"] == "application/problem+json"
