"""Logging in, refreshing, logging out, the caller's account and sessions."""

from __future__ import annotations

import uuid
from typing import Any

import jwt
from argon2 import PasswordHasher
from sqlalchemy import select

from nilecare.services.auth.models import User
from tests.services.auth.conftest import HARNESS_IP, PASSWORD, Auth, bearer


def _without_request_id(body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k != "request_id"}


async def test_login_issues_a_pair_whose_access_token_every_service_accepts(auth: Auth) -> None:
    facility = uuid.uuid4()
    user = await auth.user(roles=("nurse",), facility_ids=(facility,))
    body = await auth.login(user.email)
    assert body["token_type"] == "bearer" and body["expires_in"] == 15 * 60
    assert body["mfa_enrollment_required"] is False
    assert body["user"]["email"] == user.email and body["user"]["roles"] == ["nurse"]
    header = jwt.get_unverified_header(body["access_token"])
    assert header["alg"] == "EdDSA" and header["kid"]
    claims = jwt.decode(body["access_token"], options={"verify_signature": False})
    assert {
        "sub",
        "email",
        "roles",
        "permissions",
        "facility_ids",
        "all_facilities",
        "sid",
        "type",
        "jti",
        "iss",
        "aud",
        "iat",
        "nbf",
        "exp",
    } <= set(claims)
    assert claims["exp"] - claims["iat"] == 15 * 60
    # The kernel's verifier (what every service runs) accepts it, fetching our JWKS.
    principal = await auth.svc.platform.verifier.verify(body["access_token"])
    assert principal.user_id == user.id
    assert principal.roles == {"nurse"}
    assert principal.has("medication.administration.record")
    assert not principal.has("medication.prescription.create")
    assert principal.facility_ids == {facility} and not principal.all_facilities
    assert principal.session_id == body["refresh_token"].split(".")[0]


async def test_me_shows_the_account_and_what_the_token_grants(auth: Auth) -> None:
    user = await auth.user(roles=("medical_director",))
    token = (await auth.login(user.email))["access_token"]
    me = await auth.client.get("/api/v1/auth/me", headers=bearer(token))
    assert me.status_code == 200, me.text
    assert me.json()["id"] == str(user.id)
    assert me.json()["all_facilities"] is True
    assert "audit.event.read" in me.json()["permissions"]
    assert (await auth.client.get("/api/v1/auth/me")).status_code == 401


async def test_unknown_email_and_wrong_password_get_the_same_answer_and_the_same_work(
    auth: Auth,
) -> None:
    user = await auth.user()
    verified: list[str] = []
    original = auth.state.passwords._verify

    def counting(password_hash: str, password: str) -> bool:
        verified.append(password_hash)
        return original(password_hash, password)

    auth.state.passwords._verify = counting  # type: ignore[method-assign]
    wrong = await auth.client.post(
        "/api/v1/auth/login", json={"email": user.email, "password": "not-the-password-9"}
    )
    unknown = await auth.client.post(
        "/api/v1/auth/login", json={"email": "nobody@nilecare.sd", "password": "whatever-1234"}
    )
    assert wrong.status_code == unknown.status_code == 401
    assert _without_request_id(wrong.json()) == _without_request_id(unknown.json())
    assert wrong.json()["type"].endswith("/invalid-credentials")
    # Both ran one argon2 verification: the unknown account against the dummy hash.
    assert len(verified) == 2 and all(h.startswith("$argon2id$") for h in verified)
    failures = await auth.audit_rows("auth.login")
    assert [row.outcome for row in failures] == ["failure", "failure"]
    assert [row.details["reason"] for row in failures] == ["bad_password", "unknown_account"]
    assert failures[0].actor_id == str(user.id) and failures[0].ip == HARNESS_IP


async def test_a_deactivated_user_cannot_log_in_and_is_told_nothing_more(auth: Auth) -> None:
    ward = uuid.uuid4()
    admin_token = await auth.token_for(("admin",), facility_ids=(ward,))
    user = await auth.user(facility_ids=(ward,))
    done = await auth.client.post(
        f"/api/v1/users/{user.id}/deactivation", headers=bearer(admin_token)
    )
    assert done.status_code == 200 and done.json()["is_active"] is False
    refused = await auth.login(user.email, expect=401)
    wrong = await auth.login(user.email, "not-the-password-9", expect=401)
    assert _without_request_id(refused) == _without_request_id(wrong)


async def test_refresh_rotates_the_refresh_token_and_reissues_the_access_token(
    auth: Auth,
) -> None:
    user = await auth.user()
    first = await auth.login(user.email)
    refreshed = await auth.client.post(
        "/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}
    )
    assert refreshed.status_code == 200, refreshed.text
    pair = refreshed.json()
    assert pair["refresh_token"] != first["refresh_token"]
    assert pair["refresh_token"].split(".")[0] == first["refresh_token"].split(".")[0]
    assert pair["access_token"] != first["access_token"]
    me = await auth.client.get("/api/v1/auth/me", headers=bearer(pair["access_token"]))
    assert me.status_code == 200
    again = await auth.client.post(
        "/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]}
    )
    assert again.status_code == 200
    audited = await auth.audit_rows("auth.refresh")
    assert [row.outcome for row in audited] == ["success", "success"]


