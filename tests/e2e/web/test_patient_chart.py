"""The patient chart in a real browser: a doctor admits a patient to a bed through the bed
picker, a nurse records a critical vital sign and sees it highlighted, the doctor discharges and
the bed is given back."""

from __future__ import annotations

import random
import uuid

import httpx
from playwright.sync_api import Page, expect

from tests.e2e.web.conftest import WebApp, sign_in

DOCTOR = "doctor@demo.nilecare.sd"
NURSE = "nurse@demo.nilecare.sd"


def _register_patient(api: httpx.Client, token: str) -> dict[str, str]:
    """A fresh patient of the doctor's facility, so this test owns its admission."""
    headers = {"Authorization": f"Bearer {token}"}
    me = api.get("/api/v1/auth/me", headers=headers).raise_for_status().json()
    family = f"Chart{uuid.uuid4().hex[:8]}"
    answer = api.post(
        "/api/v1/patients",
        headers=headers,
        json={
            "given_name_en": "Amna",
            "family_name_en": family,
            "given_name_ar": "آمنة",
            "family_name_ar": "الاختبار",
            "sex": "female",
            "birth_date": "1988-05-14",
            "phone": f"+2499{random.randint(10_000_000, 99_999_999)}",
            "address": {"state": "Khartoum", "locality": "Bahri"},
            "facility_id": me["facility_ids"][0],
            "confirm_new": True,
        },
    )
    answer.raise_for_status()
    return {"id": answer.json()["id"], "name": f"Amna {family}"}


def _active_inpatient_encounter(api: httpx.Client, token: str, patient_id: str) -> dict[str, str]:
    answer = api.get(
        f"/api/v1/patients/{patient_id}/encounters",
        headers={"Authorization": f"Bearer {token}"},
        params={"status": ["in_progress"]},
    )
    answer.raise_for_status()
    (encounter,) = [e for e in answer.json()["items"] if e["encounter_class"] == "inpatient"]
    return dict(encounter)


def _bed(api: httpx.Client, token: str, bed_id: str) -> dict[str, str | None]:
    answer = api.get(f"/api/v1/beds/{bed_id}", headers={"Authorization": f"Bearer {token}"})
    answer.raise_for_status()
    return dict(answer.json())


def _log_out(page: Page) -> None:
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()


def test_a_patient_is_admitted_shows_a_critical_vital_and_is_discharged(
    page: Page, web_app: WebApp
) -> None:
    doctor_token = web_app.token(DOCTOR)
    with web_app.api() as api:
        patient = _register_patient(api, doctor_token)
    chart = f"/patients/{patient['id']}"

    # The doctor admits the patient to an available bed picked in the dialog.
    sign_in(page, DOCTOR, web_app.password)
    page.goto(chart)
    expect(page.get_by_role("heading", name=patient["name"])).to_be_visible()
    expect(page.get_by_test_id("active-encounter")).to_have_text("No open encounter")
    page.get_by_role("button", name="Admit").click()
    dialog = page.get_by_role("dialog")
    first_bed = dialog.get_by_role("radiogroup").get_by_role("radio").first
    expect(first_bed).to_be_visible()
    bed_text = first_bed.locator("xpath=ancestor::label").inner_text()
    bed_label = bed_text.split(" · ")[0].strip()
    first_bed.check()
    dialog.get_by_role("button", name="Admit to bed").click()
    expect(dialog).to_have_count(0)
    expect(page.get_by_test_id("active-encounter")).to_contain_text("Inpatient")
    expect(page.get_by_test_id("active-encounter")).to_contain_text(f"Bed {bed_label}")
    expect(page.get_by_role("button", name="Discharge")).to_be_visible()

    with web_app.api() as api:
        encounter = _active_inpatient_encounter(api, doctor_token, patient["id"])
        bed = _bed(api, doctor_token, encounter["bed_id"])
    assert bed["label"] == bed_label
    assert bed["status"] == "occupied"
    assert bed["patient_id"] == patient["id"]
    assert bed["encounter_id"] == encounter["id"]

    # A nurse records a critical heart rate and a critical SpO2: both are called out.
    _log_out(page)
    sign_in(page, NURSE, web_app.password)
    page.goto(chart)
    expect(page.get_by_role("button", name="Admit")).to_have_count(0)
    expect(page.get_by_role("button", name="Discharge")).to_have_count(0)
    page.get_by_role("button", name="Record vital signs").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("Recorded against the current encounter.")
    dialog.get_by_label("Heart rate").fill("170")
    dialog.get_by_label("SpO₂").fill("85")
    dialog.get_by_label("Temperature").fill("36.9")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog).to_have_count(0)
    # The chart's own alert (the critical-alert banners above every page are alerts too).
    critical = page.get_by_role("alert").filter(has_text="Critical: heart rate 170 /min")
    expect(critical).to_contain_text("Critical: heart rate 170 /min, SpO₂ 85 %")
    table = page.get_by_role("table", name="Vital signs, newest first")
    newest = table.get_by_role("row").nth(1)
    expect(newest).to_have_attribute("data-critical", "true")
    expect(newest).to_contain_text("Critical reading")
    expect(newest.get_by_role("cell").filter(has_text="170")).to_contain_text("Critical")
    expect(newest.get_by_role("cell").filter(has_text="36.9")).not_to_contain_text("Critical")
    expect(page.get_by_role("figure", name="Heart rate")).to_contain_text("1 critical")

    # The doctor discharges; the bed no longer holds the patient.
    _log_out(page)
    sign_in(page, DOCTOR, web_app.password)
    page.goto(chart)
    page.get_by_role("button", name="Discharge").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text(f"bed {bed_label} is released")
    dialog.get_by_role("button", name="Discharge").click()
    expect(dialog).to_have_count(0)
    expect(page.get_by_test_id("active-encounter")).to_have_text("No open encounter")
    expect(page.get_by_role("button", name="Admit")).to_be_visible()
    page.get_by_role("tab", name="Encounters").click()
    expect(page.get_by_role("table", name="Encounters")).to_contain_text("Finished")

    with web_app.api() as api:
        released = _bed(api, doctor_token, encounter["bed_id"])
    assert released["patient_id"] is None
    assert released["encounter_id"] is None
    assert released["status"] != "occupied"
