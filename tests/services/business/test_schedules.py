"""Weekly working hours, exceptions and the availability endpoint over the API."""

from __future__ import annotations

import uuid
from typing import Any

from tests.services.business.conftest import FACILITY_A, FACILITY_B, Business


async def add_hours(business: Business, staff_id: str, **body: Any) -> Any:
    return await business.client.post(
        f"/api/v1/staff/{staff_id}/working-hours", json=body, headers=business.headers()
    )


async def add_exception(business: Business, staff_id: str, **body: Any) -> Any:
    return await business.client.post(
        f"/api/v1/staff/{staff_id}/availability-exceptions", json=body, headers=business.headers()
    )


async def test_overlapping_hours_on_the_same_weekday_are_refused_with_409(
    business: Business,
) -> None:
    staff = await business.create_staff()
    first = await add_hours(business, staff["id"], weekday=0, start_time="08:00", end_time="14:00")
    assert first.status_code == 201, first.text
    assert first.json()["timezone"] == "Africa/Khartoum"
    assert first.json()["facility_id"] == str(FACILITY_A)
    overlap = await add_hours(
        business, staff["id"], weekday=0, start_time="13:00", end_time="17:00"
    )
    assert overlap.status_code == 409
    assert overlap.json()["type"].endswith("/working-hours-overlap")
    # Touching is not overlapping, and another weekday is free.
    touching = await add_hours(
        business, staff["id"], weekday=0, start_time="14:00", end_time="18:00"
    )
    assert touching.status_code == 201
    other_day = await add_hours(
        business, staff["id"], weekday=1, start_time="10:00", end_time="12:00"
    )
    assert other_day.status_code == 201
    listed = await business.client.get(
        f"/api/v1/staff/{staff['id']}/working-hours", headers=business.headers()
    )
    assert [(h["weekday"], h["start_time"], h["end_time"]) for h in listed.json()] == [
        (0, "08:00", "14:00"),
        (0, "14:00", "18:00"),
        (1, "10:00", "12:00"),
    ]
    removed = await business.client.delete(
        f"/api/v1/staff/{staff['id']}/working-hours/{first.json()['id']}",
        headers=business.headers(),
    )
    assert removed.status_code == 204
    refill = await add_hours(business, staff["id"], weekday=0, start_time="09:00", end_time="13:00")
    assert refill.status_code == 201


async def test_bad_hours_are_a_422_naming_the_field(business: Business) -> None:
    staff = await business.create_staff()
    backwards = await add_hours(
        business, staff["id"], weekday=0, start_time="14:00", end_time="08:00"
    )
    assert backwards.status_code == 422 and backwards.json()["errors"][0]["field"] == "end_time"
    bad_format = await add_hours(
        business, staff["id"], weekday=7, start_time="8am", end_time="25:00"
    )
    assert bad_format.status_code == 422
    assert {e["field"] for e in bad_format.json()["errors"]} == {
        "weekday",
        "start_time",
        "end_time",
    }
    bad_zone = await add_hours(
        business,
        staff["id"],
        weekday=0,
        start_time="08:00",
        end_time="10:00",
        timezone="Nile/Nowhere",
    )
    assert bad_zone.status_code == 422 and bad_zone.json()["errors"][0]["field"] == "timezone"
    elsewhere = await add_hours(
        business,
        staff["id"],
        weekday=0,
        start_time="08:00",
        end_time="10:00",
        facility_id=str(FACILITY_B),
    )
    assert elsewhere.status_code == 403


