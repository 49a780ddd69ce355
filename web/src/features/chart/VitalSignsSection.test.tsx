import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";

import { json, stubApi } from "../../test/api";
import { PATIENT_ID, reading, renderInChart, signIn } from "./testing";
import { VitalSignsSection } from "./VitalSignsSection";

const ENCOUNTER_ID = "44444444-4444-4444-8444-444444444444";

beforeAll(() => {
  // The trend charts size themselves with ResizeObserver, which jsdom lacks.
  vi.stubGlobal(
    "ResizeObserver",
    class {
      observe() {}
      unobserve() {}
      disconnect() {}
    },
  );
});

afterEach(() => {
  vi.unstubAllGlobals();
});

async function fill(input: HTMLElement, text: string) {
  await userEvent.click(input);
  await userEvent.paste(text);
}

function section() {
  return <VitalSignsSection patientId={PATIENT_ID} encounterId={ENCOUNTER_ID} canRecord />;
}

describe("VitalSignsSection", () => {
  it("shows a new critical reading at once, with an alert naming the value", async () => {
    signIn("nurse");
    const saved = reading(
      "new",
      "2026-06-16T12:00:00Z",
      { heart_rate: 170, spo2: 96 },
      { heart_rate: "critical" },
    );
    let listed = [reading("old", "2026-06-16T08:00:00Z", { heart_rate: 82 })];
    const calls = stubApi(({ method, url }) => {
      if (method === "GET" && url.pathname.endsWith("/vital-signs")) return json(listed);
      if (method === "POST" && url.pathname === "/api/v1/vital-signs") {
        listed = [saved, ...listed];
        return json(saved, 201);
      }
      return json({ title: "Not found" }, 404);
    });
    renderInChart(section());
    await screen.findByRole("table", { name: "Vital signs, newest first" });

    await userEvent.click(screen.getByRole("button", { name: "Record vital signs" }));
    const dialog = await screen.findByRole("dialog");
    await fill(within(dialog).getByLabelText("Heart rate"), "170");
    await fill(within(dialog).getByLabelText("SpO₂"), "96");
    await userEvent.click(within(dialog).getByRole("button", { name: "Save" }));

    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(screen.getByRole("alert")).toHaveTextContent("Critical: heart rate 170 /min");
    const post = calls.find((c) => c.method === "POST");
    expect(post?.body).toMatchObject({
      patient_id: PATIENT_ID,
      encounter_id: ENCOUNTER_ID,
      heart_rate: 170,
      spo2: 96,
    });
    const table = screen.getByRole("table", { name: "Vital signs, newest first" });
    const rows = within(table).getAllByRole("row");
    expect(rows[1]).toHaveAttribute("data-critical", "true");
    expect(within(rows[1]!).getByText("170")).toBeVisible();
  }, 15_000);

  it("shows the server's 422 beside the field it names", async () => {
    signIn("nurse");
    stubApi(({ method }) =>
      method === "GET"
        ? json([])
        : json(
            {
              type: "https://nilecare.sd/problems/validation-error",
              title: "Unprocessable content",
              status: 422,
              detail: "Invalid input: spo2",
              errors: [{ field: "spo2", message: "Input should be less than or equal to 100" }],
            },
            422,
          ),
    );
    renderInChart(section());
    await screen.findByText("No vital signs recorded yet.");
    await userEvent.click(screen.getByRole("button", { name: "Record vital signs" }));
    const dialog = await screen.findByRole("dialog");
    await fill(within(dialog).getByLabelText("SpO₂"), "120");
    await userEvent.click(within(dialog).getByRole("button", { name: "Save" }));

    expect(await within(dialog).findByLabelText("SpO₂")).toHaveAccessibleDescription(
      "Input should be less than or equal to 100",
    );
    expect(within(dialog).getByLabelText("SpO₂")).toHaveAttribute("aria-invalid", "true");
  });

  it("refuses a value that is not a number before sending it", async () => {
    signIn("nurse");
    const calls = stubApi(() => json([]));
    renderInChart(section());
    await screen.findByText("No vital signs recorded yet.");
    await userEvent.click(screen.getByRole("button", { name: "Record vital signs" }));
    const dialog = await screen.findByRole("dialog");
    await fill(within(dialog).getByLabelText("Temperature"), "hot");
    await userEvent.click(within(dialog).getByRole("button", { name: "Save" }));

    expect(within(dialog).getByLabelText("Temperature")).toHaveAccessibleDescription(
      "Enter a number.",
    );
    expect(calls.filter((c) => c.method === "POST")).toHaveLength(0);
  });
});
