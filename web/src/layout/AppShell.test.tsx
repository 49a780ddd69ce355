import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";

import { useSession } from "../auth/store";
import { base64UrlToBytes } from "../features/notifications/pushDevice";
import { NURSE } from "../features/notifications/testing";
import { json, signInAs, stubApi } from "../test/api";
import { installFakePush, removeFakePush } from "../test/fakePush";
import { renderInApp } from "../test/render";
import { AppShell } from "./AppShell";

afterEach(() => removeFakePush());

const KEY =
  "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM";
const SUBSCRIPTIONS = "/api/v1/notifications/push-subscriptions";

/** The API: this browser's push subscription registered as sub-9 (DELETE answers `deleted`). */
function serve(endpoint: string, deleted = 204) {
  return stubApi(({ method, url }) => {
    if (url.pathname === SUBSCRIPTIONS && method === "GET") {
      return json([{ id: "sub-9", endpoint, created_at: "2026-06-16T08:00:00Z" }]);
    }
    if (url.pathname === `${SUBSCRIPTIONS}/sub-9` && method === "DELETE") {
      return deleted === 204
        ? new Response(null, { status: 204 })
        : json({ status: deleted }, deleted);
    }
    if (url.pathname === "/api/v1/auth/logout") return new Response(null, { status: 204 });
    return undefined;
  });
}

function pushAndLogoutCalls(calls: { method: string; url: URL }[]) {
  return calls
    .filter((c) => c.url.pathname.startsWith(SUBSCRIPTIONS) || c.url.pathname.includes("logout"))
    .map((c) => `${c.method} ${c.url.pathname}`);
}

describe("AppShell", () => {
  it("stops push to this browser before logging out, so the next user gets none of it", async () => {
    signInAs(NURSE);
    const browser = installFakePush({ permission: "granted" });
    const mine = browser.subscribedBefore("https://push.example.org/mine", base64UrlToBytes(KEY));
    const calls = serve(mine.endpoint);
    renderInApp(<AppShell />);
    await userEvent.click(await screen.findByRole("button", { name: "Log out" }));

    await waitFor(() => expect(useSession.getState().me).toBeNull());
    expect(mine.unsubscribed).toBe(true);
    expect(pushAndLogoutCalls(calls)).toEqual([
      `GET ${SUBSCRIPTIONS}`,
      `DELETE ${SUBSCRIPTIONS}/sub-9`,
      "POST /api/v1/auth/logout",
    ]);
  });

  it("logs out even when push cannot be stopped", async () => {
    signInAs(NURSE);
    const browser = installFakePush({ permission: "granted" });
    const mine = browser.subscribedBefore("https://push.example.org/mine", base64UrlToBytes(KEY));
    const calls = serve(mine.endpoint, 503);
    renderInApp(<AppShell />);
    await userEvent.click(await screen.findByRole("button", { name: "Log out" }));

    await waitFor(() => expect(useSession.getState().me).toBeNull());
    expect(pushAndLogoutCalls(calls)).toContain("POST /api/v1/auth/logout");
  });

  it("logs out without asking about push in a browser that has none", async () => {
    signInAs(NURSE);
    const calls = serve("https://push.example.org/mine");
    renderInApp(<AppShell />);
    await userEvent.click(await screen.findByRole("button", { name: "Log out" }));

    await waitFor(() => expect(useSession.getState().me).toBeNull());
    expect(pushAndLogoutCalls(calls)).toEqual(["POST /api/v1/auth/logout"]);
  });
});
