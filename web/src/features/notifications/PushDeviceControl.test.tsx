import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";

import { json, signInAs, stubApi } from "../../test/api";
import { installFakePush, removeFakePush } from "../../test/fakePush";
import { renderInApp } from "../../test/render";
import { base64UrlToBytes } from "./pushDevice";
import { PushDeviceControl } from "./PushDeviceControl";
import { NURSE } from "./testing";

afterEach(() => removeFakePush());

// A real P-256 public key as the API gives it (URL-safe base64 of the uncompressed point).
const KEY =
  "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM";
const SUBSCRIPTIONS = "/api/v1/notifications/push-subscriptions";

interface Registered {
  id: string;
  endpoint: string;
  created_at: string;
}

/** The notification API with Web Push configured (or not) and the subscriptions it holds. */
function serve({ configured = true, registered = [] as Registered[] } = {}) {
  const calls = stubApi(({ method, url, body }) => {
    const path = url.pathname;
    if (path === "/api/v1/notifications/push/vapid-public-key") {
      return configured
        ? json({ public_key: KEY })
        : json({ type: "https://nilecare.sd/problems/push-not-configured", status: 404 }, 404);
    }
    if (path === SUBSCRIPTIONS && method === "GET") return json(registered);
    if (path === SUBSCRIPTIONS && method === "POST") {
      const { endpoint } = body as { endpoint: string };
      const row = { id: "sub-1", endpoint, created_at: "2026-06-16T08:00:00Z" };
      registered.push(row);
      return json(row, 201);
    }
    if (path.startsWith(`${SUBSCRIPTIONS}/`) && method === "DELETE") {
      registered.splice(0, registered.length);
      return new Response(null, { status: 204 });
    }
    return undefined;
  });
  return calls;
}

function toggle() {
  return screen.findByRole("switch", { name: "Push notifications on this device" });
}

