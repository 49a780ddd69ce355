"""TOTP MFA: enrolment, login with a code or a backup code, replay, deactivation, admins."""

from __future__ import annotations

import uuid

import pyotp
from sqlalchemy import select

from nilecare.services.auth.models import MfaBackupCode, User
from tests.services.auth.conftest import PASSWORD, Auth, bearer


async def test_enrolment_gives_a_provisioning_uri_and_confirmation_gives_backup_codes(
    auth: Auth,
) -> None:
    user = await auth.user(email="hiba.mfa@nilecare.sd")
    token = (await auth.login(user.email))["access_token"]
    started = await auth.client.post("/api/v1/auth/mfa/enrollment", headers=bearer(token))
    assert started.status_code == 201
    secret = started.json()["secret"]
    uri = started.json()["provisioning_uri"]
    assert uri.startswith("otpauth://totp/NileCare:hiba.mfa%40nilecare.sd?")
    assert f"secret={secret}" in uri and "issuer=NileCare" in uri
    wrong = await auth.client.post(
        "/api/v1/auth/mfa/enrollment/confirmation", json={"code": "000000"}, headers=bearer(token)
    )
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "code"
    confirmed = await auth.client.post(
        "/api/v1/auth/mfa/enrollment/confirmation",
        json={"code": auth.totp(secret)},
        headers=bearer(token),
    )
    assert confirmed.status_code == 200
    codes = confirmed.json()["backup_codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    async with auth.svc.context.database.session() as session:
        row = await session.scalar(select(User).where(User.id == user.id))
        digests = list(await session.scalars(select(MfaBackupCode.code_digest)))
    # Secret encrypted at rest, codes kept only as keyed hashes.
    assert row is not None and row.mfa_enabled and row.mfa_secret is not None
    assert secret not in row.mfa_secret and row.mfa_pending_secret is None
    assert len(digests) == 10 and not set(codes) & set(digests)
    actions = [row.action for row in await auth.audit_rows() if row.action.startswith("auth.mfa")]
    assert actions == ["auth.mfa.enrol", "auth.mfa.confirm", "auth.mfa.confirm"]


async def test_once_enrolled_login_needs_a_valid_code(auth: Auth) -> None:
    user = await auth.user()
    secret, _ = await auth.enrol_mfa((await auth.login(user.email))["access_token"])
    missing = await auth.login(user.email, expect=401)
    assert missing["type"].endswith("/mfa-required") and missing["mfa_required"] is True
    wrong = await auth.login(user.email, otp="123456", expect=401)
    assert wrong["type"].endswith("/invalid-otp")
    # A right code with a wrong password is still the generic failure.
    bad_password = await auth.login(
        user.email, "not-the-password-9", otp=auth.totp(secret, 1), expect=401
    )
    assert bad_password["type"].endswith("/invalid-credentials")
    body = await auth.login(user.email, otp=auth.totp(secret, 1))
    assert body["refresh_token"] and body["user"]["mfa_enabled"] is True
    reasons = [
        r.details["reason"] for r in await auth.audit_rows("auth.login") if r.outcome == "failure"
    ]
    assert reasons == ["mfa_required", "invalid_otp", "bad_password"]


async def test_a_totp_code_cannot_be_used_twice(auth: Auth) -> None:
    user = await auth.user()
    secret, _ = await auth.enrol_mfa((await auth.login(user.email))["access_token"])
    code = auth.totp(secret, 1)
    await auth.login(user.email, otp=code)
    replay = await auth.login(user.email, otp=code, expect=401)
    assert replay["type"].endswith("/invalid-otp")
    # Nor an older step once a newer one was used.
    await auth.login(user.email, otp=auth.totp(secret, -1), expect=401)
    auth.clock.advance(seconds=60)
    await auth.login(user.email, otp=auth.totp(secret))


async def test_codes_outside_the_one_step_window_are_refused(auth: Auth) -> None:
    user = await auth.user()
    secret, _ = await auth.enrol_mfa((await auth.login(user.email))["access_token"])
    await auth.login(user.email, otp=auth.totp(secret, 3), expect=401)
    await auth.login(user.email, otp=pyotp.TOTP(secret).at(auth.clock(), counter_offset=1))


async def test_a_backup_code_works_once_in_place_of_a_totp_code(auth: Auth) -> None:
    user = await auth.user()
    _, codes = await auth.enrol_mfa((await auth.login(user.email))["access_token"])
    body = await auth.login(user.email, otp=codes[0].upper().replace("-", " "))
    assert body["access_token"]
    again = await auth.login(user.email, otp=codes[0], expect=401)
    assert again["type"].endswith("/invalid-otp")
    await auth.login(user.email, otp=codes[1])
    successes = [r.details for r in await auth.audit_rows("auth.login") if r.outcome == "success"]
    assert [d["second_factor"] for d in successes] == [None, "backup_code", "backup_code"]


async def test_mfa_is_disabled_only_with_the_password_and_a_code(auth: Auth) -> None:
    user = await auth.user()
    secret, _ = await auth.enrol_mfa((await auth.login(user.email))["access_token"])
    token = (await auth.login(user.email, otp=auth.totp(secret, 1)))["access_token"]
    headers = bearer(token)
    wrong_password = await auth.client.post(
        "/api/v1/auth/mfa/deactivation",
        json={"password": "not-the-password-9", "code": auth.totp(secret)},
        headers=headers,
    )
    assert wrong_password.status_code == 422
    assert wrong_password.json()["errors"][0]["field"] == "password"
    wrong_code = await auth.client.post(
        "/api/v1/auth/mfa/deactivation",
        json={"password": PASSWORD, "code": "111111"},
        headers=headers,
    )
    assert wrong_code.status_code == 422 and wrong_code.json()["errors"][0]["field"] == "code"
    auth.clock.advance(seconds=30)
    done = await auth.client.post(
        "/api/v1/auth/mfa/deactivation",
        json={"password": PASSWORD, "code": auth.totp(secret, 1)},
        headers=headers,
    )
    assert done.status_code == 204, done.text
    body = await auth.login(user.email)
    assert body["user"]["mfa_enabled"] is False
    outcomes = [r.outcome for r in await auth.audit_rows("auth.mfa.disable")]
    assert outcomes == ["failure", "success"]


async def test_admins_get_only_their_own_account_until_they_enrol(auth: Auth) -> None:
    ward = uuid.uuid4()
    admin = await auth.user(roles=("admin",), facility_ids=(ward,))
    first = await auth.login(admin.email)
    assert first["mfa_enrollment_required"] is True and first["refresh_token"] is None
    restricted = await auth.svc.platform.verifier.verify(first["access_token"])
    assert restricted.permissions == {"auth.self.manage"} and not restricted.roles
    assert not restricted.facility_ids
    headers = bearer(first["access_token"])
    assert (await auth.client.get("/api/v1/users", headers=headers)).status_code == 403
    me = await auth.client.get("/api/v1/auth/me", headers=headers)
    assert me.status_code == 200 and me.json()["mfa_enrollment_required"] is True
    secret, _ = await auth.enrol_mfa(first["access_token"])
    full = await auth.login(admin.email, otp=auth.totp(secret, 1))
    assert full["mfa_enrollment_required"] is False and full["refresh_token"]
    listed = await auth.client.get("/api/v1/users", headers=bearer(full["access_token"]))
    assert listed.status_code == 200


async def test_a_second_enrolment_while_enabled_is_refused(auth: Auth) -> None:
    user = await auth.user()
    secret, _ = await auth.enrol_mfa((await auth.login(user.email))["access_token"])
    token = (await auth.login(user.email, otp=auth.totp(secret, 1)))["access_token"]
    again = await auth.client.post("/api/v1/auth/mfa/enrollment", headers=bearer(token))
    assert again.status_code == 409
