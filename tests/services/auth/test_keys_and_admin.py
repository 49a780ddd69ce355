"""Signing keys (start-up, rotation, retirement, encryption at rest) and the CLI's functions."""

from __future__ import annotations

import base64
import uuid
from datetime import timedelta

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from sqlalchemy import select

from nilecare.contracts.auth.roles import ALL_ROLES, CROSS_FACILITY_ROLES
from nilecare.kernel.config import PlatformSettings
from nilecare.kernel.errors import Conflict, ValidationFailed
from nilecare.services.auth import admin
from nilecare.services.auth.admin import FACILITY_STAFF_ROLES
from nilecare.services.auth.app import WeakPasswordHashingError, check_production_settings
from nilecare.services.auth.models import SigningKey
from tests.services.auth.conftest import PASSWORD, Auth, bearer


async def _jwks_kids(auth: Auth) -> list[str]:
    return [key["kid"] for key in (await auth.client.get("/api/v1/auth/jwks")).json()["keys"]]


async def test_start_up_creates_one_published_ed25519_key(auth: Auth) -> None:
    document = (await auth.client.get("/api/v1/auth/jwks")).json()
    assert len(document["keys"]) == 1
    key = document["keys"][0]
    assert key["kty"] == "OKP" and key["crv"] == "Ed25519" and key["alg"] == "EdDSA"
    assert key["use"] == "sig" and "d" not in key
    # Starting again keeps the existing key.
    await auth.state.keys.ensure_active()
    assert await _jwks_kids(auth) == [key["kid"]]


async def test_private_keys_are_stored_encrypted(auth: Auth) -> None:
    active = await auth.state.keys.active()
    raw = active.private_key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    async with auth.svc.context.database.session() as session:
        stored = await session.scalar(select(SigningKey.private_key))
    assert stored is not None
    assert base64.b64encode(raw).decode() not in stored and raw.hex() not in stored
    assert auth.svc.context.keyring.key_id_of(stored) == auth.svc.context.keyring.active_kid


async def test_rotation_signs_with_the_new_key_while_old_tokens_stay_valid(auth: Auth) -> None:
    user = await auth.user()
    old_kid = (await auth.state.keys.active()).kid
    before = await auth.login(user.email)
    new_kid = await admin.rotate_signing_key(auth.svc.context)
    assert new_kid != old_kid
    assert [row.resource_id for row in await auth.audit_rows("auth.signing_key.rotate")] == [
        new_kid
    ]
    # The CLI rotated in "another process": this one notices within its cache time.
    auth.state.keys.cache_seconds = 0
    after = await auth.login(user.email)
    assert jwt.get_unverified_header(after["access_token"])["kid"] == new_kid
    assert set(await _jwks_kids(auth)) == {old_kid, new_kid}
    for body in (before, after):
        me = await auth.client.get("/api/v1/auth/me", headers=bearer(body["access_token"]))
        assert me.status_code == 200
    # After the access-token lifetime and the margin the old key leaves the JWKS.
    auth.clock.advance(minutes=21)
    assert await _jwks_kids(auth) == [new_kid]


async def test_seeding_demo_users_makes_one_per_role_and_is_idempotent(auth: Auth) -> None:
    first = await admin.seed_demo_users(auth.svc.context, PASSWORD)
    assert [user.role for user in first] == list(ALL_ROLES)
    assert all(user.created for user in first)
    assert ("doctor", "doctor@demo.nilecare.sd") in [(u.role, u.email) for u in first]
    second = await admin.seed_demo_users(auth.svc.context, PASSWORD)
    assert not any(user.created for user in second)
    assert [user.user_id for user in second] == [user.user_id for user in first]
    doctor = await auth.login("doctor@demo.nilecare.sd")
    assert doctor["user"]["facility_ids"] == [str(admin.DEMO_FACILITY_ID)]
    assert (await auth.published_types()).count("user.created") == len(ALL_ROLES)


async def test_a_further_demo_site_gets_its_own_staff_users_and_shares_the_oversight_ones(
    auth: Auth,
) -> None:
    clinic = uuid.uuid4()
    users = await admin.seed_demo_users(auth.svc.context, PASSWORD, sites={"omdurman": clinic})
    at_clinic = {u.email: u.role for u in users if u.facility_ids == (clinic,)}
    assert at_clinic == {f"{role}.omdurman@demo.nilecare.sd": role for role in FACILITY_STAFF_ROLES}
    assert {"doctor", "nurse", "receptionist"} <= set(at_clinic.values())
    oversight = {u.role: set(u.facility_ids) for u in users if u.role in CROSS_FACILITY_ROLES}
    assert oversight == {role: {admin.DEMO_FACILITY_ID, clinic} for role in CROSS_FACILITY_ROLES}
    doctor = await auth.login("doctor.omdurman@demo.nilecare.sd")
    assert doctor["user"]["facility_ids"] == [str(clinic)]
    assert doctor["user"]["roles"] == ["doctor"]
    again = await admin.seed_demo_users(auth.svc.context, PASSWORD, sites={"omdurman": clinic})
    assert [(u.email, u.facility_ids, u.created) for u in again] == [
        (u.email, u.facility_ids, False) for u in users
    ]


async def test_the_cli_user_creation_enforces_the_policy_and_uniqueness(auth: Auth) -> None:
    with pytest.raises(ValidationFailed) as weak:
        await admin.create_user(
            auth.svc.context,
            email="omar@nilecare.sd",
            password="password1234",
            full_name="Omar Ali",
            roles=["doctor"],
        )
    assert weak.value.errors[0]["field"] == "password"
    with pytest.raises(ValidationFailed):
        await admin.create_user(
            auth.svc.context,
            email="not-an-email",
            password=PASSWORD,
            full_name="Omar Ali",
            roles=["doctor"],
        )
    made = await admin.create_user(
        auth.svc.context,
        email="Omar@NileCare.sd",
        password=PASSWORD,
        full_name="Omar Ali",
        roles=["super_admin"],
    )
    assert made.email == "omar@nilecare.sd" and made.roles == ["super_admin"]
    with pytest.raises(Conflict):
        await admin.create_user(
            auth.svc.context,
            email="omar@nilecare.sd",
            password=PASSWORD,
            full_name="Omar Ali",
            roles=["doctor"],
        )
    rows = await auth.audit_rows("user.create")
    assert len(rows) == 1 and rows[0].actor_id is None


async def test_production_refuses_weakened_argon2_settings(auth: Auth) -> None:
    check_production_settings(auth.svc.context)  # test settings are development-like
    auth.svc.context.platform = PlatformSettings(
        environment="production",
        encryption_keys="k1:" + base64.b64encode(b"\x01" * 32).decode(),
        hmac_key=base64.b64encode(b"\x02" * 32).decode(),
    )
    with pytest.raises(WeakPasswordHashingError):
        check_production_settings(auth.svc.context)
    auth.svc.context.settings = type(auth.svc.context.settings)(
        argon2_time_cost=3, argon2_memory_cost=65536
    )
    check_production_settings(auth.svc.context)


def test_the_production_defaults_are_strong() -> None:
    from nilecare.services.auth.settings import AuthSettings

    defaults = AuthSettings.model_fields
    assert defaults["argon2_time_cost"].default >= 3
    assert defaults["argon2_memory_cost"].default >= 64 * 1024
    assert defaults["refresh_token_lifetime"].default == timedelta(days=7)
