import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";

import { json, signInAs, stubApi } from "../../test/api";
import { renderInApp } from "../../test/render";
import { fileJob } from "../files/testing";
import { FACILITIES, FACILITY_ID } from "../patients/testing";
import { lastMonth, MorbidityReportPage } from "./MorbidityReportPage";

const REPORT_ID = "55555555-5555-4555-8555-555555555555";

function report(status: string, extra: Record<string, unknown> = {}) {
  const period = { period_from: "2026-02-01", period_to: "2026-02-28" };
  return fileJob(REPORT_ID, FACILITY_ID, status, { ...period, ...extra });
}

function signInDirector() {
  signInAs({
    roles: ["medical_director"],
    facility_ids: [FACILITY_ID],
    permissions: ["clinical.report.read", "facility.facility.read"],
  });
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("lastMonth", () => {
  it("is the whole previous calendar month, across a year's end too", () => {
    expect(lastMonth(new Date("2026-03-05T12:00:00Z"))).toEqual({
      from: "2026-02-01",
      to: "2026-02-28",
    });
    expect(lastMonth(new Date("2026-01-10T12:00:00Z"))).toEqual({
      from: "2025-12-01",
      to: "2025-12-31",
    });
  });
});

describe("MorbidityReportPage", () => {
  it("asks for last month's report of the user's facility and offers it once ready", async () => {
    signInDirector();
    let polls = 0;
    const calls = stubApi(({ method, url }) => {
      if (url.pathname === "/api/v1/facilities") return json(FACILITIES);
      if (method === "POST" && url.pathname === "/api/v1/morbidity-reports")
        return json(report("queued"), 202);
      if (method === "GET" && url.pathname === "/api/v1/morbidity-reports") return json([]);
      if (url.pathname === `/api/v1/morbidity-reports/${REPORT_ID}`)
        return json(
          (polls += 1) === 1
            ? report("queued")
            : report("ready", {
                expires_at: "2026-03-06T10:00:00Z",
                filename: "morbidity-22222222-20260201-20260228.csv",
              }),
        );
      return undefined;
    });
    renderInApp(<MorbidityReportPage />);
    const facility = await screen.findByRole("combobox", { name: "Facility" });
    await waitFor(() => expect(facility).toHaveTextContent("Khartoum Teaching Hospital"));
    const from = screen.getByLabelText("From");
    await userEvent.clear(from);
    await userEvent.type(from, "2026-02-01");
    const to = screen.getByLabelText("To");
    await userEvent.clear(to);
    await userEvent.type(to, "2026-02-28");
    await userEvent.click(screen.getByRole("button", { name: "Prepare report" }));

    expect(await screen.findByText("Waiting to be prepared…")).toBeInTheDocument();
    const ready = await screen.findByRole(
      "button",
      { name: "Download morbidity-22222222-20260201-20260228.csv" },
      { timeout: 5_000 },
    );
    expect(ready).toBeEnabled();
    expect(screen.getByText("2026-02-01 to 2026-02-28")).toBeInTheDocument();
    const posted = calls.find((c) => c.method === "POST");
    expect(posted?.body).toEqual({
      facility_id: FACILITY_ID,
      from: "2026-02-01",
      to: "2026-02-28",
    });
  }, 15_000);

  it("lists the reports asked for earlier, each downloadable until it expires", async () => {
    signInDirector();
    const EARLIER_ID = "66666666-6666-4666-8666-666666666666";
    stubApi(({ url }) => {
      if (url.pathname === "/api/v1/facilities") return json(FACILITIES);
      if (url.pathname === "/api/v1/morbidity-reports")
        return json([
          report("ready", {
            expires_at: "2026-03-06T10:00:00Z",
            filename: "morbidity-22222222-20260201-20260228.csv",
          }),
          {
            ...report("expired"),
            id: EARLIER_ID,
            period_from: "2026-01-01",
            period_to: "2026-01-31",
          },
        ]);
      return undefined;
    });
    renderInApp(<MorbidityReportPage />);

    const list = await screen.findByRole("list", { name: "Earlier reports" });
    const [ready, expired] = within(list).getAllByRole("listitem");
    expect(ready).toHaveTextContent("Khartoum Teaching Hospital · 2026-02-01 to 2026-02-28");
    expect(
      within(ready!).getByRole("button", {
        name: "Download morbidity-22222222-20260201-20260228.csv",
      }),
    ).toBeEnabled();
    expect(expired).toHaveTextContent("2026-01-01 to 2026-01-31");
    expect(expired).toHaveTextContent("This file was deleted when its download time was over.");
    expect(within(expired!).queryByRole("button")).toBeNull();
  });

  it("shows the server's verdict on a bad period", async () => {
    signInDirector();
    stubApi(({ method, url }) => {
      if (url.pathname === "/api/v1/facilities") return json(FACILITIES);
      if (method === "GET" && url.pathname === "/api/v1/morbidity-reports") return json([]);
      if (method === "POST")
        return json(
          {
            type: "https://nilecare.sd/problems/validation-error",
            title: "Unprocessable content",
            status: 422,
            detail: "Invalid input",
            errors: [{ field: "", message: "Value error, from must not be after to" }],
          },
          422,
        );
      return undefined;
    });
    renderInApp(<MorbidityReportPage />);
    const facility = await screen.findByRole("combobox", { name: "Facility" });
    await waitFor(() => expect(facility).toHaveTextContent("Khartoum Teaching Hospital"));
    await userEvent.click(screen.getByRole("button", { name: "Prepare report" }));
    const alert = await screen.findByRole("alert");
    expect(within(alert).getByText("The report could not be requested")).toBeInTheDocument();
  });
});
