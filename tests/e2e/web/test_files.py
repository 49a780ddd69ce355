"""Files built by tasks, in a real browser against ``nilecare up``: a doctor exports a patient's
record from the chart and downloads the JSON; a medical director downloads last month's
morbidity report of the hospital as CSV."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.web.conftest import WebApp, sign_in
from tests.e2e.web.test_patient_chart import DOCTOR, _register_patient

DIRECTOR = "medical_director@demo.nilecare.sd"


def test_a_doctor_exports_a_patients_record_from_the_chart(page: Page, web_app: WebApp) -> None:
    with web_app.api() as api:
        patient = _register_patient(api, web_app.token(DOCTOR))
    sign_in(page, DOCTOR, web_app.password)
    page.goto(f"/patients/{patient['id']}")
    page.get_by_role("button", name="Export record").click()
    dialog = page.get_by_role("dialog")
    download = dialog.get_by_role("button", name=re.compile(r"^Download patient-record-"))
    expect(download).to_be_visible(timeout=30_000)
    with page.expect_download() as started:
        download.click()
    saved = started.value
    assert re.fullmatch(r"patient-record-.+-\d{8}\.json", saved.suggested_filename)
    record = json.loads(Path(saved.path()).read_text(encoding="utf-8"))
    assert record["format"] == "nilecare.patient-record"
    assert record["patient"]["id"] == patient["id"]


def test_a_medical_director_downloads_a_morbidity_report(page: Page, web_app: WebApp) -> None:
    sign_in(page, DIRECTOR, web_app.password)
    page.get_by_role("navigation").get_by_role("link", name="Reports").click()
    expect(page.get_by_role("combobox", name="Facility")).not_to_have_text("")
    page.get_by_role("button", name="Prepare report").click()
    download = page.get_by_role("button", name=re.compile(r"^Download morbidity-"))
    expect(download).to_be_visible(timeout=30_000)
    with page.expect_download() as started:
        download.click()
    rows = list(csv.reader(Path(started.value.path()).read_text(encoding="utf-8").splitlines()))
    assert rows[0] == [
        "facility_id",
        "period_from",
        "period_to",
        "section",
        "code",
        "description",
        "count",
        "patients",
    ]
