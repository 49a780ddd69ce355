"""User and role administration, within the administrator's facilities, with audit history."""

from __future__ import annotations

import uuid
from typing import Any

from tests.services.auth.conftest import PASSWORD, Auth, bearer


def _new_user(
    ward: uuid.UUID, email: str = "sara.ahmed@nilecare.sd", **extra: Any
) -> dict[str, Any]:
    return {
        "email": email,
        "password": "amber-desert-compass-77",
        "full_name": "Sara Ahmed",
        "roles": ["nurse"],
        "facility_ids": [str(ward)],
        **extra,
    }


async def test_an_admin_creates_lists_reads_and_updates_users_with_audit_rows(
    auth: Auth,
) -> None:
    ward = uuid.uuid4()
    headers = bearer(await auth.token_for(("admin",), facility_ids=(ward,)))
    created = await auth.client.post("/api/v1/users", json=_new_user(ward), headers=headers)
    assert created.status_code == 201, created.text
    user = created.json()
    assert user["roles"] == ["nurse"] and user["facility_ids"] == [str(ward)]
    assert "password" not in user and "password_hash" not in user
    duplicate = await auth.client.post(
        "/api/v1/users", json=_new_user(ward, email="SARA.AHMED@nilecare.sd"), headers=headers
    )
    assert duplicate.status_code == 409
    for i in range(3):
        await auth.client.post(
            "/api/v1/users", json=_new_user(ward, email=f"nurse{i}@nilecare.sd"), headers=headers
        )
    page = await auth.client.get("/api/v1/users?limit=2&offset=1", headers=headers)
    assert page.status_code == 200
    assert (
        page.json()["total"] == 5 and page.json()["limit"] == 2 and len(page.json()["items"]) == 2
    )
    found = await auth.client.get("/api/v1/users?email=sara", headers=headers)
    assert [u["email"] for u in found.json()["items"]] == ["sara.ahmed@nilecare.sd"]
    wildcard = await auth.client.get("/api/v1/users?email=%25", headers=headers)
    assert wildcard.json()["total"] == 0
    read = await auth.client.get(f"/api/v1/users/{user['id']}", headers=headers)
    assert read.json()["email"] == "sara.ahmed@nilecare.sd"
    patched = await auth.client.patch(
        f"/api/v1/users/{user['id']}",
        json={"full_name": "Sara A. Ahmed", "email": "sara@nilecare.sd"},
        headers=headers,
    )
    assert patched.status_code == 200
    assert patched.json()["full_name"] == "Sara A. Ahmed"
    assert patched.json()["email"] == "sara@nilecare.sd"
    creates = await auth.audit_rows("user.create")
    assert len(creates) == 5 and creates[1].resource_id == user["id"]
    assert creates[1].details == {"roles": ["nurse"], "facility_ids": [str(ward)]}
    assert creates[1].actor_id is not None
    updates = await auth.audit_rows("user.update")
    assert len(updates) == 1 and updates[0].details == {"fields": ["email", "full_name"]}
    await auth.login("sara@nilecare.sd", "amber-desert-compass-77")


async def test_creating_a_user_publishes_user_created(auth: Auth) -> None:
    await auth.user(roles=("pharmacist",))
    assert await auth.published_types() == ["user.created"]


async def test_role_changes_are_audited_and_reach_tokens_at_the_next_refresh(
    auth: Auth,
) -> None:
    ward = uuid.uuid4()
    headers = bearer(await auth.token_for(("admin",), facility_ids=(ward,)))
    user = await auth.user(roles=("receptionist",), facility_ids=(ward,))
    session = await auth.login(user.email)
    changed = await auth.client.put(
        f"/api/v1/users/{user.id}/roles", json={"roles": ["billing_clerk"]}, headers=headers
    )
    assert changed.status_code == 200 and changed.json()["roles"] == ["billing_clerk"]
    rows = await auth.audit_rows("user.roles.change")
    assert len(rows) == 1
    assert rows[0].details == {"before": ["receptionist"], "after": ["billing_clerk"]}
    refreshed = await auth.client.post(
        "/api/v1/auth/refresh", json={"refresh_token": session["refresh_token"]}
    )
    principal = await auth.svc.platform.verifier.verify(refreshed.json()["access_token"])
    assert principal.roles == {"billing_clerk"} and principal.has("billing.invoice.manage")
    both = await auth.client.put(
        f"/api/v1/users/{user.id}/roles",
        json={"roles": ["billing_clerk", "receptionist"]},
        headers=headers,
    )
    assert both.status_code == 200
    assert both.json()["roles"] == ["billing_clerk", "receptionist"]
    unknown = await auth.client.put(
        f"/api/v1/users/{user.id}/roles", json={"roles": ["wizard"]}, headers=headers
    )
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "roles"


