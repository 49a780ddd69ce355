"""Users' phone numbers (Sudanese, stored as +249...) and preferred language; a service reads
them through the typed client with its own token."""

from __future__ import annotations

import uuid
from typing import Any

from nilecare.contracts.auth.client import AuthClient
from nilecare.contracts.auth.permissions import AUTH_USER_READ
from nilecare.kernel.context import acting_as_service
from nilecare.services.auth import admin
from tests.services.auth.conftest import Auth, bearer


def _body(ward: uuid.UUID, **extra: Any) -> dict[str, Any]:
    return {
        "email": f"nurse{uuid.uuid4().hex[:8]}@nilecare.sd",
        "password": "amber-desert-compass-77",
        "full_name": "Sara Ahmed",
        "roles": ["nurse"],
        "facility_ids": [str(ward)],
        **extra,
    }


async def test_a_users_phone_is_normalised_and_language_defaults_to_arabic(auth: Auth) -> None:
    ward = uuid.uuid4()
    headers = bearer(await auth.token_for(("admin",), facility_ids=(ward,)))
    created = await auth.client.post(
        "/api/v1/users", json=_body(ward, phone="0912 345 678"), headers=headers
    )
    assert created.status_code == 201, created.text
    user = created.json()
    assert (user["phone"], user["preferred_language"]) == ("+249912345678", "ar")

    changed = await auth.client.patch(
        f"/api/v1/users/{user['id']}",
        json={"phone": "+249123456789", "preferred_language": "en"},
        headers=headers,
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["phone"], changed.json()["preferred_language"]) == (
        "+249123456789",
        "en",
    )
    renamed = await auth.client.patch(
        f"/api/v1/users/{user['id']}", json={"full_name": "Sara A. Ahmed"}, headers=headers
    )
    assert renamed.json()["phone"] == "+249123456789"  # omitted: unchanged
    cleared = await auth.client.patch(
        f"/api/v1/users/{user['id']}", json={"phone": None}, headers=headers
    )
    assert cleared.json()["phone"] is None
    rows = [r for r in await auth.audit_rows() if r.action == "user.update"]
    assert [r.details["fields"] for r in rows] == [
        ["phone", "preferred_language"],
        ["full_name"],
        ["phone"],
    ]


async def test_a_bad_phone_or_language_is_refused_naming_the_field(auth: Auth) -> None:
    ward = uuid.uuid4()
    headers = bearer(await auth.token_for(("admin",), facility_ids=(ward,)))
    for field, value in (
        ("phone", "12345"),
        ("phone", "+20912345678"),
        ("phone", "+2490123456789"),
        ("phone", "0012345678"),
        ("preferred_language", "fr"),
    ):
        answer = await auth.client.post(
            "/api/v1/users", json=_body(ward, **{field: value}), headers=headers
        )
        assert answer.status_code == 422, (field, value)
        assert answer.json()["errors"][0]["field"].endswith(field)


async def test_me_shows_the_callers_phone_and_language(auth: Auth) -> None:
    ward = uuid.uuid4()
    admin_headers = bearer(await auth.token_for(("admin",), facility_ids=(ward,)))
    body = _body(ward, phone="0998765432", preferred_language="en")
    created = await auth.client.post("/api/v1/users", json=body, headers=admin_headers)
    assert created.status_code == 201, created.text
    token = (await auth.login(body["email"], body["password"]))["access_token"]
    me = await auth.client.get("/api/v1/auth/me", headers=bearer(token))
    assert (me.json()["phone"], me.json()["preferred_language"]) == ("+249998765432", "en")


async def test_a_service_reads_a_users_contact_details_with_its_own_token(auth: Auth) -> None:
    ward = uuid.uuid4()
    headers = bearer(await auth.token_for(("admin",), facility_ids=(ward,)))
    created = await auth.client.post(
        "/api/v1/users", json=_body(ward, phone="0912000111"), headers=headers
    )
    directory = auth.svc.platform.directory
    assert directory.service_tokens is not None
    directory.service_tokens.register("pager", frozenset({AUTH_USER_READ}))
    client = AuthClient(directory.client("auth"))
    with acting_as_service("pager"):
        user = await client.get_user(uuid.UUID(created.json()["id"]))
    assert (user.phone, user.full_name, user.preferred_language) == (
        "+249912000111",
        "Sara Ahmed",
        "ar",
    )


def test_demo_phone_numbers_are_sudanese_mobiles_and_stable() -> None:
    number = admin.demo_phone("nurse@demo.nilecare.sd")
    assert number == admin.demo_phone("nurse@demo.nilecare.sd")
    assert number.startswith("+2499") and len(number) == 13 and number[1:].isdigit()
    assert number != admin.demo_phone("doctor@demo.nilecare.sd")
