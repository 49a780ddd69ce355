import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";

import { json, signInAs, stubApi } from "../../test/api";
import { renderInApp } from "../../test/render";
import type { NotificationPreferences } from "./queries";
import { NotificationsPage } from "./NotificationsPage";
import { notification, NURSE } from "./testing";

afterEach(() => vi.unstubAllGlobals());

const PREFERENCES: NotificationPreferences = {
  language: "ar",
  channels: { email: true, sms: false, push: false },
  quiet_hours: null,
  timezone: "Africa/Khartoum",
};

function serve() {
  return stubApi(({ method, url, body }) => {
    const path = url.pathname;
    if (path === "/api/v1/notifications/unread-count") return json({ unread: 1 });
    if (path === "/api/v1/notifications/preferences") {
      return method === "PUT" ? json(body) : json(PREFERENCES);
    }
    if (path === "/api/v1/notifications") {
      const offset = Number(url.searchParams.get("offset"));
      const items = url.searchParams.get("unread")
        ? [notification("unread-1", "2026-06-16T08:00:00Z")]
        : [notification(`n${offset}`, "2026-06-16T08:00:00Z", { read_at: "2026-06-16T08:05:00Z" })];
      return json({ items, total: 60, unread: 1 });
    }
    return undefined;
  });
}

describe("NotificationsPage", () => {
  it("pages through the notifications and filters the unread ones", async () => {
    signInAs(NURSE);
    const calls = serve();
    renderInApp(<NotificationsPage />);
    expect(await screen.findByText("Notification n0")).toBeVisible();

    await userEvent.click(screen.getByRole("button", { name: /next page/i }));
    expect(await screen.findByText("Notification n25")).toBeVisible();

    await userEvent.click(screen.getByRole("button", { name: "Unread only" }));
    expect(await screen.findByText("Notification unread-1")).toBeVisible();
    const lists = calls.filter((c) => c.url.pathname === "/api/v1/notifications");
    expect(lists.map((c) => Object.fromEntries(c.url.searchParams))).toEqual([
      { limit: "25", offset: "0" },
      { limit: "25", offset: "25" },
      { unread: "true", limit: "25", offset: "0" },
    ]);
  });

  it("saves the channels and quiet hours chosen", async () => {
    signInAs(NURSE);
    const calls = serve();
    renderInApp(<NotificationsPage />);
    await userEvent.click(await screen.findByRole("checkbox", { name: "SMS" }));
    await userEvent.click(screen.getByRole("switch", { name: "Quiet hours" }));
    expect(screen.getByLabelText("From")).toHaveValue("22:00");
    await userEvent.click(screen.getByRole("button", { name: "Save preferences" }));

    expect(await screen.findByRole("status")).toHaveTextContent("Preferences saved.");
    const saved = calls.filter((c) => c.method === "PUT");
    expect(saved.map((c) => c.body)).toEqual([
      {
        language: "ar",
        channels: { email: true, sms: true, push: false },
        quiet_hours: { start: "22:00", end: "07:00" },
        timezone: "Africa/Khartoum",
      },
    ]);
  });

  it("labels the page and the preferences in Arabic", async () => {
    signInAs(NURSE);
    serve();
    renderInApp(<NotificationsPage />, "ar");
    expect(await screen.findByRole("heading", { name: "الإشعارات" })).toBeVisible();
    expect(await screen.findByRole("checkbox", { name: "رسالة نصية" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "غير المقروءة فقط" })).toBeVisible();
    await waitFor(() => expect(screen.getByText("Notification n0")).toBeVisible());
  });
});