async def test_an_admin_cannot_raise_anyone_above_itself_or_touch_a_super_admin(
    auth: Auth,
) -> None:
    ward = uuid.uuid4()
    headers = bearer(await auth.token_for(("admin",), facility_ids=(ward,)))
    user = await auth.user(facility_ids=(ward,))
    for role in ("super_admin", "medical_director", "compliance_officer"):
        answer = await auth.client.put(
            f"/api/v1/users/{user.id}/roles", json={"roles": [role]}, headers=headers
        )
        assert answer.status_code == 403, role
    create_super = await auth.client.post(
        "/api/v1/users", json=_new_user(ward, roles=["super_admin"]), headers=headers
    )
    assert create_super.status_code == 403
    boss = await auth.user(roles=("super_admin",), facility_ids=(ward,))
    deactivate = await auth.client.post(f"/api/v1/users/{boss.id}/deactivation", headers=headers)
    assert deactivate.status_code == 403
    patch = await auth.client.patch(
        f"/api/v1/users/{boss.id}", json={"email": "mine@nilecare.sd"}, headers=headers
    )
    assert patch.status_code == 403
    # A super admin may.
    root = bearer(await auth.token_for(("super_admin",)))
    granted = await auth.client.put(
        f"/api/v1/users/{user.id}/roles", json={"roles": ["medical_director"]}, headers=root
    )
    assert granted.status_code == 200
    refusals = await auth.audit_rows("access.forbidden")
    reasons = [row.details["reason"] for row in refusals if row.outcome == "denied"]
    assert reasons == ["role-not-grantable"] * 6


async def test_an_admin_sees_and_manages_only_users_of_its_facilities(auth: Auth) -> None:
    ours, theirs = uuid.uuid4(), uuid.uuid4()
    headers = bearer(await auth.token_for(("admin",), facility_ids=(ours,)))
    colleague = await auth.user(facility_ids=(ours,))
    stranger = await auth.user(facility_ids=(theirs,))
    listed = await auth.client.get("/api/v1/users", headers=headers)
    ids = {u["id"] for u in listed.json()["items"]}
    assert str(colleague.id) in ids and str(stranger.id) not in ids
    assert (
        await auth.client.get(f"/api/v1/users/{stranger.id}", headers=headers)
    ).status_code == 404
    deactivate = await auth.client.post(
        f"/api/v1/users/{stranger.id}/deactivation", headers=headers
    )
    assert deactivate.status_code == 404
    move = await auth.client.patch(
        f"/api/v1/users/{colleague.id}", json={"facility_ids": [str(theirs)]}, headers=headers
    )
    assert move.status_code == 403
    annex = uuid.uuid4()
    root = bearer(await auth.token_for(("super_admin",)))
    grown = await auth.client.patch(
        f"/api/v1/users/{colleague.id}",
        json={"facility_ids": [str(ours), str(annex)]},
        headers=root,
    )
    assert grown.status_code == 200
    assert set(grown.json()["facility_ids"]) == {str(ours), str(annex)}
    outside = await auth.client.post("/api/v1/users", json=_new_user(theirs), headers=headers)
    assert outside.status_code == 403
    # A cross-facility compliance officer reads everyone, but manages no one.
    officer = bearer(await auth.token_for(("compliance_officer",)))
    everyone = await auth.client.get("/api/v1/users", headers=officer)
    assert {str(colleague.id), str(stranger.id)} <= {u["id"] for u in everyone.json()["items"]}
    create = await auth.client.post("/api/v1/users", json=_new_user(ours), headers=officer)
    assert create.status_code == 403


async def test_deactivation_revokes_sessions_and_reactivation_allows_login_again(
    auth: Auth,
) -> None:
    ward = uuid.uuid4()
    admin_body = await auth.enrol_and_login(
        (await auth.user(roles=("admin",), facility_ids=(ward,))).email
    )
    headers = bearer(admin_body["access_token"])
    user = await auth.user(facility_ids=(ward,))
    first, second = await auth.login(user.email), await auth.login(user.email)
    done = await auth.client.post(f"/api/v1/users/{user.id}/deactivation", headers=headers)
    assert done.status_code == 200 and done.json()["is_active"] is False
    for body in (first, second):
        me = await auth.client.get("/api/v1/auth/me", headers=bearer(body["access_token"]))
        assert me.status_code == 401
    rows = await auth.audit_rows("user.deactivate")
    assert len(rows) == 1 and rows[0].details == {"sessions_revoked": 2}
    self_off = await auth.client.post(
        f"/api/v1/users/{admin_body['user']['id']}/deactivation", headers=headers
    )
    assert self_off.status_code == 409
    back = await auth.client.delete(f"/api/v1/users/{user.id}/deactivation", headers=headers)
    assert back.status_code == 200 and back.json()["is_active"] is True
    await auth.login(user.email, PASSWORD)
    assert len(await auth.audit_rows("user.reactivate")) == 1


async def test_user_administration_needs_its_permissions(auth: Auth) -> None:
    doctor = bearer(await auth.token_for(("doctor",)))
    assert (await auth.client.get("/api/v1/users", headers=doctor)).status_code == 403
    assert (await auth.client.get("/api/v1/roles", headers=doctor)).status_code == 403
    assert (await auth.client.get("/api/v1/users")).status_code == 401
    created = await auth.client.post("/api/v1/users", json=_new_user(uuid.uuid4()), headers=doctor)
    assert created.status_code == 403


async def test_the_roles_are_listed_with_their_permissions(auth: Auth) -> None:
    headers = bearer(await auth.token_for(("admin",)))
    roles = {r["name"]: r for r in (await auth.client.get("/api/v1/roles", headers=headers)).json()}
    assert roles["super_admin"]["permissions"] == ["*"]
    assert roles["admin"]["mfa_required"] is True and roles["doctor"]["mfa_required"] is False
    assert roles["medical_director"]["all_facilities"] is True
    assert "auth.self.manage" in roles["patient"]["permissions"]
