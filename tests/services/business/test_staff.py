"""Staff over the API: create, read, change, validation, licence uniqueness, audit and events."""

from __future__ import annotations

import uuid

from nilecare.contracts.business.permissions import BUSINESS_STAFF_READ
from tests.services.business.conftest import FACILITY_A, Business, staff_body


def fields_of(response_json: dict[str, object]) -> set[str]:
    return {e["field"] for e in response_json["errors"]}  # type: ignore[attr-defined]


async def test_a_staff_member_is_created_read_and_changed(business: Business) -> None:
    department = uuid.uuid4()
    user_id = uuid.uuid4()
    created = await business.create_staff(
        licence_number=" smc-20417 ",
        specialties=["Internal Medicine", "internal medicine", "Cardiology"],
        department_ids=[str(department), str(department)],
        user_id=str(user_id),
    )
    assert created["licence_number"] == "SMC-20417"
    assert created["specialties"] == ["Internal Medicine", "Cardiology"]
    assert created["department_ids"] == [str(department)]
    assert created["user_id"] == str(user_id) and created["is_active"] is True

    read = await business.client.get(f"/api/v1/staff/{created['id']}", headers=business.headers())
    assert read.status_code == 200 and read.json() == created

    changed = await business.client.patch(
        f"/api/v1/staff/{created['id']}",
        json={"specialties": ["Nephrology"], "is_active": False, "user_id": None},
        headers=business.headers(),
    )
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert body["specialties"] == ["Nephrology"]
    assert body["is_active"] is False and body["user_id"] is None
    again = await business.client.get(f"/api/v1/staff/{created['id']}", headers=business.headers())
    assert again.json()["specialties"] == ["Nephrology"]


async def test_bad_staff_input_is_a_422_naming_each_field(business: Business) -> None:
    bad = staff_body(kind="wizard", full_name_en="", licence_number="!!", facility_id="not-a-uuid")
    response = await business.client.post("/api/v1/staff", json=bad, headers=business.headers())
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert {"kind", "full_name_en", "licence_number", "facility_id"} <= fields_of(response.json())

    unknown = await business.client.post(
        "/api/v1/staff", json=staff_body(salary=10), headers=business.headers()
    )
    assert unknown.status_code == 422 and fields_of(unknown.json()) == {"salary"}


async def test_a_doctor_without_a_licence_is_refused_but_a_receptionist_needs_none(
    business: Business,
) -> None:
    doctor = await business.client.post(
        "/api/v1/staff", json=staff_body(licence_number=None), headers=business.headers()
    )
    assert doctor.status_code == 422 and fields_of(doctor.json()) == {"licence_number"}
    receptionist = await business.create_staff(
        kind="receptionist", licence_number=None, specialties=[]
    )
    assert receptionist["licence_number"] is None
    # A second receptionist without a licence is fine: only given numbers are unique.
    await business.create_staff(kind="receptionist", licence_number=None, specialties=[])


async def test_a_licence_number_is_unique_per_kind(business: Business) -> None:
    await business.create_staff(licence_number="SMC-555")
    again = await business.client.post(
        "/api/v1/staff", json=staff_body(licence_number="smc-555"), headers=business.headers()
    )
    assert again.status_code == 409
    assert again.json()["type"].endswith("/licence-taken")
    # The same number under another kind is another register.
    await business.create_staff(kind="pharmacist", licence_number="SMC-555", specialties=[])
    other = await business.create_staff(licence_number="SMC-556")
    clash = await business.client.patch(
        f"/api/v1/staff/{other['id']}",
        json={"licence_number": "SMC-555"},
        headers=business.headers(),
    )
    assert clash.status_code == 409


async def test_a_user_account_links_to_one_staff_member_only(business: Business) -> None:
    user_id = str(uuid.uuid4())
    await business.create_staff(user_id=user_id)
    second = await business.client.post(
        "/api/v1/staff", json=staff_body(user_id=user_id), headers=business.headers()
    )
    assert second.status_code == 409 and second.json()["type"].endswith("/user-linked")


