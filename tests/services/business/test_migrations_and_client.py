"""The Alembic history builds exactly the models' schema; the typed client works in-process."""

from __future__ import annotations

from datetime import date

import pytest

from nilecare.contracts.business.client import BusinessClient
from nilecare.contracts.business.schemas import StaffKind
from nilecare.kernel.http.client import UpstreamProblem
from tests.services.business.conftest import FACILITY_A, FACILITY_B, Business


async def test_the_typed_client_reads_staff_availability_and_charges_from_the_real_app(
    business: Business,
) -> None:
    manager = business.headers((FACILITY_A, FACILITY_B))
    doctor = await business.create_staff(
        manager, specialties=["Paediatrics"], full_name_en="Dr. Omer Hassan"
    )
    await business.create_staff(manager, kind="nurse", licence_number="SNMC-77", specialties=[])
    hours = await business.client.post(
        f"/api/v1/staff/{doctor['id']}/working-hours",
        json={"weekday": 6, "start_time": "08:00", "end_time": "14:00"},
        headers=manager,
    )
    assert hours.status_code == 201, hours.text
    item = await business.client.post(
        "/api/v1/charge-items",
        json={
            "facility_id": str(FACILITY_A),
            "code": "cons-gp",
            "name_en": "General consultation",
            "name_ar": "استشارة طبيب عام",
            "category": "consultation",
            "price_minor": 1_500_000,
        },
        headers=manager,
    )
    assert item.status_code == 201, item.text

    client = BusinessClient(business.svc.platform.directory.client("business"))
    token = business.token((FACILITY_A,))
    staff = await client.get_staff(doctor["id"], token=token)
    assert staff.full_name_en == "Dr. Omer Hassan" and staff.specialties == ["Paediatrics"]
    page = await client.list_staff(kind=StaffKind.DOCTOR, specialty="paediatrics", token=token)
    assert page.total == 1 and page.items[0].id == staff.id
    availability = await client.staff_availability(
        staff.id, date(2026, 11, 22), date(2026, 11, 28), token=token
    )
    assert [(w.start.hour, w.end.hour) for w in availability.windows] == [(6, 12)]
    assert availability.windows[0].start_local.hour == 8
    charge = await client.get_charge_item(item.json()["id"], token=token)
    assert (charge.code, charge.price_minor, charge.currency) == ("CONS-GP", 1_500_000, "SDG")
    found = await client.list_charge_items(code="cons-gp", token=token)
    assert [i.id for i in found.items] == [charge.id]

    outsider = business.token((FACILITY_B,))
    with pytest.raises(UpstreamProblem) as missing:
        await client.get_staff(staff.id, token=outsider)
    assert missing.value.status == 404
