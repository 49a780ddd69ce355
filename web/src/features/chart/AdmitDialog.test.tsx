import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";

import { json, stubApi, type Call } from "../../test/api";
import type { Bed, Ward } from "../facilities/queries";
import { AdmitDialog } from "./AdmitDialog";
import { FACILITY_ID, PATIENT_ID, renderInChart, signIn } from "./testing";

const MED = "55555555-5555-4555-8555-555555555501";
const SURG = "55555555-5555-4555-8555-555555555502";
const WARDS: Ward[] = [
  { id: MED, facility_id: FACILITY_ID, department_id: null, name: "Medical Ward", code: "MED" },
  { id: SURG, facility_id: FACILITY_ID, department_id: null, name: "Surgical Ward", code: "SURG" },
];

function bed(id: string, label: string, wardId: string, status: Bed["status"]): Bed {
  return {
    id: `66666666-6666-4666-8666-6666666666${id}`,
    facility_id: FACILITY_ID,
    ward_id: wardId,
    room_id: null,
    label,
    status,
    patient_id: null,
    encounter_id: null,
  };
}

const MED_01 = bed("01", "MED-01", MED, "available");
const MED_02 = bed("02", "MED-02", MED, "available");
const SURG_01 = bed("03", "SURG-01", SURG, "available");
const MED_03_TAKEN = bed("04", "MED-03", MED, "occupied");

function page<T>(items: T[]) {
  return { items, total: items.length, limit: 200, offset: 0 };
}

function bedsOf(call: Call, available: Bed[]): Response {
  // The server filters by the query; answer as it would, plus an occupied bed the dialog must
  // never offer even if a stale answer carried it.
  const ward = call.url.searchParams.get("ward_id");
  return json(page([...available.filter((b) => !ward || b.ward_id === ward), MED_03_TAKEN]));
}

function dialog(onAdmitted = vi.fn()) {
  return (
    <AdmitDialog
      open
      onClose={vi.fn()}
      onAdmitted={onAdmitted}
      patientId={PATIENT_ID}
      patientName="Amna Hassan"
      facilityId={FACILITY_ID}
    />
  );
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("AdmitDialog", () => {
  it("offers only the available beds of the chosen ward and admits to the one picked", async () => {
    signIn("doctor");
    const calls = stubApi((call) => {
      if (call.url.pathname === "/api/v1/wards") return json(page(WARDS));
      if (call.url.pathname === "/api/v1/beds") return bedsOf(call, [MED_01, MED_02, SURG_01]);
      if (call.method === "POST" && call.url.pathname === "/api/v1/encounters") {
        return json({ id: "e1", patient_id: PATIENT_ID, bed_id: MED_02.id }, 201);
      }
      return json({}, 404);
    });
    const onAdmitted = vi.fn();
    renderInChart(dialog(onAdmitted));
    const picker = await screen.findByRole("radiogroup");
    expect(within(picker).getAllByRole("radio")).toHaveLength(3);
    expect(screen.queryByLabelText(/MED-03/)).toBeNull();

    await userEvent.click(screen.getByRole("combobox", { name: "Ward" }));
    await userEvent.click(await screen.findByRole("option", { name: "Medical Ward" }));
    await waitFor(() => expect(screen.queryByLabelText(/SURG-01/)).toBeNull());
    const radios = within(screen.getByRole("radiogroup")).getAllByRole("radio");
    expect(radios.map((r) => r.closest("label")?.textContent)).toEqual([
      "MED-01 · Medical Ward",
      "MED-02 · Medical Ward",
    ]);
    const lastBeds = calls.filter((c) => c.url.pathname === "/api/v1/beds").at(-1);
    expect(lastBeds?.url.searchParams.get("status")).toBe("available");
    expect(lastBeds?.url.searchParams.get("facility_id")).toBe(FACILITY_ID);
    expect(lastBeds?.url.searchParams.get("ward_id")).toBe(MED);

    await userEvent.click(screen.getByLabelText("MED-02 · Medical Ward"));
    await userEvent.click(screen.getByRole("button", { name: "Admit to bed" }));

    await waitFor(() => expect(onAdmitted).toHaveBeenCalledWith(MED_02));
    const post = calls.find((c) => c.method === "POST");
    expect(post?.body).toEqual({
      patient_id: PATIENT_ID,
      encounter_class: "inpatient",
      status: "in_progress",
      bed_id: MED_02.id,
      reason: null,
    });
  }, 15_000);

  it("says so when the bed was taken meanwhile and lists the beds again", async () => {
    signIn("doctor");
    let available = [MED_01, MED_02];
    const calls = stubApi((call) => {
      if (call.url.pathname === "/api/v1/wards") return json(page(WARDS));
      if (call.url.pathname === "/api/v1/beds") return bedsOf(call, available);
      available = [MED_02]; // someone else took MED-01 first
      return json(
        {
          type: "https://nilecare.sd/problems/bed-not-available",
          title: "Conflict",
          status: 409,
          detail: "The bed was just taken",
        },
        409,
      );
    });
    const onAdmitted = vi.fn();
    renderInChart(dialog(onAdmitted));
    await userEvent.click(await screen.findByLabelText("MED-01 · Medical Ward"));
    await userEvent.click(screen.getByRole("button", { name: "Admit to bed" }));

    expect(await screen.findByRole("alert")).toHaveTextContent("The bed was taken meanwhile");
    await waitFor(() => expect(screen.queryByLabelText("MED-01 · Medical Ward")).toBeNull());
    expect(screen.getByLabelText("MED-02 · Medical Ward")).not.toBeChecked();
    expect(screen.getByRole("button", { name: "Admit to bed" })).toBeDisabled();
    expect(calls.filter((c) => c.url.pathname === "/api/v1/beds")).toHaveLength(2);
    expect(onAdmitted).not.toHaveBeenCalled();
  });
});
