"""The attack suite of QUALITY.md against the tokens this service issues.

Each forged or misused token is answered 401 by the auth service itself (through the kernel's
verifier, as every service verifies) and leaves an audit row.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tests.services.auth.conftest import Auth, bearer


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _segments(token: str) -> tuple[dict[str, Any], dict[str, Any], str]:
    header, payload, signature = token.split(".")
    return _json_segment(header), _json_segment(payload), signature


def _json_segment(segment: str) -> dict[str, Any]:
    decoded: dict[str, Any] = json.loads(
        base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    )
    return decoded


def _hs256(header: dict[str, Any], claims: dict[str, Any], secret: bytes) -> str:
    signing_input = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}"
    signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_b64(signature)}"


async def _refused(auth: Auth, token: str) -> None:
    answer = await auth.client.get("/api/v1/auth/me", headers=bearer(token))
    assert answer.status_code == 401, answer.text
    assert answer.json()["type"].endswith(("/invalid-token", "/unauthorized"))


async def _genuine(auth: Auth) -> tuple[str, dict[str, Any], dict[str, Any]]:
    user = await auth.user(roles=("receptionist",))
    token = (await auth.login(user.email))["access_token"]
    header, claims, _ = _segments(token)
    return token, header, claims


async def _our_key(auth: Auth) -> tuple[str, Ed25519PrivateKey]:
    key = await auth.state.keys.active()
    return key.kid, key.private_key


async def test_an_alg_none_token_is_refused(auth: Auth) -> None:
    _, header, claims = await _genuine(auth)
    claims["permissions"] = ["*"]
    unsigned = f"{_b64(json.dumps({**header, 'alg': 'none'}).encode())}."
    unsigned += f"{_b64(json.dumps(claims).encode())}."
    await _refused(auth, unsigned)
    denied = await auth.audit_rows("access.unauthenticated")
    assert denied and denied[-1].outcome == "denied"


async def test_an_hs256_token_keyed_with_our_public_key_is_refused(auth: Auth) -> None:
    _, header, claims = await _genuine(auth)
    claims["permissions"] = ["*"]
    public = (await auth.client.get("/api/v1/auth/jwks")).json()["keys"][0]
    public_key = jwt.PyJWK(public).key
    candidates = [
        base64.urlsafe_b64decode(public["x"] + "=="),
        json.dumps(public).encode(),
        public_key.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ),
    ]
    for secret in candidates:
        await _refused(auth, _hs256({**header, "alg": "HS256"}, claims, secret))


async def test_a_tampered_payload_is_refused(auth: Auth) -> None:
    token, _, claims = await _genuine(auth)
    claims["permissions"] = ["*"]
    claims["roles"] = ["super_admin"]
    head, _, signature = token.split(".")
    await _refused(auth, f"{head}.{_b64(json.dumps(claims).encode())}.{signature}")
    assert (await auth.client.get("/api/v1/auth/me", headers=bearer(token))).status_code == 200


@pytest.mark.parametrize(
    ("change", "value"),
    [
        ("exp", -120),  # expired two minutes ago
        ("nbf", 600),  # not valid for ten more minutes
        ("aud", "another-platform"),
        ("iss", "https://evil.example/auth"),
        ("type", "refresh"),
    ],
)
async def test_tokens_signed_with_our_key_but_with_wrong_claims_are_refused(
    auth: Auth, change: str, value: Any
) -> None:
    _, _, claims = await _genuine(auth)
    kid, key = await _our_key(auth)
    now = int(time.time())
    if change in ("exp", "nbf"):
        claims[change] = now + int(value)
        if change == "exp":
            claims["iat"] = claims["nbf"] = now - 1000
    else:
        claims[change] = value
    forged = jwt.encode(claims, key, algorithm="EdDSA", headers={"kid": kid})
    await _refused(auth, forged)
    # The control: the same claims untouched are accepted.
    _, _, good = await _genuine(auth)
    accepted = await auth.client.get(
        "/api/v1/auth/me",
        headers=bearer(jwt.encode(good, key, algorithm="EdDSA", headers={"kid": kid})),
    )
    assert accepted.status_code == 200


async def test_a_refresh_token_or_garbage_is_no_access_token(auth: Auth) -> None:
    user = await auth.user()
    body = await auth.login(user.email)
    await _refused(auth, body["refresh_token"])
    for garbage in ("garbage", "a.b.c", "", "Bearer", "eyJhbGciOiJFZERTQSJ9.e30.AAAA"):
        answer = await auth.client.get("/api/v1/auth/me", headers=bearer(garbage))
        assert answer.status_code == 401


async def test_key_location_headers_are_ignored_so_only_our_keys_judge(auth: Auth) -> None:
    _, _, claims = await _genuine(auth)
    attacker = Ed25519PrivateKey.generate()
    attacker_jwk = jwt.algorithms.OKPAlgorithm.to_jwk(attacker.public_key(), as_dict=True)
    kid, ours = await _our_key(auth)
    escalated = {**claims, "permissions": ["*"], "jti": uuid.uuid4().hex}
    for headers in (
        {"kid": "attacker", "jku": "https://evil.example/jwks.json"},
        {"kid": "attacker", "jwk": {**attacker_jwk, "kid": "attacker"}},
        {"kid": kid, "jwk": {**attacker_jwk, "kid": kid}},
        {"kid": kid, "x5u": "https://evil.example/cert.pem"},
    ):
        await _refused(auth, jwt.encode(escalated, attacker, algorithm="EdDSA", headers=headers))
    # A header pointing elsewhere changes nothing for a token our key signed.
    pointed = jwt.encode(
        claims, ours, algorithm="EdDSA", headers={"kid": kid, "jku": "https://evil.example/j"}
    )
    assert (await auth.client.get("/api/v1/auth/me", headers=bearer(pointed))).status_code == 200


async def test_a_reused_refresh_token_revokes_the_family_and_its_access_tokens(
    auth: Auth,
) -> None:
    user = await auth.user()
    stolen = await auth.login(user.email)
    # The legitimate client refreshes first...
    rotated = await auth.client.post(
        "/api/v1/auth/refresh", json={"refresh_token": stolen["refresh_token"]}
    )
    assert rotated.status_code == 200
    fresh = rotated.json()
    # ...then the thief replays the copied token.
    replay = await auth.client.post(
        "/api/v1/auth/refresh", json={"refresh_token": stolen["refresh_token"]}
    )
    assert replay.status_code == 401
    assert replay.json()["type"].endswith("/refresh-token-reused")
    # The whole family is gone: the newest refresh token and every access token of the session.
    later = await auth.client.post(
        "/api/v1/auth/refresh", json={"refresh_token": fresh["refresh_token"]}
    )
    assert later.status_code == 401
    for token in (stolen["access_token"], fresh["access_token"]):
        assert (await auth.client.get("/api/v1/auth/me", headers=bearer(token))).status_code == 401
    reuse = await auth.audit_rows("auth.refresh.reuse")
    assert len(reuse) == 1 and reuse[0].outcome == "denied"
    assert reuse[0].actor_id == str(user.id)
    # Another session of the same user is untouched.
    other = await auth.login(user.email)
    assert (
        await auth.client.get("/api/v1/auth/me", headers=bearer(other["access_token"]))
    ).status_code == 200


async def test_a_forged_refresh_token_for_a_real_session_does_not_revoke_it(auth: Auth) -> None:
    user = await auth.user()
    body = await auth.login(user.email)
    sid = body["refresh_token"].split(".")[0]
    forged = await auth.client.post(
        "/api/v1/auth/refresh", json={"refresh_token": f"{sid}.guessed-secret"}
    )
    assert forged.status_code == 401
    assert forged.json()["type"].endswith("/invalid-refresh-token")
    good = await auth.client.post(
        "/api/v1/auth/refresh", json={"refresh_token": body["refresh_token"]}
    )
    assert good.status_code == 200


async def test_a_deactivated_users_tokens_and_refresh_stop_at_once(auth: Auth) -> None:
    ward = uuid.uuid4()
    admin_token = await auth.token_for(("admin",), facility_ids=(ward,))
    user = await auth.user(facility_ids=(ward,))
    body = await auth.login(user.email)
    done = await auth.client.post(
        f"/api/v1/users/{user.id}/deactivation", headers=bearer(admin_token)
    )
    assert done.status_code == 200
    await _refused(auth, body["access_token"])
    refresh = await auth.client.post(
        "/api/v1/auth/refresh", json={"refresh_token": body["refresh_token"]}
    )
    assert refresh.status_code == 401


async def test_mfa_cannot_be_bypassed_through_refresh(auth: Auth) -> None:
    user = await auth.user()
    first = await auth.login(user.email)
    secret, _ = await auth.enrol_mfa(first["access_token"])
    # Without the second factor a login yields no token at all, so nothing to refresh.
    half = await auth.login(user.email, expect=401)
    assert half["type"].endswith("/mfa-required")
    assert "access_token" not in half and "refresh_token" not in half
    # Only the complete login hands out a refresh token.
    complete = await auth.login(user.email, otp=auth.totp(secret, 1))
    assert complete["refresh_token"]
    # An admin who has not enrolled gets a restricted token and no refresh token.
    admin = await auth.user(roles=("admin",))
    restricted = await auth.login(admin.email)
    assert restricted["refresh_token"] is None and restricted["mfa_enrollment_required"]
    sid = jwt.decode(restricted["access_token"], options={"verify_signature": False})["sid"]
    attempt = await auth.client.post("/api/v1/auth/refresh", json={"refresh_token": f"{sid}.x"})
    assert attempt.status_code == 401