async def test_logout_ends_the_session_its_access_token_and_its_refresh_token(
    auth: Auth,
) -> None:
    user = await auth.user()
    body = await auth.login(user.email)
    headers = bearer(body["access_token"])
    assert (await auth.client.post("/api/v1/auth/logout", headers=headers)).status_code == 204
    assert (await auth.client.get("/api/v1/auth/me", headers=headers)).status_code == 401
    refresh = await auth.client.post(
        "/api/v1/auth/refresh", json={"refresh_token": body["refresh_token"]}
    )
    assert refresh.status_code == 401
    assert len(await auth.audit_rows("auth.logout")) == 1


async def test_sessions_are_listed_with_address_agent_and_the_current_one_marked(
    auth: Auth,
) -> None:
    user = await auth.user()
    phone = await auth.login(
        user.email,
        client=auth.from_ip("198.51.100.20"),
        headers={"User-Agent": "NileCare-Android/1.0"},
    )
    desk = await auth.login(user.email, headers={"User-Agent": "Firefox/128"})
    listed = await auth.client.get("/api/v1/auth/sessions", headers=bearer(desk["access_token"]))
    assert listed.status_code == 200
    sessions = {s["id"]: s for s in listed.json()}
    phone_sid = phone["refresh_token"].split(".")[0]
    desk_sid = desk["refresh_token"].split(".")[0]
    assert set(sessions) == {phone_sid, desk_sid}
    assert sessions[desk_sid]["current"] is True and sessions[phone_sid]["current"] is False
    assert sessions[phone_sid]["ip"] == "198.51.100.20"
    assert sessions[phone_sid]["user_agent"] == "NileCare-Android/1.0"
    assert sessions[desk_sid]["ip"] == HARNESS_IP


async def test_revoking_one_of_own_sessions_ends_only_that_one(auth: Auth) -> None:
    user = await auth.user()
    lost_phone = await auth.login(user.email)
    desk = await auth.login(user.email)
    sid = lost_phone["refresh_token"].split(".")[0]
    headers = bearer(desk["access_token"])
    revoked = await auth.client.delete(f"/api/v1/auth/sessions/{sid}", headers=headers)
    assert revoked.status_code == 204
    phone_me = await auth.client.get("/api/v1/auth/me", headers=bearer(lost_phone["access_token"]))
    assert phone_me.status_code == 401
    phone_refresh = await auth.client.post(
        "/api/v1/auth/refresh", json={"refresh_token": lost_phone["refresh_token"]}
    )
    assert phone_refresh.status_code == 401
    assert (await auth.client.get("/api/v1/auth/me", headers=headers)).status_code == 200
    listed = await auth.client.get("/api/v1/auth/sessions", headers=headers)
    assert [s["id"] for s in listed.json()] == [desk["refresh_token"].split(".")[0]]
    assert len(await auth.audit_rows("auth.session.revoke")) == 1


async def test_a_user_cannot_revoke_someone_elses_session(auth: Auth) -> None:
    victim = await auth.user()
    other = await auth.user()
    victim_sid = (await auth.login(victim.email))["refresh_token"].split(".")[0]
    token = (await auth.login(other.email))["access_token"]
    answer = await auth.client.delete(f"/api/v1/auth/sessions/{victim_sid}", headers=bearer(token))
    assert answer.status_code == 404
    garbage = await auth.client.delete("/api/v1/auth/sessions/not-a-session", headers=bearer(token))
    assert garbage.status_code == 404


async def test_a_session_ends_when_idle_too_long_and_after_its_absolute_lifetime(
    auth: Auth,
) -> None:
    user = await auth.user()
    idle = await auth.login(user.email)
    auth.clock.advance(hours=25)
    refused = await auth.client.post(
        "/api/v1/auth/refresh", json={"refresh_token": idle["refresh_token"]}
    )
    assert refused.status_code == 401
    assert refused.json()["type"].endswith("/invalid-refresh-token")

    auth.clock.offset = type(auth.clock.offset)()
    active = await auth.login(user.email)
    token = active["refresh_token"]
    for _ in range(7):  # used every 23 hours: never idle, but the week runs out
        auth.clock.advance(hours=23)
        answer = await auth.client.post("/api/v1/auth/refresh", json={"refresh_token": token})
        assert answer.status_code == 200, answer.text
        token = answer.json()["refresh_token"]
    auth.clock.advance(hours=10)
    late = await auth.client.post("/api/v1/auth/refresh", json={"refresh_token": token})
    assert late.status_code == 401
    reasons = [
        row.details["reason"]
        for row in await auth.audit_rows("auth.refresh")
        if row.outcome == "failure"
    ]
    assert reasons == ["session_expired", "session_expired"]


async def test_a_hash_made_with_older_argon2_parameters_is_upgraded_at_login(auth: Auth) -> None:
    user = await auth.user()
    stronger = PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1)
    auth.state.passwords.hasher = stronger
    await auth.login(user.email)
    async with auth.svc.context.database.session() as session:
        stored = await session.scalar(select(User.password_hash).where(User.id == user.id))
    assert stored is not None and "m=2048,t=2,p=1" in stored
    assert stronger.verify(stored, PASSWORD)
    await auth.login(user.email)
