"""Web Push in a real browser: a nurse turns on push notifications on this device from the
notification preferences. The app's service worker is registered at the app's scope and
active; subscribing either reaches the API or, where the browser has no push service to reach
(headless Chromium here, offline), fails with a clear message. A push message delivered to the
worker through DevTools becomes a notification with the channel's title, body and page."""

from __future__ import annotations

import json
import time
from typing import Any

from playwright.sync_api import Page, expect

from tests.e2e.web.conftest import WebApp, sign_in

NURSE = "nurse@demo.nilecare.sd"
TOGGLE = "Push notifications on this device"


def _nurse_allowing_notifications(page: Page, web_app: WebApp) -> None:
    """The nurse on the notifications page, the browser allowing notifications for the app."""
    page.context.grant_permissions(["notifications"], origin=web_app.base_url)
    sign_in(page, NURSE, web_app.password)
    page.goto("/notifications")


def _ready_worker(page: Page) -> dict[str, Any]:
    """The registration the page's origin has, once its worker is active."""
    found: dict[str, Any] = page.evaluate(
        """async () => {
          const registration = await navigator.serviceWorker.ready;
          return {
            scope: registration.scope,
            script: registration.active.scriptURL,
            state: registration.active.state,
          };
        }"""
    )
    return found


def _subscriptions(web_app: WebApp, token: str) -> list[dict[str, Any]]:
    with web_app.api() as api:
        answer = api.get(
            "/api/v1/notifications/push-subscriptions",
            headers={"Authorization": f"Bearer {token}"},
        )
        rows: list[dict[str, Any]] = answer.raise_for_status().json()
        return rows


def test_turning_push_on_registers_the_worker_at_the_apps_scope_with_a_clear_outcome(
    page: Page, web_app: WebApp
) -> None:
    _nurse_allowing_notifications(page, web_app)
    toggle = page.get_by_role("switch", name=TOGGLE)
    expect(toggle).to_be_enabled()
    expect(page.get_by_text("This browser allows NileCare to show notifications.")).to_be_visible()

    toggle.click()
    failed = page.get_by_role("alert").filter(has_text="Push notifications could not be turned on")
    expect(toggle.and_(page.locator(":checked")).or_(failed)).to_be_visible(timeout=30_000)

    worker = _ready_worker(page)
    assert worker == {
        "scope": f"{web_app.base_url}/",
        "script": f"{web_app.base_url}/sw.js",
        "state": "activated",
    }
    endpoint = page.evaluate(
        """async () => {
          const registration = await navigator.serviceWorker.ready;
          const subscription = await registration.pushManager.getSubscription();
          return subscription && subscription.endpoint;
        }"""
    )
    registered = [row["endpoint"] for row in _subscriptions(web_app, web_app.token(NURSE))]
    if failed.is_visible():
        # No push service: the browser's AbortError, in words, and nothing half-registered.
        expect(failed).to_contain_text("The browser could not reach its push service.")
        expect(toggle).not_to_be_checked()
        assert endpoint is None
        assert registered == []
    else:
        expect(page.get_by_text("On: critical alerts reach this device")).to_be_visible()
        assert endpoint in registered


def test_a_push_message_is_shown_by_the_worker_as_the_channel_sends_it(
    page: Page, web_app: WebApp
) -> None:
    _nurse_allowing_notifications(page, web_app)
    page.evaluate("() => navigator.serviceWorker.register('/sw.js', { scope: '/' })")
    _ready_worker(page)

    devtools = page.context.new_cdp_session(page)
    registrations: list[str] = []
    devtools.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda event: registrations.extend(r["registrationId"] for r in event["registrations"]),
    )
    devtools.send("ServiceWorker.enable")
    deadline = time.monotonic() + 10
    while not registrations and time.monotonic() < deadline:
        page.wait_for_timeout(100)  # DevTools' events arrive while Playwright waits
    assert registrations, "DevTools reported no service worker registration"
    # What nilecare/services/notification/channels/webpush.py sends.
    payload = {
        "title": "Critical lab result",
        "body": "Potassium 6.9 mmol/L",
        "reference": "d-1",
        "url": "/patients/42",
    }
    message = {"origin": web_app.base_url, "registrationId": registrations[0]}
    devtools.send("ServiceWorker.deliverPushMessage", {**message, "data": json.dumps(payload)})

    shown = page.wait_for_function(
        """async () => {
          const registration = await navigator.serviceWorker.ready;
          const [n] = await registration.getNotifications();
          return n && { title: n.title, body: n.body, tag: n.tag, data: n.data };
        }""",
        polling=200,
    ).json_value()
    assert shown == {
        "title": "Critical lab result",
        "body": "Potassium 6.9 mmol/L",
        "tag": "d-1",
        "data": {"url": "/patients/42"},
    }