async def test_availability_over_a_week_applies_the_pattern_then_the_exceptions(
    business: Business,
) -> None:
    staff = await business.create_staff()
    for weekday in (6, 0, 1, 2, 3):  # Sunday to Thursday
        response = await add_hours(
            business, staff["id"], weekday=weekday, start_time="08:00", end_time="14:00"
        )
        assert response.status_code == 201
    away = await add_exception(
        business, staff["id"], kind="unavailable", start_date="2026-11-23", reason="Conference"
    )
    assert away.status_code == 201, away.text
    assert away.json()["end_date"] == "2026-11-23" and away.json()["start_time"] is None
    partial = await add_exception(
        business,
        staff["id"],
        kind="unavailable",
        start_date="2026-11-25",
        start_time="10:00",
        end_time="12:00",
    )
    assert partial.status_code == 201
    extra = await add_exception(
        business,
        staff["id"],
        kind="extra_hours",
        start_date="2026-11-28",
        start_time="09:00",
        end_time="13:00",
    )
    assert extra.status_code == 201

    response = await business.client.get(
        f"/api/v1/staff/{staff['id']}/availability",
        params={"from_date": "2026-11-22", "to_date": "2026-11-28"},
        headers=business.headers(),
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["timezone"] == "Africa/Khartoum"
    windows = [(w["start"], w["end"]) for w in body["windows"]]
    assert windows == [
        ("2026-11-22T06:00:00Z", "2026-11-22T12:00:00Z"),
        ("2026-11-24T06:00:00Z", "2026-11-24T12:00:00Z"),
        ("2026-11-25T06:00:00Z", "2026-11-25T08:00:00Z"),
        ("2026-11-25T10:00:00Z", "2026-11-25T12:00:00Z"),
        ("2026-11-26T06:00:00Z", "2026-11-26T12:00:00Z"),
        ("2026-11-28T07:00:00Z", "2026-11-28T11:00:00Z"),
    ]
    assert body["windows"][0]["start_local"] == "2026-11-22T08:00:00+02:00"
    assert {w["facility_id"] for w in body["windows"]} == {str(FACILITY_A)}

    # Removing the whole-day exception gives Monday back.
    await business.client.delete(
        f"/api/v1/staff/{staff['id']}/availability-exceptions/{away.json()['id']}",
        headers=business.headers(),
    )
    monday = await business.client.get(
        f"/api/v1/staff/{staff['id']}/availability",
        params={"from_date": "2026-11-23", "to_date": "2026-11-23"},
        headers=business.headers(),
    )
    assert [(w["start"], w["end"]) for w in monday.json()["windows"]] == [
        ("2026-11-23T06:00:00Z", "2026-11-23T12:00:00Z")
    ]


async def test_an_inactive_staff_member_has_no_availability(business: Business) -> None:
    staff = await business.create_staff()
    await add_hours(business, staff["id"], weekday=0, start_time="08:00", end_time="14:00")
    await business.client.patch(
        f"/api/v1/staff/{staff['id']}", json={"is_active": False}, headers=business.headers()
    )
    response = await business.client.get(
        f"/api/v1/staff/{staff['id']}/availability",
        params={"from_date": "2026-11-22", "to_date": "2026-11-28"},
        headers=business.headers(),
    )
    assert response.status_code == 200 and response.json()["windows"] == []


async def test_bad_availability_requests_are_422s_naming_the_field(business: Business) -> None:
    staff = await business.create_staff()
    url = f"/api/v1/staff/{staff['id']}/availability"
    backwards = await business.client.get(
        url, params={"from_date": "2026-11-28", "to_date": "2026-11-22"}, headers=business.headers()
    )
    assert backwards.status_code == 422 and backwards.json()["errors"][0]["field"] == "to_date"
    too_long = await business.client.get(
        url, params={"from_date": "2026-01-01", "to_date": "2026-12-31"}, headers=business.headers()
    )
    assert too_long.status_code == 422 and too_long.json()["errors"][0]["field"] == "to_date"
    missing = await business.client.get(
        url, params={"from_date": "2026-11-22"}, headers=business.headers()
    )
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "to_date"
    no_times = await add_exception(
        business, staff["id"], kind="extra_hours", start_date="2026-11-28"
    )
    assert no_times.status_code == 422 and no_times.json()["errors"][0]["field"] == "start_time"
    backwards_dates = await add_exception(
        business, staff["id"], kind="unavailable", start_date="2026-11-28", end_date="2026-11-01"
    )
    assert backwards_dates.status_code == 422
    assert backwards_dates.json()["errors"][0]["field"] == "end_date"


async def test_schedule_changes_are_audited(business: Business) -> None:
    staff = await business.create_staff()
    hours = await add_hours(business, staff["id"], weekday=2, start_time="08:00", end_time="12:00")
    await add_exception(business, staff["id"], kind="unavailable", start_date="2026-12-01")
    await business.client.delete(
        f"/api/v1/staff/{staff['id']}/working-hours/{hours.json()['id']}",
        headers=business.headers(),
    )
    actions = [(r.action, r.resource_id) for r in await business.audit_rows()]
    assert actions == [
        ("staff.create", staff["id"]),
        ("staff.working_hours.add", staff["id"]),
        ("staff.availability_exception.add", staff["id"]),
        ("staff.working_hours.remove", staff["id"]),
    ]


async def test_an_unknown_entry_of_a_known_staff_member_is_404(business: Business) -> None:
    staff = await business.create_staff()
    response = await business.client.delete(
        f"/api/v1/staff/{staff['id']}/working-hours/{uuid.uuid4()}", headers=business.headers()
    )
    assert response.status_code == 404
