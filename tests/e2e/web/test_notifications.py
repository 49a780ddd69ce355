"""The live feed in a real browser: a nurse has a page open when a critical vital sign is recorded
for a patient in a bed of her facility; the banner appears without a reload, links to the chart and
can be dismissed; and the notification bell of the doctor on call in the ward counts the message
the notification service sends about it."""

from __future__ import annotations

import random
import time
from typing import Any

import httpx
from playwright.sync_api import Page, expect

from tests.e2e.web.conftest import WebApp, sign_in

NURSE = "nurse@demo.nilecare.sd"
DOCTOR = "doctor@demo.nilecare.sd"


def _headers(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _occupied_beds(api: httpx.Client, token: str, facility_id: str) -> list[dict[str, Any]]:
    """The beds of a facility a demo patient lies in now (the seed fills the third and fifth bed
    of every ward), with the encounter holding each."""
    answer = api.get(
        "/api/v1/beds",
        headers=_headers(token),
        params={"facility_id": facility_id, "status": "occupied", "limit": 200},
    )
    beds = answer.raise_for_status().json()["items"]
    return [bed for bed in beds if bed["patient_id"] and bed["encounter_id"]]


def _patient_in(api: httpx.Client, token: str, bed: dict[str, Any]) -> dict[str, Any]:
    answer = api.get(f"/api/v1/patients/{bed['patient_id']}", headers=_headers(token))
    patient = answer.raise_for_status().json()
    return {
        "id": patient["id"],
        "name": f"{patient['given_name_en']} {patient['family_name_en']}",
        "encounter_id": bed["encounter_id"],
    }


def _inpatient(api: httpx.Client, token: str) -> dict[str, Any]:
    """A demo patient lying in a bed of the user's first facility."""
    me = api.get("/api/v1/auth/me", headers=_headers(token)).raise_for_status().json()
    return _patient_in(api, token, _occupied_beds(api, token, me["facility_ids"][0])[0])


def _record_critical_vitals(api: httpx.Client, token: str, patient: dict[str, Any]) -> int:
    """A critical heart rate (a value of its own, to tell this alert from the seed's) and a
    critical SpO2; returns the heart rate."""
    heart_rate = random.randint(160, 199)
    answer = api.post(
        "/api/v1/vital-signs",
        headers=_headers(token),
        json={
            "patient_id": patient["id"],
            "encounter_id": patient["encounter_id"],
            "heart_rate": heart_rate,
            "spo2": 84,
            "temperature": 36.8,
        },
    )
    answer.raise_for_status()
    assert answer.json()["critical"] is True
    return heart_rate


def _bell(unread: int) -> str:
    """The bell's accessible name for that many unread notifications."""
    return f"Notifications, {unread or 'none'} unread"


def _unread(api: httpx.Client, token: str) -> int:
    answer = api.get("/api/v1/notifications/unread-count", headers=_headers(token))
    return int(answer.raise_for_status().json()["unread"])


def _settled_unread(api: httpx.Client, token: str, quiet: float = 3.0) -> int:
    """The unread count once it has not changed for ``quiet`` seconds: notifications about
    earlier tests' readings may still be on their way."""
    count, since = _unread(api, token), time.monotonic()
    while time.monotonic() - since < quiet:
        time.sleep(0.25)
        now = _unread(api, token)
        if now != count:
            count, since = now, time.monotonic()
    return count


def test_a_critical_vital_sign_appears_live_as_a_banner_linking_to_the_chart(
    page: Page, web_app: WebApp
) -> None:
    token = web_app.token(NURSE)
    with web_app.api() as api:
        patient = _inpatient(api, token)

    sign_in(page, NURSE, web_app.password)
    page.goto("/staff")
    # The live feed is connected (its offline sign is gone) before the reading is recorded.
    expect(page.get_by_test_id("live-offline")).to_have_count(0)
    with web_app.api() as api:
        heart_rate = _record_critical_vitals(api, token, patient)

    banner = page.get_by_role("alert").filter(has_text=f"heart rate {heart_rate} /min")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text(f"Critical vital signs: {patient['name']}")
    expect(banner).to_contain_text("SpO₂ 84 %")
    expect(banner).not_to_contain_text("temperature")

    banner.get_by_role("link", name="Open chart").click()
    expect(page).to_have_url(f"{web_app.base_url}/patients/{patient['id']}")
    expect(page.get_by_role("heading", name=patient["name"])).to_be_visible()
    # The banner stays on every page until dismissed.
    expect(banner).to_be_visible()
    banner.get_by_role("button", name=f"Dismiss the alert for {patient['name']}").click()
    expect(banner).to_have_count(0)


def test_the_bell_counts_the_notification_of_a_critical_vital_sign_live(
    page: Page, web_app: WebApp
) -> None:
    # The demo doctor is on call in every ward of the Khartoum facility, at every hour.
    token = web_app.token(DOCTOR)
    with web_app.api() as api:
        patient = _inpatient(api, token)
        before = _settled_unread(api, token)

    sign_in(page, DOCTOR, web_app.password)
    expect(page.get_by_role("button", name=_bell(before))).to_be_visible()
    expect(page.get_by_test_id("live-offline")).to_have_count(0)
    with web_app.api() as api:
        _record_critical_vitals(api, token, patient)

    bell = page.get_by_role("button", name=_bell(before + 1))
    expect(bell).to_be_visible(timeout=20_000)
    bell.click()
    latest = page.get_by_role("list", name="Latest notifications")
    newest = latest.get_by_role("listitem").first
    expect(newest.get_by_role("img", name="Critical")).to_be_visible()
    newest.get_by_role("button", name="Mark").click()
    expect(newest.get_by_role("button", name="Mark")).to_have_count(0)
    # The popover hides the page from the accessibility tree. The Mark button it was focused on
    # is gone, so send Escape to the popover itself, not to whatever has the focus now.
    popover = page.get_by_role("dialog", name="Latest notifications")
    popover.press("Escape")
    expect(popover).to_have_count(0)
    expect(page.get_by_role("button", name=_bell(before))).to_be_visible()
    with web_app.api() as api:
        assert _unread(api, token) == before
