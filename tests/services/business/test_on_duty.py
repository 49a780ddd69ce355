"""Who is on duty: active staff whose weekly hours, with exceptions, cover a moment."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from nilecare.contracts.business.client import BusinessClient
from nilecare.contracts.business.permissions import BUSINESS_STAFF_READ
from nilecare.contracts.business.schemas import StaffKind
from nilecare.kernel.context import acting_as_service
from nilecare.kernel.db.scope import FacilityScope
from nilecare.services.business import admin
from nilecare.services.business.service import schedules
from tests.services.business.conftest import FACILITY_A, FACILITY_B, Business

MONDAY = 0
# Monday 23 November 2026, 10:00 and 21:00 in Khartoum (UTC+2).
MONDAY_MORNING = "2026-11-23T08:00:00+00:00"
MONDAY_NIGHT = "2026-11-23T21:00:00+02:00"


async def _hours(business: Business, staff: dict[str, Any], start: str, end: str) -> None:
    answer = await business.client.post(
        f"/api/v1/staff/{staff['id']}/working-hours",
        json={"weekday": MONDAY, "start_time": start, "end_time": end},
        headers=business.headers((FACILITY_A, FACILITY_B)),
    )
    assert answer.status_code == 201, answer.text


async def _on_duty(business: Business, **params: Any) -> list[str]:
    answer = await business.client.get(
        "/api/v1/staff/on-duty",
        params={"facility_id": str(FACILITY_A), **params},
        headers=business.headers(),
    )
    assert answer.status_code == 200, answer.text
    return [s["full_name_en"] for s in answer.json()]


async def test_on_duty_staff_are_those_whose_hours_and_exceptions_cover_the_moment(
    business: Business,
) -> None:
    ward = "5d1f0000-0000-4000-8000-000000000001"
    day = await business.create_staff(kind="nurse", full_name_en="Day Nurse", department_ids=[ward])
    night = await business.create_staff(kind="nurse", full_name_en="Night Nurse")
    doctor = await business.create_staff(full_name_en="Dr. Day")
    away = await business.create_staff(kind="nurse", full_name_en="Away Nurse")
    gone = await business.create_staff(kind="nurse", full_name_en="Former Nurse")
    elsewhere = await business.create_staff(
        headers=business.headers((FACILITY_B,)),
        facility_id=str(FACILITY_B),
        kind="nurse",
        full_name_en="Other Facility Nurse",
    )
    for member in (day, doctor, away, gone):
        await _hours(business, member, "08:00", "20:00")
    await _hours(business, night, "20:00", "24:00")
    await _hours(business, elsewhere, "00:00", "24:00")
    off = await business.client.post(
        f"/api/v1/staff/{away['id']}/availability-exceptions",
        json={"kind": "unavailable", "start_date": "2026-11-23", "reason": "leave"},
        headers=business.headers(),
    )
    assert off.status_code == 201, off.text
    deactivated = await business.client.patch(
        f"/api/v1/staff/{gone['id']}", json={"is_active": False}, headers=business.headers()
    )
    assert deactivated.status_code == 200, deactivated.text

    assert await _on_duty(business, kind="nurse", at=MONDAY_MORNING) == ["Day Nurse"]
    assert await _on_duty(business, kind=["nurse", "doctor"], at=MONDAY_MORNING) == [
        "Day Nurse",
        "Dr. Day",
    ]
    assert await _on_duty(business, at=MONDAY_NIGHT) == ["Night Nurse"]
    assert await _on_duty(business, department_id=ward, at=MONDAY_MORNING) == ["Day Nurse"]
    assert await _on_duty(business, department_id=ward, at=MONDAY_NIGHT) == []


async def test_a_service_finds_the_on_duty_staff_with_its_own_token(business: Business) -> None:
    nurse = await business.create_staff(kind="nurse", full_name_en="Day Nurse")
    await _hours(business, nurse, "00:00", "24:00")
    directory = business.svc.platform.directory
    assert directory.service_tokens is not None
    directory.service_tokens.register("pager", frozenset({BUSINESS_STAFF_READ}))
    client = BusinessClient(directory.client("business"))

    with acting_as_service("pager"):
        found = await client.on_duty_staff(
            FACILITY_A, kinds=("nurse", "doctor"), at=datetime.fromisoformat(MONDAY_MORNING)
        )
    assert [str(s.id) for s in found] == [nurse["id"]]


async def test_on_duty_refuses_another_facility_and_bad_input(business: Business) -> None:
    reader = business.headers((FACILITY_B,), {BUSINESS_STAFF_READ})
    outside = await business.client.get(
        "/api/v1/staff/on-duty", params={"facility_id": str(FACILITY_A)}, headers=reader
    )
    assert outside.status_code == 403
    assert outside.json()["type"].endswith("/facility-out-of-scope")
    for params in (
        {},
        {"facility_id": "not-a-uuid"},
        {"facility_id": str(FACILITY_A), "at": "2026-11-23T08:00:00"},  # no offset
        {"facility_id": str(FACILITY_A), "kind": "wizard"},
    ):
        answer = await business.client.get(
            "/api/v1/staff/on-duty", params=params, headers=business.headers()
        )
        assert answer.status_code == 422, (params, answer.text)
        assert answer.headers["content-type"] == "application/problem+json"


# The roster is data, not a database feature: SQLite alone; a moment every three hours over a
# week, from half an hour before the day shift (night shifts and both midnights included).
@pytest.mark.parametrize("backend", ["sqlite"])
async def test_the_demo_roster_has_a_nurse_and_a_doctor_on_duty_in_every_ward_at_every_hour(
    business: Business,
) -> None:
    departments = {FACILITY_A: [uuid.uuid4(), uuid.uuid4()], FACILITY_B: [uuid.uuid4()]}
    context = business.svc.context
    await admin.seed_demo(context, [FACILITY_A, FACILITY_B], departments)
    week = datetime(2026, 11, 22, 5, 30, tzinfo=UTC)  # 07:30 in Khartoum
    async with context.unit_of_work() as uow:
        for facility_id, department_ids in departments.items():
            for department_id in department_ids:
                for hour in range(0, 7 * 24, 3):
                    found = await schedules.on_duty_staff(
                        uow,
                        FacilityScope.everything(),
                        facility_id,
                        department_id=department_id,
                        kinds=[StaffKind.NURSE, StaffKind.DOCTOR],
                        at=week + timedelta(hours=hour),
                    )
                    assert {s.kind for s in found} == {StaffKind.NURSE, StaffKind.DOCTOR}, hour