async def test_required_fields_cannot_be_removed_by_a_change(business: Business) -> None:
    created = await business.create_staff()
    response = await business.client.patch(
        f"/api/v1/staff/{created['id']}", json={"full_name_ar": None}, headers=business.headers()
    )
    assert response.status_code == 422 and fields_of(response.json()) == {"full_name_ar"}
    unknown_org = await business.client.patch(
        f"/api/v1/staff/{created['id']}",
        json={"organization_id": str(uuid.uuid4())},
        headers=business.headers(),
    )
    assert unknown_org.status_code == 422 and fields_of(unknown_org.json()) == {"organization_id"}


async def test_creating_staff_writes_an_audit_row_and_a_staff_created_event(
    business: Business,
) -> None:
    actor = uuid.uuid4()
    created = await business.create_staff(
        business.headers(user_id=actor), kind="nurse", specialties=[]
    )
    await business.client.patch(
        f"/api/v1/staff/{created['id']}",
        json={"full_name_en": "Nafisa Adam"},
        headers=business.headers(),
    )
    rows = await business.audit_rows()
    assert [(r.action, r.resource_id, r.facility_id) for r in rows] == [
        ("staff.create", created["id"], str(FACILITY_A)),
        ("staff.update", created["id"], str(FACILITY_A)),
    ]
    assert rows[0].actor_id == str(actor) and rows[1].details == {"fields": ["full_name_en"]}
    envelopes = await business.published_envelopes()
    assert [e["type"] for e in envelopes] == ["staff.created"]
    assert envelopes[0]["data"]["staff_id"] == created["id"]
    assert envelopes[0]["data"]["kind"] == "nurse"
    assert envelopes[0]["facility_id"] == str(FACILITY_A)


async def test_reading_needs_the_read_permission_and_writing_the_manage_permission(
    business: Business,
) -> None:
    reader = business.headers(permissions={BUSINESS_STAFF_READ})
    refused = await business.client.post("/api/v1/staff", json=staff_body(), headers=reader)
    assert refused.status_code == 403
    listed = await business.client.get("/api/v1/staff", headers=reader)
    assert listed.status_code == 200
    nobody = await business.client.get("/api/v1/staff", headers=business.headers(permissions=set()))
    assert nobody.status_code == 403
    assert (await business.client.get("/api/v1/staff")).status_code == 401


async def test_staff_are_listed_and_searched_with_filters(business: Business) -> None:
    department = uuid.uuid4()
    await business.create_staff(full_name_en="Dr. Amna Osman", department_ids=[str(department)])
    await business.create_staff(full_name_en="Dr. Omer Babiker", specialties=["Paediatrics"])
    await business.create_staff(
        kind="nurse", full_name_en="Nafisa Adam", specialties=[], is_active=False
    )
    headers = business.headers()

    async def names(**params: str) -> list[str]:
        response = await business.client.get("/api/v1/staff", params=params, headers=headers)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["total"] == len(body["items"])
        return [s["full_name_en"] for s in body["items"]]

    assert await names() == ["Dr. Amna Osman", "Dr. Omer Babiker", "Nafisa Adam"]
    assert await names(kind="doctor") == ["Dr. Amna Osman", "Dr. Omer Babiker"]
    assert await names(specialty="PAEDIATRICS") == ["Dr. Omer Babiker"]
    assert await names(department_id=str(department)) == ["Dr. Amna Osman"]
    assert await names(active="false") == ["Nafisa Adam"]
    assert await names(q="omer") == ["Dr. Omer Babiker"]
    page = await business.client.get(
        "/api/v1/staff", params={"limit": 1, "offset": 1}, headers=headers
    )
    assert page.json()["total"] == 3 and len(page.json()["items"]) == 1
