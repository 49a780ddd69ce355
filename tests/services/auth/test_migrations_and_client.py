"""The Alembic history builds exactly the models' schema; the typed client works."""

from __future__ import annotations

from pathlib import Path

from nilecare.contracts.auth.client import AuthClient
from tests.services.auth.conftest import Auth


async def test_the_typed_client_reads_the_callers_account(auth: Auth, tmp_path: Path) -> None:
    user = await auth.user(roles=("lab_technician",))
    token = (await auth.login(user.email))["access_token"]
    client = AuthClient(auth.svc.platform.directory.client("auth"))
    me = await client.me(token)
    assert me.id == user.id and me.roles == ["lab_technician"]
    assert "lab.result.release" in me.permissions
    jwks = await client.jwks()
    assert jwks["keys"][0]["kid"] == (await auth.state.keys.active()).kid
