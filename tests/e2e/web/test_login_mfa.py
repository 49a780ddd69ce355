"""Two-step verification at sign-in: a role that must enrol is taken through enrolment in the
browser, then signs in with a code from the authenticator; a wrong code is refused."""

from __future__ import annotations

import time

import pyotp
from playwright.sync_api import Page, expect

from tests.e2e.web.conftest import WebApp


def _submit_credentials(page: Page, email: str, password: str) -> None:
    page.goto("/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def _other_code(totp: pyotp.TOTP) -> str:
    """A six-digit code that is none of the codes valid around now."""
    now = time.time()
    valid = {totp.at(now + drift) for drift in (-60, -30, 0, 30, 60)}
    return next(
        code for code in (f"{n:06d}" for n in range(0, 1_000_000, 7919)) if code not in valid
    )


def test_an_admin_enrols_in_the_browser_then_signs_in_with_a_code(
    page: Page, web_app: WebApp
) -> None:
    _submit_credentials(page, "admin@demo.nilecare.sd", web_app.password)
    expect(page.get_by_text("Set up two-step verification")).to_be_visible()
    secret_box = page.get_by_test_id("mfa-secret")
    expect(secret_box).not_to_have_value("")
    totp = pyotp.TOTP(secret_box.input_value())
    confirmed_step = int(time.time() // 30)
    page.get_by_label("One-time code").fill(totp.now())
    page.get_by_role("button", name="Confirm code").click()
    expect(page.get_by_test_id("backup-codes").get_by_role("listitem")).not_to_have_count(0)
    page.get_by_role("button", name="I have saved them: continue").click()

    # A code's time step counts once: the confirmation used this one, so wait for the next.
    while int(time.time() // 30) == confirmed_step:
        time.sleep(0.5)
    page.get_by_label("One-time code").fill(totp.now())
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_test_id("user-name")).to_have_text("Demo Admin")

    page.get_by_role("navigation").get_by_role("link", name="Users").click()
    expect(page.get_by_role("heading", name="Users")).to_be_visible()
    expect(page.get_by_role("table", name="Users")).to_contain_text("admin@demo.nilecare.sd")


def test_a_wrong_code_is_refused_with_a_message(page: Page, web_app: WebApp) -> None:
    email = "health_inspector@demo.nilecare.sd"
    with web_app.api() as api:
        answer = api.post("/api/v1/auth/login", json={"email": email, "password": web_app.password})
        if answer.status_code == 200:  # not enrolled yet: turn two-step verification on
            headers = {"Authorization": f"Bearer {answer.json()['access_token']}"}
            started = api.post("/api/v1/auth/mfa/enrollment", headers=headers)
            started.raise_for_status()
            totp = pyotp.TOTP(started.json()["secret"])
            api.post(
                "/api/v1/auth/mfa/enrollment/confirmation",
                headers=headers,
                json={"code": totp.now()},
            ).raise_for_status()
        else:
            assert answer.json().get("mfa_required"), answer.text
            totp = pyotp.TOTP(pyotp.random_base32())

    _submit_credentials(page, email, web_app.password)
    page.get_by_label("One-time code").fill(_other_code(totp))
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("alert")).to_contain_text("That code is not valid")
    expect(page).to_have_url(f"{web_app.base_url}/login")
    expect(page.get_by_test_id("user-name")).to_have_count(0)
