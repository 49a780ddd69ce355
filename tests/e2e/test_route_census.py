"""Every route of every service is public by declaration or requires a permission."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import APIRouter

from nilecare.kernel.auth.dependencies import api_routes, route_protection
from nilecare.kernel.service import ServiceSpec, build_service_app, unprotected_routes
from nilecare.runtime.allinone import build_all_in_one
from tests.harness import platform_settings_for_tests
from tests.kernel.sample_service import SERVICE as SAMPLE


def test_every_route_is_public_by_declaration_or_requires_a_permission(tmp_path: Path) -> None:
    platform = build_all_in_one(platform_settings_for_tests(tmp_path))
    routes = [route for app in platform.services.values() for route in api_routes(app.routes)]
    assert len(routes) > 10
    assert all(unprotected_routes(app) == [] for app in platform.services.values())
    protected = [r for r in routes if route_protection(r.dependant)[1]]
    assert any(r.path == "/api/v1/users" for r in protected)


def test_a_new_route_without_a_declaration_stops_the_service_from_starting(
    tmp_path: Path,
) -> None:
    plain = APIRouter()

    @plain.get("/api/v1/notes/leak")
    async def leak() -> dict[str, str]:
        return {"patient": "data"}

    platform = build_all_in_one(platform_settings_for_tests(tmp_path))
    context = next(iter(platform.platform.contexts.values()))
    spec = ServiceSpec(
        name="sample",
        title="Sample",
        description="",
        port=0,
        prefixes=("notes",),
        routers=(*SAMPLE.routers, plain),
        settings_class=SAMPLE.settings_class,
    )
    context.spec = spec
    with pytest.raises(RuntimeError, match="/api/v1/notes/leak"):
        build_service_app(context)
