"""The charge master, facility isolation, organizations and the idempotent demo seed."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import func, select

from nilecare.contracts.business.permissions import BUSINESS_CHARGE_READ
from nilecare.kernel.errors import ValidationFailed
from nilecare.services.business import admin
from nilecare.services.business.models import ChargeItem, Staff, WorkingHours
from tests.services.business.conftest import FACILITY_A, FACILITY_B, Business


def charge_body(**fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "facility_id": str(FACILITY_A),
        "code": "LAB-CBC",
        "name_en": "Complete blood count",
        "name_ar": "صورة دم كاملة",
        "category": "laboratory",
        "price_minor": 600_000,
    }
    body.update(fields)
    return body


async def test_a_charge_item_is_created_searched_changed_and_deleted(business: Business) -> None:
    headers = business.headers()
    created = await business.client.post(
        "/api/v1/charge-items", json=charge_body(effective_from="2026-01-01"), headers=headers
    )
    assert created.status_code == 201, created.text
    item = created.json()
    assert (item["code"], item["currency"], item["price_minor"]) == ("LAB-CBC", "SDG", 600_000)
    await business.client.post(
        "/api/v1/charge-items",
        json=charge_body(code="RAD-XR-CHEST", name_en="Chest X-ray", category="radiology"),
        headers=headers,
    )
    search = await business.client.get(
        "/api/v1/charge-items", params={"q": "blood"}, headers=headers
    )
    assert [i["code"] for i in search.json()["items"]] == ["LAB-CBC"]
    by_category = await business.client.get(
        "/api/v1/charge-items", params={"category": "radiology"}, headers=headers
    )
    assert by_category.json()["total"] == 1
    changed = await business.client.patch(
        f"/api/v1/charge-items/{item['id']}",
        json={"price_minor": 650_000, "effective_to": "2026-12-31"},
        headers=headers,
    )
    assert changed.status_code == 200 and changed.json()["price_minor"] == 650_000
    not_yet = await business.client.get(
        "/api/v1/charge-items", params={"effective_on": "2027-01-01"}, headers=headers
    )
    assert [i["code"] for i in not_yet.json()["items"]] == ["RAD-XR-CHEST"]
    deleted = await business.client.delete(f"/api/v1/charge-items/{item['id']}", headers=headers)
    assert deleted.status_code == 204
    gone = await business.client.get(f"/api/v1/charge-items/{item['id']}", headers=headers)
    assert gone.status_code == 404
    actions = [r.action for r in await business.audit_rows()]
    assert actions == [
        "charge_item.create",
        "charge_item.create",
        "charge_item.update",
        "charge_item.delete",
        "access.not_found",  # the read of the deleted item
    ]


async def test_money_is_validated_and_named(business: Business) -> None:
    headers = business.headers()
    for body, field in (
        (charge_body(price_minor=-1), "price_minor"),
        (charge_body(price_minor=12.5), "price_minor"),
        (charge_body(currency="sdg"), "currency"),
        (charge_body(currency="USD"), "currency"),
        (charge_body(code="bad code!"), "code"),
        (charge_body(effective_from="2026-05-01", effective_to="2026-04-01"), "effective_to"),
    ):
        response = await business.client.post("/api/v1/charge-items", json=body, headers=headers)
        assert response.status_code == 422, (body, response.text)
        assert [e["field"] for e in response.json()["errors"]] == [field]
    created = await business.client.post(
        "/api/v1/charge-items", json=charge_body(), headers=headers
    )
    negative = await business.client.patch(
        f"/api/v1/charge-items/{created.json()['id']}", json={"price_minor": -5}, headers=headers
    )
    assert negative.status_code == 422


async def test_a_code_is_unique_per_facility(business: Business) -> None:
    headers = business.headers((FACILITY_A, FACILITY_B))
    first = await business.client.post("/api/v1/charge-items", json=charge_body(), headers=headers)
    assert first.status_code == 201
    again = await business.client.post(
        "/api/v1/charge-items", json=charge_body(code="lab-cbc"), headers=headers
    )
    assert again.status_code == 409 and again.json()["type"].endswith("/code-taken")
    other = await business.client.post(
        "/api/v1/charge-items", json=charge_body(facility_id=str(FACILITY_B)), headers=headers
    )
    assert other.status_code == 201


async def test_another_facilitys_records_read_as_missing_and_never_leak_into_lists(
    business: Business,
) -> None:
    both = business.headers((FACILITY_A, FACILITY_B))
    mine = await business.create_staff(both)
    theirs = await business.create_staff(both, facility_id=str(FACILITY_B))
    their_item = await business.client.post(
        "/api/v1/charge-items", json=charge_body(facility_id=str(FACILITY_B)), headers=both
    )
    await business.client.post("/api/v1/charge-items", json=charge_body(), headers=both)

    only_a = business.headers((FACILITY_A,))
    for method, url, body in (
        ("GET", f"/api/v1/staff/{theirs['id']}", None),
        ("PATCH", f"/api/v1/staff/{theirs['id']}", {"full_name_en": "X"}),
        ("GET", f"/api/v1/staff/{theirs['id']}/working-hours", None),
        (
            "POST",
            f"/api/v1/staff/{theirs['id']}/working-hours",
            {"weekday": 0, "start_time": "08:00", "end_time": "10:00"},
        ),
        (
            "GET",
            f"/api/v1/staff/{theirs['id']}/availability?from_date=2026-11-22&to_date=2026-11-23",
            None,
        ),
        ("GET", f"/api/v1/charge-items/{their_item.json()['id']}", None),
        ("PATCH", f"/api/v1/charge-items/{their_item.json()['id']}", {"price_minor": 1}),
        ("DELETE", f"/api/v1/charge-items/{their_item.json()['id']}", None),
    ):
        response = await business.client.request(method, url, json=body, headers=only_a)
        assert response.status_code == 404, (method, url, response.text)

    staff = (await business.client.get("/api/v1/staff", headers=only_a)).json()
    assert staff["total"] == 1 and [s["id"] for s in staff["items"]] == [mine["id"]]
    asked = await business.client.get(
        "/api/v1/staff", params={"facility_id": str(FACILITY_B)}, headers=only_a
    )
    assert asked.json() == {"items": [], "total": 0, "limit": 50, "offset": 0}
    items = (await business.client.get("/api/v1/charge-items", headers=only_a)).json()
    assert items["total"] == 1 and items["items"][0]["facility_id"] == str(FACILITY_A)
    # Creating in a facility one does not belong to is refused.
    refused = await business.client.post(
        "/api/v1/charge-items",
        json=charge_body(facility_id=str(FACILITY_B), code="X1"),
        headers=only_a,
    )
    assert refused.status_code == 403
    # No facilities at all sees nothing; a cross-facility role sees everything.
    nowhere = await business.client.get("/api/v1/staff", headers=business.headers(()))
    assert nowhere.json()["total"] == 0
    everywhere = await business.client.get(
        "/api/v1/staff", headers=business.headers((), all_facilities=True)
    )
    assert everywhere.json()["total"] == 2


async def test_reading_the_charge_master_needs_the_charge_read_permission(
    business: Business,
) -> None:
    await business.client.post(
        "/api/v1/charge-items", json=charge_body(), headers=business.headers()
    )
    reader = business.headers(permissions={BUSINESS_CHARGE_READ})
    assert (await business.client.get("/api/v1/charge-items", headers=reader)).status_code == 200
    refused = await business.client.post(
        "/api/v1/charge-items", json=charge_body(code="X2"), headers=reader
    )
    assert refused.status_code == 403


async def test_organizations_are_registered_with_unique_numbers(business: Business) -> None:
    headers = business.headers()
    body = {
        "name": "Nile Valley Health Group",
        "registration_number": "SD-HC-1",
        "phone": "0912345678",
        "email": "Info@Example.sd",
    }
    created = await business.client.post("/api/v1/organizations", json=body, headers=headers)
    assert created.status_code == 201, created.text
    assert created.json()["email"] == "info@example.sd"
    assert created.json()["phone"] == "+249912345678"  # stored in one form, as elsewhere
    again = await business.client.post("/api/v1/organizations", json=body, headers=headers)
    assert again.status_code == 409
    bad = await business.client.post(
        "/api/v1/organizations",
        json={**body, "registration_number": "SD-2", "phone": "12345"},
        headers=headers,
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "phone"
    changed = await business.client.patch(
        f"/api/v1/organizations/{created.json()['id']}",
        json={"address": "Khartoum"},
        headers=headers,
    )
    assert changed.json()["address"] == "Khartoum"
    staff = await business.create_staff(organization_id=created.json()["id"])
    assert staff["organization_id"] == created.json()["id"]


async def _count(business: Business, model: Any) -> int:
    async with business.svc.context.unit_of_work() as uow:
        return int(await uow.session.scalar(select(func.count()).select_from(model)) or 0)


async def test_the_demo_seed_is_idempotent_and_links_the_given_accounts(
    business: Business,
) -> None:
    department = uuid.uuid4()
    doctor_account = uuid.uuid4()
    context = business.svc.context
    departments = {FACILITY_A: [department], FACILITY_B: [uuid.uuid4()]}
    first = await admin.seed_demo(context, [FACILITY_A, FACILITY_B], departments)
    counts = [await _count(business, m) for m in (Staff, WorkingHours, ChargeItem)]
    assert len(first) == len(admin.DEMO_STAFF) >= 25
    assert counts[2] == 2 * len(admin.DEMO_CHARGES) >= 60
    second = await admin.seed_demo(
        context,
        [FACILITY_A, FACILITY_B],
        departments,
        user_links=[admin.StaffLink(doctor_account, "doctor", FACILITY_A)],
    )
    assert second == first
    assert [await _count(business, m) for m in (Staff, WorkingHours, ChargeItem)] == counts
    envelopes = await business.published_envelopes()
    assert sum(e["type"] == "staff.created" for e in envelopes) == len(first)

    reader = business.headers((FACILITY_A, FACILITY_B))
    linked = await business.client.get(
        "/api/v1/staff", params={"user_id": str(doctor_account)}, headers=reader
    )
    assert linked.json()["items"][0]["specialties"] == ["Internal Medicine"]
    paediatrics = await business.client.get(
        "/api/v1/staff", params={"specialty": "Paediatrics"}, headers=reader
    )
    assert paediatrics.json()["total"] == 2
    assert all(s["full_name_ar"] for s in paediatrics.json()["items"])
    # The seeded doctor works Sunday to Thursday mornings.
    availability = await business.client.get(
        f"/api/v1/staff/{first[0]}/availability",
        params={"from_date": "2026-11-22", "to_date": "2026-11-28"},
        headers=reader,
    )
    assert len(availability.json()["windows"]) == 7  # 5 mornings + 2 evening clinics
    consultation = await business.client.get(
        "/api/v1/charge-items",
        params={"code": "CONS-GP", "facility_id": str(FACILITY_B)},
        headers=business.headers((FACILITY_B,), {BUSINESS_CHARGE_READ}),
    )
    assert consultation.json()["items"][0]["price_minor"] == 1_500_000


async def test_each_demo_account_is_linked_to_a_staff_member_of_its_own_kind_and_facility(
    business: Business,
) -> None:
    kinds = ("doctor", "nurse", "receptionist", "lab_technician", "pharmacist", "billing_clerk")
    links = [
        admin.StaffLink(uuid.uuid4(), kind, facility)
        for facility in (FACILITY_A, FACILITY_B)
        for kind in (*kinds, "administrator")
    ]
    context = business.svc.context
    await admin.seed_demo(context, [FACILITY_A, FACILITY_B], user_links=links)
    await admin.seed_demo(context, [FACILITY_A, FACILITY_B], user_links=links)
    reader = business.headers((FACILITY_A, FACILITY_B))
    for link in links:
        linked = await business.client.get(
            "/api/v1/staff", params={"user_id": str(link.user_id)}, headers=reader
        )
        [member] = linked.json()["items"]
        assert (member["kind"], member["facility_id"]) == (link.kind, str(link.facility_id))
    async with context.unit_of_work() as uow:
        linked_staff = await uow.session.scalar(
            select(func.count()).select_from(Staff).where(Staff.user_id.isnot(None))
        )
    assert linked_staff == len(links)


async def test_a_demo_account_with_no_staff_member_of_its_kind_left_is_refused(
    business: Business,
) -> None:
    pharmacists = [admin.StaffLink(uuid.uuid4(), "pharmacist", FACILITY_A) for _ in range(2)]
    with pytest.raises(ValidationFailed, match="pharmacist"):
        await admin.seed_demo(
            business.svc.context, [FACILITY_A, FACILITY_B], user_links=pharmacists
        )
    assert await _count(business, Staff) == 0
