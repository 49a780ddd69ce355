"""A receptionist registers a patient, is warned when registering the same person again and links
to the existing record, then finds the patient by name."""

from __future__ import annotations

import random
import re
import string

from playwright.sync_api import Page, expect

from tests.e2e.web.conftest import WebApp, sign_in

RECEPTIONIST = "receptionist@demo.nilecare.sd"
CHART_URL = re.compile(r"/patients/([0-9a-f-]{36})$")


def _choose(page: Page, label: str, option: str) -> None:
    page.get_by_label(label).click()
    page.get_by_role("option", name=option, exact=True).click()


def _fill_registration(
    page: Page, *, given: str, family: str, national_id: str, phone: str
) -> None:
    page.goto("/patients/new")
    # The receptionist's only facility is chosen for them.
    expect(page.get_by_label("Facility")).to_contain_text("Khartoum Teaching Hospital")
    page.get_by_label("Given name (English)").fill(given)
    page.get_by_label("Family name (English)").fill(family)
    page.get_by_label("Given name (Arabic)").fill("آمنة")
    page.get_by_label("Family name (Arabic)").fill("عثمان")
    _choose(page, "Sex", "Female")
    page.get_by_label("Birth date").fill("1988-04-12")
    page.get_by_label("National ID").fill(national_id)
    page.get_by_label("Mobile phone").fill(phone)
    _choose(page, "State", "River Nile")
    page.get_by_label("Locality").fill("Atbara")
    page.get_by_role("textbox", name="Name", exact=True).fill("Osman Elnour")
    _choose(page, "Relation", "Spouse")
    page.get_by_role("textbox", name="Phone", exact=True).fill("0123456789")


def _chart_id(page: Page) -> str:
    expect(page).to_have_url(CHART_URL)
    match = CHART_URL.search(page.url)
    assert match is not None
    return match.group(1)


def test_a_receptionist_registers_a_patient_is_warned_of_a_duplicate_and_finds_the_patient(
    page: Page, web_app: WebApp
) -> None:
    suffix = "".join(random.choices(string.ascii_lowercase, k=8))
    given, family = f"Amna{suffix}", f"Osman{suffix}"
    national_id = "".join(random.choices(string.digits, k=11))
    phone = "091" + "".join(random.choices(string.digits, k=7))
    sign_in(page, RECEPTIONIST, web_app.password)

    # A first registration lands on the new patient's chart.
    _fill_registration(page, given=given, family=family, national_id=national_id, phone=phone)
    page.get_by_role("button", name="Register patient").click()
    first_id = _chart_id(page)
    with web_app.api() as api:
        answer = api.get(
            f"/api/v1/patients/{first_id}",
            headers={"Authorization": f"Bearer {web_app.token(RECEPTIONIST)}"},
        )
        answer.raise_for_status()
        first = answer.json()
    assert first["given_name_en"] == given
    assert first["phone"] == "+249" + phone[1:]
    assert first["address"] == {"state": "River Nile", "locality": "Atbara", "line": None}

    # The same person again (same national id and phone, the name spelt differently) is
    # recognised: the warning names the first registration, and linking opens its chart.
    _fill_registration(
        page, given=f"Aamna{suffix}", family=family, national_id=national_id, phone=phone
    )
    page.get_by_role("button", name="Register patient").click()
    dialog = page.get_by_role("dialog", name="This patient may already be registered")
    candidate = dialog.get_by_role("listitem", name=first["mrn"])
    expect(candidate).to_contain_text(f"{given} {family}")
    expect(candidate).to_contain_text("Same national ID")
    expect(candidate).to_contain_text("Same phone number")
    candidate.get_by_role("button", name="This is the same person").click()
    assert _chart_id(page) == first_id

    # The search by the new name finds the one patient, and the row opens the chart.
    page.goto("/patients")
    page.get_by_label("Search patients").fill(f"{given} {family}")
    results = page.get_by_role("table", name="Search results")
    rows = results.get_by_role("row", name=re.compile(given))
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text(first["mrn"])
    rows.click()
    assert _chart_id(page) == first_id