describe("PushDeviceControl", () => {
  it("says when the browser cannot receive push, and offers nothing to switch on", async () => {
    signInAs(NURSE);
    const calls = serve();
    renderInApp(<PushDeviceControl />);
    expect(await toggle()).toBeDisabled();
    expect(screen.getByText(/needs a current browser and a secure connection/)).toBeVisible();
    expect(calls).toEqual([]);
  });

  it("asks for permission, subscribes with the server's key and registers the subscription", async () => {
    signInAs(NURSE);
    const browser = installFakePush();
    const calls = serve();
    renderInApp(<PushDeviceControl />);
    expect(await screen.findByText("Off on this device.")).toBeVisible();
    expect(screen.getByText(/The browser will ask whether NileCare may/)).toBeVisible();

    await waitFor(async () => expect(await toggle()).toBeEnabled());
    await userEvent.click(await toggle());

    await waitFor(async () => expect(await toggle()).toBeChecked());
    expect(screen.getByText(/On: critical alerts reach this device/)).toBeVisible();
    expect(screen.getByText("This browser allows NileCare to show notifications.")).toBeVisible();
    expect(browser.registered).toEqual([{ url: "/sw.js", scope: "/" }]);
    expect(browser.subscribed).toHaveLength(1);
    expect(browser.subscribed[0]!.userVisibleOnly).toBe(true);
    const key = browser.subscribed[0]!.applicationServerKey as Uint8Array;
    expect(Array.from(key)).toEqual(Array.from(base64UrlToBytes(KEY)));
    expect(key).toHaveLength(65);
    const posted = calls.filter((c) => c.method === "POST");
    expect(posted.map((c) => [c.url.pathname, c.body])).toEqual([
      [
        SUBSCRIPTIONS,
        {
          endpoint: "https://push.example.org/send/fake-device",
          expirationTime: null,
          keys: { p256dh: "BPublicKeyOfTheBrowser", auth: "authSecret" },
        },
      ],
    ]);
  });

  it("replaces a subscription made with a key the server no longer has", async () => {
    signInAs(NURSE);
    const browser = installFakePush({ permission: "granted" });
    const old = browser.subscribedBefore("https://push.example.org/old", new Uint8Array(65));
    serve();
    renderInApp(<PushDeviceControl />);
    await waitFor(async () => expect(await toggle()).toBeEnabled());
    await userEvent.click(await toggle());

    await waitFor(async () => expect(await toggle()).toBeChecked());
    expect(old.unsubscribed).toBe(true);
    expect(browser.subscription?.endpoint).toBe("https://push.example.org/send/fake-device");
  });

  it("turns push off: the API forgets the subscription and the browser drops it", async () => {
    signInAs(NURSE);
    const browser = installFakePush({ permission: "granted" });
    const mine = browser.subscribedBefore("https://push.example.org/mine", base64UrlToBytes(KEY));
    const calls = serve({
      registered: [{ id: "sub-9", endpoint: mine.endpoint, created_at: "2026-06-16T08:00:00Z" }],
    });
    renderInApp(<PushDeviceControl />);
    await waitFor(async () => expect(await toggle()).toBeChecked());
    await userEvent.click(await toggle());

    await waitFor(async () => expect(await toggle()).not.toBeChecked());
    expect(mine.unsubscribed).toBe(true);
    const deleted = calls.filter((c) => c.method === "DELETE").map((c) => c.url.pathname);
    expect(deleted).toEqual([`${SUBSCRIPTIONS}/sub-9`]);
  });

  it("shows push as off when the server does not have this browser's subscription", async () => {
    signInAs(NURSE);
    const browser = installFakePush({ permission: "granted" });
    browser.subscribedBefore("https://push.example.org/another-users", base64UrlToBytes(KEY));
    serve({ registered: [] });
    renderInApp(<PushDeviceControl />);
    await waitFor(async () => expect(await toggle()).toBeEnabled());
    expect(await toggle()).not.toBeChecked();
  });

  it("explains how to allow notifications when the browser blocks them", async () => {
    signInAs(NURSE);
    installFakePush({ permission: "denied" });
    serve();
    renderInApp(<PushDeviceControl />);
    expect(await screen.findByText(/open the site settings/)).toBeVisible();
    expect(await toggle()).toBeDisabled();
  });

  it("stays off and says so when the user refuses the permission", async () => {
    signInAs(NURSE);
    const browser = installFakePush({ answer: "denied" });
    const calls = serve();
    renderInApp(<PushDeviceControl />);
    await waitFor(async () => expect(await toggle()).toBeEnabled());
    await userEvent.click(await toggle());

    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Notifications were not allowed, so push stays off on this device.",
    );
    expect(await toggle()).not.toBeChecked();
    expect(browser.subscribed).toEqual([]);
    expect(calls.filter((c) => c.method === "POST")).toEqual([]);
  });

  it("says the push service is unreachable when subscribing is aborted", async () => {
    signInAs(NURSE);
    installFakePush({
      permission: "granted",
      subscribeError: new DOMException("Registration failed - push service error", "AbortError"),
    });
    const calls = serve();
    renderInApp(<PushDeviceControl />);
    await waitFor(async () => expect(await toggle()).toBeEnabled());
    await userEvent.click(await toggle());

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Push notifications could not be turned on");
    expect(alert).toHaveTextContent("The browser could not reach its push service.");
    expect(await toggle()).not.toBeChecked();
    expect(calls.filter((c) => c.method === "POST")).toEqual([]);
  });

  it("says when the server has no Web Push", async () => {
    signInAs(NURSE);
    installFakePush();
    serve({ configured: false });
    renderInApp(<PushDeviceControl />);
    expect(await screen.findByRole("status")).toHaveTextContent(
      "Push notifications are not set up on this server.",
    );
    expect(await toggle()).toBeDisabled();
  });

  it("is labelled in Arabic", async () => {
    signInAs(NURSE);
    installFakePush();
    serve();
    renderInApp(<PushDeviceControl />, "ar");
    expect(
      await screen.findByRole("switch", { name: "الإشعارات الفورية على هذا الجهاز" }),
    ).toBeInTheDocument();
    expect(screen.getByText("غير مفعّلة على هذا الجهاز.")).toBeVisible();
  });
});
