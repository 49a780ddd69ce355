"""The built web app in real headless Chromium (Debian's package) against a real all-in-one
``nilecare up`` with demo data: the browser talks to the gateway exactly as a user's would."""

from __future__ import annotations

import os
import shutil
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.databases import skip_or_fail
from tests.live import free_port, nilecare_env, run_cli, serving

ROOT = Path(__file__).resolve().parents[3]
WEB_DIST = ROOT / "web" / "dist"
CHROMIUM = os.environ.get("NILECARE_TEST_CHROMIUM", "/usr/bin/chromium")
# Chromium as root in a sandbox-less container, with nothing calling home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = ROOT / "web" / "test-results"

pytestmark = pytest.mark.slow


@dataclass(frozen=True)
class WebApp:
    base_url: str
    password: str

    def api(self) -> httpx.Client:
        return httpx.Client(base_url=self.base_url, timeout=30)

    def token(self, email: str, otp: str | None = None) -> str:
        with self.api() as api:
            answer = api.post(
                "/api/v1/auth/login", json={"email": email, "password": self.password, "otp": otp}
            )
            answer.raise_for_status()
            return str(answer.json()["access_token"])


@pytest.fixture(scope="session")
def web_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebApp]:
    if not (WEB_DIST / "index.html").is_file():
        skip_or_fail("the web app is not built (make test builds it: cd web && npm run build)")
    if shutil.which(CHROMIUM) is None:
        skip_or_fail(f"no Chromium at {CHROMIUM} (make test installs Debian's chromium package)")
    data_dir = tmp_path_factory.mktemp("web-e2e")
    env = nilecare_env(
        data_dir,
        NILECARE_GATEWAY__WEB_DIR=str(WEB_DIST),
        # Every test signs in from 127.0.0.1, more than 30 a minute (the per-IP login limit,
        # tested in tests/services/gateway): seen in CI as "Too many attempts" on a sign-in.
        NILECARE_GATEWAY__LOGIN_REQUESTS_PER_MINUTE="600",
    )
    # seed demo migrates every service first (test_cli.py runs db upgrade on its own).
    seeded = run_cli(["seed", "demo"], env, timeout=300)
    assert seeded.returncode == 0, seeded.stdout + seeded.stderr
    with serving(["up"], env, free_port()) as base_url:
        yield WebApp(base_url, env["NILECARE_DEMO_PASSWORD"])


# Per module, not per session: Playwright's sync API keeps an event loop running while it is
# open, and pytest-asyncio cannot run the async tests that follow the browser tests under it.
@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser, web_app: WebApp, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh browser context (no storage) in English, its default timeout 10 s; a screenshot
    is kept under web/test-results/ when the test fails."""
    context = browser.new_context(
        base_url=web_app.base_url, locale="en-US", viewport={"width": 1366, "height": 900}
    )
    context.set_default_timeout(10_000)
    opened = context.new_page()
    yield opened
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        opened.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def sign_in(page: Page, email: str, password: str) -> None:
    """Log in through the login page and wait for the signed-in frame."""
    page.goto("/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_test_id("user-name").wait_for()
