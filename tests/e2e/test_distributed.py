"""Distributed mode: auth and gateway as separate processes on PostgreSQL."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest

from tests.databases import create_database, drop_database
from tests.live import free_port, nilecare_env, run_cli, serving

pytestmark = pytest.mark.slow


def test_a_user_logs_in_through_the_gateway_to_auth_in_another_process(tmp_path: Path) -> None:
    database_url = asyncio.run(create_database("postgresql", tmp_path, "dist"))
    auth_port, gateway_port = free_port(), free_port()
    env = nilecare_env(
        tmp_path,
        NILECARE_AUTH__DATABASE_URL=database_url,
        NILECARE_AUTH__URL=f"http://127.0.0.1:{auth_port}",
    )
    try:
        assert run_cli(["db", "upgrade", "auth"], env).returncode == 0
        assert run_cli(["seed", "demo"], env).returncode == 0
        with (
            serving(["serve", "auth"], env, auth_port),
            serving(["serve", "gateway"], env, gateway_port) as gateway,
        ):
            refused = httpx.get(f"{gateway}/api/v1/auth/me")
            assert refused.status_code == 401
            assert refused.headers["content-type"] == "application/problem+json"
            login = httpx.post(
                f"{gateway}/api/v1/auth/login",
                json={"email": "nurse@demo.nilecare.sd", "password": env["NILECARE_DEMO_PASSWORD"]},
            )
            assert login.status_code == 200, login.text
            token = login.json()["access_token"]
            me = httpx.get(
                f"{gateway}/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"}
            )
            assert me.status_code == 200
            assert me.json()["email"] == "nurse@demo.nilecare.sd"
            assert "x-request-id" in me.headers
    finally:
        asyncio.run(drop_database(database_url))
