"""Sign-in, role-aware navigation and the Arabic right-to-left layout."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.web.conftest import WebApp, sign_in


def test_a_doctor_signs_in_and_sees_the_pages_of_the_role(page: Page, web_app: WebApp) -> None:
    sign_in(page, "doctor@demo.nilecare.sd", web_app.password)
    nav = page.get_by_role("navigation")
    expect(nav.get_by_role("link", name="Patients")).to_be_visible()
    expect(nav.get_by_role("link", name="Users")).to_have_count(0)


def test_a_page_checks_the_role_not_only_the_login(page: Page, web_app: WebApp) -> None:
    sign_in(page, "nurse@demo.nilecare.sd", web_app.password)
    page.goto("/admin/users")
    expect(page.get_by_role("alert").filter(has_text="does not give access")).to_be_visible()


def test_arabic_lays_the_app_out_right_to_left(page: Page, web_app: WebApp) -> None:
    sign_in(page, "doctor@demo.nilecare.sd", web_app.password)
    page.get_by_test_id("language-switch").locator("..").click()
    page.get_by_role("option", name="العربية").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.get_by_role("navigation").get_by_role("link", name="المرضى")).to_be_visible()
    # The navigation drawer sits on the right edge of the window, the content to its left.
    drawer = page.locator(".MuiDrawer-paper").bounding_box()
    assert drawer is not None
    assert drawer["x"] + drawer["width"] >= 1366 - 1
    # The choice survives a reload.
    page.reload()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")


def test_a_wrong_password_is_refused_with_a_message(page: Page, web_app: WebApp) -> None:
    page.goto("/login")
    page.get_by_label("E-mail").fill("doctor@demo.nilecare.sd")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("not correct")
    expect(page).to_have_url(f"{web_app.base_url}/login")


def test_logging_out_returns_to_the_login_page_and_drops_the_session(
    page: Page, web_app: WebApp
) -> None:
    sign_in(page, "doctor@demo.nilecare.sd", web_app.password)
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    page.goto("/patients")
    expect(page).to_have_url(f"{web_app.base_url}/login")
