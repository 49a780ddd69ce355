"""Password policy at the API, changing a password, and the reset flow."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from structlog.testing import capture_logs

from nilecare.kernel.crypto import token_digest
from nilecare.services.auth.models import PasswordResetToken
from nilecare.services.auth.notifier import LogPasswordResetNotifier
from tests.services.auth.conftest import PASSWORD, Auth, bearer

NEW_PASSWORD = "amber-desert-compass-77"


async def _admin_headers(auth: Auth, ward: uuid.UUID) -> dict[str, str]:
    return bearer(await auth.token_for(("admin",), facility_ids=(ward,)))


async def test_a_weak_password_is_refused_with_a_problem_naming_the_field(auth: Auth) -> None:
    ward = uuid.uuid4()
    headers = await _admin_headers(auth, ward)
    for weak in ("password1234", "short-1", "sara.ahmed.secure"):
        answer = await auth.client.post(
            "/api/v1/users",
            json={
                "email": "sara.ahmed@nilecare.sd",
                "password": weak,
                "full_name": "Sara Ahmed",
                "roles": ["nurse"],
                "facility_ids": [str(ward)],
            },
            headers=headers,
        )
        assert answer.status_code == 422, answer.text
        assert answer.headers["content-type"] == "application/problem+json"
        assert {e["field"] for e in answer.json()["errors"]} == {"password"}


async def test_changing_the_password_needs_the_current_one_and_ends_other_sessions(
    auth: Auth,
) -> None:
    user = await auth.user()
    other = await auth.login(user.email)
    here = await auth.login(user.email)
    headers = bearer(here["access_token"])
    wrong = await auth.client.post(
        "/api/v1/auth/password",
        json={"current_password": "not-the-password-9", "new_password": NEW_PASSWORD},
        headers=headers,
    )
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "current_password"
    weak = await auth.client.post(
        "/api/v1/auth/password",
        json={"current_password": PASSWORD, "new_password": "qwerty123456"},
        headers=headers,
    )
    assert weak.status_code == 422 and weak.json()["errors"][0]["field"] == "new_password"
    changed = await auth.client.post(
        "/api/v1/auth/password",
        json={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
        headers=headers,
    )
    assert changed.status_code == 204, changed.text
    # The other session is over; this one goes on.
    assert (
        await auth.client.get("/api/v1/auth/me", headers=bearer(other["access_token"]))
    ).status_code == 401
    assert (
        await auth.client.post(
            "/api/v1/auth/refresh", json={"refresh_token": other["refresh_token"]}
        )
    ).status_code == 401
    assert (await auth.client.get("/api/v1/auth/me", headers=headers)).status_code == 200
    await auth.login(user.email, expect=401)
    await auth.login(user.email, NEW_PASSWORD)
    changes = await auth.audit_rows("auth.password.change")
    assert len(changes) == 1 and changes[0].details == {"sessions_revoked": 1}


async def test_guessing_the_current_password_with_a_stolen_token_hits_the_lockout(
    auth: Auth,
) -> None:
    user = await auth.user()
    headers = bearer((await auth.login(user.email))["access_token"])
    statuses = []
    for i in range(6):
        answer = await auth.client.post(
            "/api/v1/auth/password",
            json={"current_password": f"guess-number-{i}", "new_password": NEW_PASSWORD},
            headers=headers,
        )
        statuses.append(answer.status_code)
    assert statuses == [422, 422, 422, 422, 423, 423]
    assert "user.locked" in await auth.published_types()
    assert len(await auth.audit_rows("auth.lockout")) == 1


async def test_the_reset_flow_sets_a_new_password_once_and_ends_every_session(
    auth: Auth,
) -> None:
    user = await auth.user()
    session = await auth.login(user.email)
    asked = await auth.client.post("/api/v1/auth/password-reset", json={"email": user.email})
    assert asked.status_code == 202 and asked.json() == {"status": "accepted"}
    assert len(auth.notifier.sent) == 1
    email, token = auth.notifier.sent[0]
    assert email == user.email
    async with auth.svc.context.database.session() as db:
        stored = await db.scalar(select(PasswordResetToken.token_digest))
    assert stored == token_digest(token) and token not in str(stored)
    weak = await auth.client.post(
        "/api/v1/auth/password-reset/confirmation",
        json={"token": token, "new_password": "password1234"},
    )
    assert weak.status_code == 422 and weak.json()["errors"][0]["field"] == "new_password"
    done = await auth.client.post(
        "/api/v1/auth/password-reset/confirmation",
        json={"token": token, "new_password": NEW_PASSWORD},
    )
    assert done.status_code == 204, done.text
    again = await auth.client.post(
        "/api/v1/auth/password-reset/confirmation",
        json={"token": token, "new_password": "another-fine-passphrase"},
    )
    assert again.status_code == 400 and again.json()["type"].endswith("/invalid-reset-token")
    assert (
        await auth.client.get("/api/v1/auth/me", headers=bearer(session["access_token"]))
    ).status_code == 401
    await auth.login(user.email, expect=401)
    await auth.login(user.email, NEW_PASSWORD)
    resets = await auth.audit_rows("auth.password.reset")
    assert [r.outcome for r in resets] == ["success", "failure"]


async def test_a_reset_request_answers_the_same_for_unknown_addresses(auth: Auth) -> None:
    user = await auth.user()
    known = await auth.client.post("/api/v1/auth/password-reset", json={"email": user.email})
    unknown = await auth.client.post(
        "/api/v1/auth/password-reset", json={"email": "nobody@nilecare.sd"}
    )
    malformed = await auth.client.post("/api/v1/auth/password-reset", json={"email": "nope"})
    assert known.status_code == unknown.status_code == malformed.status_code == 202
    assert known.json() == unknown.json() == malformed.json()
    assert [email for email, _ in auth.notifier.sent] == [user.email]


async def test_a_reset_token_expires_after_an_hour_and_a_newer_one_replaces_it(
    auth: Auth,
) -> None:
    user = await auth.user()
    await auth.client.post("/api/v1/auth/password-reset", json={"email": user.email})
    # A second request within a minute sends nothing (no mail bombing)...
    await auth.client.post("/api/v1/auth/password-reset", json={"email": user.email})
    assert len(auth.notifier.sent) == 1
    auth.clock.advance(minutes=2)
    # ...later it sends a new token, and the first stops working.
    await auth.client.post("/api/v1/auth/password-reset", json={"email": user.email})
    (_, first), (_, second) = auth.notifier.sent
    replaced = await auth.client.post(
        "/api/v1/auth/password-reset/confirmation",
        json={"token": first, "new_password": NEW_PASSWORD},
    )
    assert replaced.status_code == 400
    auth.clock.advance(minutes=61)
    expired = await auth.client.post(
        "/api/v1/auth/password-reset/confirmation",
        json={"token": second, "new_password": NEW_PASSWORD},
    )
    assert expired.status_code == 400
    await auth.login(user.email, PASSWORD)


async def test_the_default_notifier_logs_the_token_only_outside_production() -> None:
    with capture_logs() as development:
        await LogPasswordResetNotifier(development=True).send_password_reset(
            "amna@nilecare.sd", "tok-123"
        )
    assert development[0]["development_reset_value"] == "tok-123"
    assert development[0]["recipient"] == "a***@nilecare.sd"
    with capture_logs() as production:
        await LogPasswordResetNotifier(development=False).send_password_reset(
            "amna@nilecare.sd", "tok-123"
        )
    assert production[0]["log_level"] == "warning"
    assert "tok-123" not in str(production) and "amna" not in str(production)
