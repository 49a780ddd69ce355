import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";

import type { CriticalAlertData } from "../../live/protocol";
import { json, signInAs, stubApi } from "../../test/api";
import { acceptLive, FakeWebSocket, liveEvent, serverSends } from "../../test/fakeWebSocket";
import { renderInApp } from "../../test/render";
import { CriticalAlertBanners } from "./CriticalAlertBanners";

const FACILITY_ID = "22222222-2222-4222-8222-222222222222";
const PATIENT_ID = "11111111-1111-4111-8111-111111111111";
const TOPIC = `facility:${FACILITY_ID}`;
const OTHER_FACILITY_ID = "55555555-5555-4555-8555-555555555555";
const CLOSED_FACILITY_ID = "66666666-6666-4666-8666-666666666666";
const OTHER_NURSE_ID = "44444444-4444-4444-8444-444444444444";

afterEach(() => vi.unstubAllGlobals());

function critical(vitalSignsId: string): CriticalAlertData {
  return {
    patient_id: PATIENT_ID,
    vital_signs_id: vitalSignsId,
    values: { heart_rate: 170, spo2: 85, temperature: 36.9 },
    flags: { heart_rate: "critical", spo2: "critical", temperature: "normal" },
    ward_id: null,
    bed_id: null,
    recorded_at: "2026-06-16T08:00:00Z",
  };
}

function servePatient() {
  stubApi(({ url }) =>
    url.pathname === `/api/v1/patients/${PATIENT_ID}`
      ? json({
          id: PATIENT_ID,
          given_name_en: "Amna",
          family_name_en: "Hassan",
          given_name_ar: "آمنة",
          family_name_ar: "حسن",
        })
      : undefined,
  );
}

function signInAsNurse() {
  signInAs({ roles: ["nurse"], facility_ids: [FACILITY_ID] });
}

describe("CriticalAlertBanners", () => {
  it("shows a critical alert of the user's facility live, with the values and the chart", async () => {
    signInAsNurse();
    servePatient();
    renderInApp(<CriticalAlertBanners />);
    const socket = await acceptLive();
    await waitFor(() =>
      expect(socket.subscriptions).toEqual([{ type: "subscribe", topic: TOPIC }]),
    );
    expect(screen.queryByRole("alert")).toBeNull();

    serverSends(socket, liveEvent("alert.critical", TOPIC, critical("v1")));

    const banner = await screen.findByRole("alert");
    expect(
      await within(banner).findByText("Critical vital signs: Amna Hassan"),
    ).toBeInTheDocument();
    expect(banner).toHaveTextContent("heart rate 170 /min, SpO₂ 85 %");
    expect(banner).not.toHaveTextContent("temperature");
    expect(banner).toHaveTextContent("Recorded 16 Jun 2026, 10:00");
    expect(within(banner).getByRole("link", { name: "Open chart" })).toHaveAttribute(
      "href",
      `/patients/${PATIENT_ID}`,
    );
  });

  it("keeps a dismissed alert away when a reconnect brings it again", async () => {
    signInAsNurse();
    servePatient();
    renderInApp(<CriticalAlertBanners />);
    const socket = await acceptLive();
    serverSends(socket, liveEvent("alert.critical", TOPIC, critical("v1")));
    serverSends(socket, liveEvent("alert.critical", TOPIC, critical("v2")));
    expect(await screen.findAllByRole("alert")).toHaveLength(2);

    const buttons = await screen.findAllByRole("button", {
      name: "Dismiss the alert for Amna Hassan",
    });
    await userEvent.click(buttons[1]!); // the older one, v1
    expect(screen.getAllByRole("alert")).toHaveLength(1);

    act(() => socket.drop());
    await waitFor(() => expect(FakeWebSocket.sockets).toHaveLength(2), { timeout: 3_000 });
    const again = await acceptLive();
    serverSends(again, liveEvent("alert.critical", TOPIC, critical("v1")));
    expect(screen.getAllByRole("alert")).toHaveLength(1);
  });

  it("keeps an alert dismissed after a reload, for that user only", async () => {
    signInAsNurse();
    servePatient();
    const first = renderInApp(<CriticalAlertBanners />);
    const socket = await acceptLive();
    serverSends(socket, liveEvent("alert.critical", TOPIC, critical("v1")));
    await userEvent.click(
      await screen.findByRole("button", { name: "Dismiss the alert for Amna Hassan" }),
    );
    first.unmount();

    const again = renderInApp(<CriticalAlertBanners />);
    const reloaded = await acceptLive();
    serverSends(reloaded, liveEvent("alert.critical", TOPIC, critical("v1")));
    expect(screen.queryByRole("alert")).toBeNull();
    again.unmount(); // logging out leaves the signed-in frame

    signInAs({ id: OTHER_NURSE_ID, roles: ["nurse"], facility_ids: [FACILITY_ID] });
    renderInApp(<CriticalAlertBanners />);
    const other = await acceptLive();
    serverSends(other, liveEvent("alert.critical", TOPIC, critical("v1")));
    expect(await screen.findByRole("alert")).toBeInTheDocument();
  });

  it("stacks three and offers the rest", async () => {
    signInAsNurse();
    servePatient();
    renderInApp(<CriticalAlertBanners />);
    const socket = await acceptLive();
    for (const id of ["v1", "v2", "v3", "v4", "v5"]) {
      serverSends(socket, liveEvent("alert.critical", TOPIC, critical(id)));
    }
    expect(screen.getAllByRole("alert")).toHaveLength(3);
    await userEvent.click(screen.getByRole("button", { name: "Show 2 more critical alerts" }));
    expect(screen.getAllByRole("alert")).toHaveLength(5);
  });

  it("speaks Arabic", async () => {
    signInAsNurse();
    servePatient();
    renderInApp(<CriticalAlertBanners />, "ar");
    const socket = await acceptLive();
    serverSends(socket, liveEvent("alert.critical", TOPIC, critical("v1")));
    const banner = await screen.findByRole("alert");
    expect(await within(banner).findByText("علامات حيوية حرجة: آمنة حسن")).toBeInTheDocument();
    expect(within(banner).getByRole("link", { name: "فتح الملف" })).toBeInTheDocument();
  });

  it("follows every active facility for a cross-facility user", async () => {
    signInAs({ roles: ["medical_director"], all_facilities: true, facility_ids: [] });
    stubApi(({ url }) =>
      url.pathname === "/api/v1/facilities"
        ? json({
            items: [
              { id: FACILITY_ID, is_active: true },
              { id: OTHER_FACILITY_ID, is_active: true },
              { id: CLOSED_FACILITY_ID, is_active: false },
            ],
            total: 3,
          })
        : undefined,
    );
    renderInApp(<CriticalAlertBanners />);
    const socket = await acceptLive();
    await waitFor(() =>
      expect(socket.subscriptions.map((frame) => frame.topic)).toEqual([
        TOPIC,
        `facility:${OTHER_FACILITY_ID}`,
      ]),
    );
  });

  it("subscribes nothing for a role without clinical alerts", async () => {
    signInAs({ roles: ["receptionist"], facility_ids: [FACILITY_ID] });
    servePatient();
    renderInApp(<CriticalAlertBanners />);
    const socket = await acceptLive();
    expect(socket.subscriptions).toEqual([]);
  });
});
