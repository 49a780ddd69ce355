"""The facility and administration pages against demo data: the bed board, the staff
directory, and an administrator creating a user."""

from __future__ import annotations

import secrets

import httpx
import pyotp
from playwright.sync_api import Page, expect

from tests.e2e.web.conftest import WebApp, sign_in

KHARTOUM_TEACHING_HOSPITAL = "6f1c2a4e-5b7d-4c8e-9a0f-1d2e3f405162"


def _enrol(api: httpx.Client, email: str, password: str) -> list[str]:
    """Log in as a user who must enrol, turn TOTP on through the API; the backup codes."""
    answer = api.post("/api/v1/auth/login", json={"email": email, "password": password})
    answer.raise_for_status()
    assert answer.json()["mfa_enrollment_required"], f"{email} is enrolled already"
    headers = {"Authorization": f"Bearer {answer.json()['access_token']}"}
    started = api.post("/api/v1/auth/mfa/enrollment", headers=headers)
    started.raise_for_status()
    code = pyotp.TOTP(started.json()["secret"]).now()
    confirmed = api.post(
        "/api/v1/auth/mfa/enrollment/confirmation", headers=headers, json={"code": code}
    )
    confirmed.raise_for_status()
    return list(confirmed.json()["backup_codes"])


def _new_admin(web_app: WebApp) -> tuple[str, str, str]:
    """A fresh administrator of the Khartoum hospital, enrolled in TOTP through the API (by the
    demo super admin, itself enrolled here): e-mail, password and a backup code to sign in."""
    email = f"admin.{secrets.token_hex(4)}@e2e.nilecare.sd"
    password = f"Savanna-{secrets.token_hex(6)}-Acacia"
    with web_app.api() as api:
        backup = _enrol(api, "super_admin@demo.nilecare.sd", web_app.password)
        token = web_app.token("super_admin@demo.nilecare.sd", otp=backup[0])
        created = api.post(
            "/api/v1/users",
            headers={"Authorization": f"Bearer {token}"},
            json={
                "email": email,
                "full_name": "E2E Administrator",
                "password": password,
                "roles": ["admin"],
                "facility_ids": [KHARTOUM_TEACHING_HOSPITAL],
            },
        )
        created.raise_for_status()
        own_backup = _enrol(api, email, password)
    return email, password, own_backup[0]


def test_the_bed_board_shows_the_demo_wards_with_beds_and_statuses_for_a_nurse(
    page: Page, web_app: WebApp
) -> None:
    sign_in(page, "nurse@demo.nilecare.sd", web_app.password)
    page.get_by_role("navigation").get_by_role("link", name="Beds").click()
    expect(page.get_by_role("heading", name="Bed board")).to_be_visible()
    medical = page.get_by_role("region", name="Medical Ward")
    expect(medical.get_by_role("group", name="Bed MED-01: Available")).to_be_visible()
    expect(medical.get_by_role("group", name="Occupancy of Medical Ward")).to_contain_text(
        "of 16 occupied"
    )
    expect(page.get_by_role("region", name="Maternity Ward")).to_be_visible()
    # A nurse manages beds: an available one can be taken out of service and brought back.
    bed = medical.get_by_role("group", name="Bed MED-16: Available")
    bed.get_by_role("button", name="Change status of bed MED-16").click()
    page.get_by_role("menuitem", name="Take out of service").click()
    back = medical.get_by_role("group", name="Bed MED-16: Out of service")
    expect(back).to_be_visible()
    back.get_by_role("button", name="Change status of bed MED-16").click()
    page.get_by_role("menuitem", name="Mark available").click()
    expect(medical.get_by_role("group", name="Bed MED-16: Available")).to_be_visible()


def test_the_staff_directory_lists_the_demo_staff(page: Page, web_app: WebApp) -> None:
    sign_in(page, "receptionist@demo.nilecare.sd", web_app.password)
    page.goto("/staff")
    table = page.get_by_role("table", name="Staff directory")
    expect(table).to_contain_text("Dr. Amna Osman Elhassan")
    expect(table).to_contain_text("SMC-20417")
    page.get_by_label("Kind").click()
    page.get_by_role("option", name="Nurse").click()
    expect(table).not_to_contain_text("Dr. Amna Osman Elhassan")
    expect(table.get_by_role("row")).not_to_have_count(1)
    page.get_by_role("row", name="Details of Nafisa Adam Ishag").click()
    drawer = page.get_by_role("dialog", name="Details of Nafisa Adam Ishag")
    expect(drawer.get_by_role("heading", name="Weekly working hours")).to_be_visible()
    page.get_by_role("button", name="Close").click()
    page.get_by_role("tab", name="Services & prices").click()
    expect(page.get_by_role("table", name="Services & prices")).to_contain_text("SDG")


def test_an_admin_creates_a_user_and_sees_them_in_the_list(page: Page, web_app: WebApp) -> None:
    email, password, backup_code = _new_admin(web_app)
    page.goto("/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("One-time code").fill(backup_code)
    page.get_by_role("button", name="Verify").click()
    page.get_by_test_id("user-name").wait_for()

    page.get_by_role("navigation").get_by_role("link", name="Users").click()
    new_email = f"clerk.{secrets.token_hex(4)}@e2e.nilecare.sd"
    page.get_by_role("button", name="New user").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("E-mail").fill(new_email)
    dialog.get_by_label("Full name").fill("Mariam Hassan Elamin")
    dialog.get_by_label("Initial password").fill("short")
    dialog.get_by_label("Billing clerk").check()
    dialog.get_by_label("Khartoum Teaching Hospital").check()
    dialog.get_by_role("button", name="Create user").click()
    # The server's password policy answers beside the field; a passphrase passes.
    expect(dialog.get_by_text("must be at least 12 characters long")).to_be_visible()
    dialog.get_by_label("Initial password").fill("Ledger-Tamarind-Sunrise-77")
    dialog.get_by_role("button", name="Create user").click()
    expect(page.get_by_role("alert").filter(has_text="was created")).to_be_visible()

    page.get_by_label("Search by e-mail").fill(new_email)
    table = page.get_by_role("table", name="Users")
    expect(table.get_by_role("row")).to_have_count(2)
    row = table.get_by_role("row").nth(1)
    expect(row).to_contain_text("Mariam Hassan Elamin")
    expect(row).to_contain_text("Billing clerk")
    expect(row).to_contain_text("Khartoum Teaching Hospital")
