import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";

import { json, signInAs, stubApi } from "../../test/api";
import { acceptLive, liveEvent, serverSends } from "../../test/fakeWebSocket";
import { renderInApp } from "../../test/render";
import { NotificationBell } from "./NotificationBell";
import { notification, NURSE } from "./testing";

afterEach(() => vi.unstubAllGlobals());

const NOTIFICATIONS = [
  notification("n1", "2026-06-16T06:00:00Z", { title: "Older" }),
  notification("n2", "2026-06-16T09:30:00Z", { title: "Newer", severity: "warning" }),
];

function serve(unread: () => number) {
  return stubApi(({ method, url }) => {
    if (url.pathname === "/api/v1/notifications/unread-count") return json({ unread: unread() });
    if (url.pathname === "/api/v1/notifications") {
      return json({ items: NOTIFICATIONS, total: 2, unread: unread() });
    }
    if (method === "POST" && url.pathname.startsWith("/api/v1/notifications/")) {
      return new Response(null, { status: 204 });
    }
    return undefined;
  });
}

describe("NotificationBell", () => {
  it("shows the unread count and updates it when a notification arrives live", async () => {
    signInAs(NURSE);
    let unread = 2;
    serve(() => unread);
    renderInApp(<NotificationBell />);
    expect(
      await screen.findByRole("button", { name: "Notifications, 2 unread" }),
    ).toBeInTheDocument();

    const socket = await acceptLive();
    await waitFor(() =>
      expect(socket.subscriptions).toEqual([{ type: "subscribe", topic: "notifications" }]),
    );
    unread = 3;
    serverSends(
      socket,
      liveEvent("notification.new", "notifications", {
        notification_id: "n3",
        kind: "lab.result.critical",
        severity: "critical",
        title: "Critical potassium",
        created_at: "2026-06-16T10:00:00Z",
        patient_id: null,
        facility_id: null,
      }),
    );
    expect(
      await screen.findByRole("button", { name: "Notifications, 3 unread" }),
    ).toBeInTheDocument();
    expect(screen.getByTestId("unread-count")).toHaveTextContent("3");
  });

  it("lists the latest newest first with their severity and time, and marks one read", async () => {
    signInAs(NURSE);
    const calls = serve(() => 2);
    renderInApp(<NotificationBell />);
    await userEvent.click(await screen.findByRole("button", { name: "Notifications, 2 unread" }));

    const list = await screen.findByRole("list", { name: "Latest notifications" });
    const items = within(list).getAllByRole("listitem");
    expect(items.map((item) => within(item).getByText(/Newer|Older/).textContent)).toEqual([
      "Newer",
      "Older",
    ]);
    expect(within(items[0]!).getByRole("img", { name: "Warning" })).toBeInTheDocument();
    // 09:30 UTC is 11:30 in Khartoum.
    expect(items[0]).toHaveTextContent("11:30");

    await userEvent.click(within(list).getByRole("button", { name: "Mark “Older” as read" }));
    await waitFor(() =>
      expect(calls.some((c) => c.method === "POST" && c.url.pathname.endsWith("/n1/read"))).toBe(
        true,
      ),
    );

    await userEvent.click(screen.getByRole("button", { name: "Mark all as read" }));
    await waitFor(() =>
      expect(calls.filter((c) => c.url.pathname === "/api/v1/notifications/read-all")).toEqual([
        expect.objectContaining({ method: "POST" }),
      ]),
    );
  });

  it("keeps the focus in the popover when a mark button goes", async () => {
    signInAs(NURSE);
    const read = new Set<string>();
    stubApi(({ method, url }) => {
      const items = NOTIFICATIONS.map((n) =>
        read.has(n.id) ? { ...n, read_at: "2026-06-16T10:00:00Z" } : n,
      );
      const unread = items.filter((n) => n.read_at === null).length;
      if (url.pathname === "/api/v1/notifications/unread-count") return json({ unread });
      if (url.pathname === "/api/v1/notifications") return json({ items, total: 2, unread });
      if (method === "POST" && url.pathname.endsWith("/read"))
        read.add(url.pathname.split("/")[4]!);
      if (method === "POST" && url.pathname.endsWith("/read-all")) read.add("n1").add("n2");
      return method === "POST" ? new Response(null, { status: 204 }) : undefined;
    });
    renderInApp(<NotificationBell />);
    await userEvent.click(await screen.findByRole("button", { name: "Notifications, 2 unread" }));
    const list = await screen.findByRole("list", { name: "Latest notifications" });

    await userEvent.click(within(list).getByRole("button", { name: "Mark “Older” as read" }));
    await waitFor(() =>
      expect(within(list).queryByRole("button", { name: "Mark “Older” as read" })).toBeNull(),
    );
    const older = within(list).getByText("Older").closest("li");
    expect(document.activeElement).toBe(older);

    await userEvent.click(screen.getByRole("button", { name: "Mark all as read" }));
    await waitFor(() =>
      expect(screen.queryByRole("button", { name: "Mark all as read" })).toBeNull(),
    );
    expect(document.activeElement).toBe(
      screen.getByRole("heading", { name: "Latest notifications" }),
    );
  });

  it("speaks Arabic", async () => {
    signInAs(NURSE);
    serve(() => 2);
    renderInApp(<NotificationBell />, "ar");
    await userEvent.click(
      await screen.findByRole("button", { name: "الإشعارات، إشعاران غير مقروءين" }),
    );
    expect(await screen.findByRole("list", { name: "أحدث الإشعارات" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "تعليم الكل كمقروء" })).toBeInTheDocument();
    expect(screen.getAllByRole("img", { name: "حرج" })).toHaveLength(1);
  });
});
