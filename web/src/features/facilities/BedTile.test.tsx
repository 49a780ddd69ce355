import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter } from "react-router-dom";
import { afterEach, describe, expect, it, vi } from "vitest";

import { Providers } from "../../App";
import { useSession } from "../../auth/store";
import { json, signInAs, stubApi } from "../../test/api";
import { BedTile } from "./BedTile";
import type { Bed } from "./queries";

function bed(overrides: Partial<Bed> = {}): Bed {
  return {
    id: "b1",
    facility_id: "f1",
    ward_id: "w1",
    room_id: null,
    label: "MED-07",
    status: "available",
    patient_id: null,
    encounter_id: null,
    ...overrides,
  };
}

function signIn(permissions: string[]) {
  signInAs({
    id: "u1",
    email: "nurse@example.sd",
    full_name: "Nurse",
    roles: ["nurse"],
    facility_ids: ["f1"],
    permissions,
    session_id: "s1",
  });
}

function renderTile(tile: Bed, canManage = false) {
  return render(
    <Providers language="en">
      <MemoryRouter>
        <BedTile bed={tile} canManage={canManage} />
      </MemoryRouter>
    </Providers>,
  );
}

afterEach(() => {
  vi.unstubAllGlobals();
  useSession.getState().clear();
});

describe("BedTile", () => {
  it.each([
    ["available", "Available"],
    ["cleaning", "Cleaning"],
    ["out_of_service", "Out of service"],
  ] as const)("shows the %s status in words", (status, text) => {
    signIn([]);
    renderTile(bed({ status }));
    expect(screen.getByRole("group", { name: `Bed MED-07: ${text}` })).toHaveTextContent(text);
  });

  it("shows the patient's name and MRN with a link to the chart when the role reads patients", async () => {
    signIn(["clinical.patient.read"]);
    stubApi(() =>
      json({ id: "p1", mrn: "KTH-000123", given_name_en: "Fatima", family_name_en: "Ali" }),
    );
    renderTile(bed({ status: "occupied", patient_id: "p1", encounter_id: "e1" }));
    const link = await screen.findByRole("link", { name: /Fatima Ali/ });
    expect(link).toHaveAttribute("href", "/patients/p1");
    expect(link).toHaveTextContent("MRN KTH-000123");
    expect(screen.getByText("Occupied")).toBeInTheDocument();
  });

  it("asks nothing about the patient when the role may not read patients", () => {
    signIn([]);
    const fetch = vi.fn();
    vi.stubGlobal("fetch", fetch);
    renderTile(bed({ status: "occupied", patient_id: "p1", encounter_id: "e1" }));
    expect(screen.getByText("Occupied")).toBeInTheDocument();
    expect(screen.queryByRole("link")).not.toBeInTheDocument();
    expect(fetch).not.toHaveBeenCalled();
  });

  it("offers only the workflow's changes and shows why the server refused one", async () => {
    signIn(["facility.bed.manage"]);
    const calls = stubApi(() =>
      json(
        {
          type: "https://nilecare.sd/problems/conflict",
          title: "Conflict",
          status: 409,
          detail: "The bed is occupied now",
        },
        409,
      ),
    );
    renderTile(bed({ status: "cleaning" }), true);
    await userEvent.click(screen.getByRole("button", { name: "Change status of bed MED-07" }));
    expect(screen.getByRole("menuitem", { name: "Take out of service" })).toBeInTheDocument();
    await userEvent.click(screen.getByRole("menuitem", { name: "Mark available" }));
    await waitFor(() =>
      expect(screen.getByRole("alert")).toHaveTextContent("The bed is occupied now"),
    );
    expect(calls).toMatchObject([{ method: "PUT", body: { status: "available" } }]);
  });

  it("offers no change for an occupied bed", () => {
    signIn(["facility.bed.manage"]);
    renderTile(bed({ status: "occupied", patient_id: null }), true);
    expect(screen.queryByRole("button", { name: /Change status/ })).not.toBeInTheDocument();
  });
});
