import { screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";

import { json, stubApi } from "../../test/api";
import { acceptLive, liveEvent, serverSends } from "../../test/fakeWebSocket";
import { PatientChartPage } from "./PatientChartPage";
import type { PatientSummary } from "./queries";
import { FACILITY_ID, PATIENT_ID, renderInChart, signIn } from "./testing";

const BED_ID = "77777777-7777-4777-8777-777777777777";
const WARD_ID = "88888888-8888-4888-8888-888888888888";

function summary(overrides: Partial<PatientSummary> = {}): PatientSummary {
  return {
    patient: {
      id: PATIENT_ID,
      mrn: "F6F1C2A-000101",
      given_name_en: "Amna",
      family_name_en: "Hassan",
      given_name_ar: "آمنة",
      family_name_ar: "حسن",
      sex: "female",
      birth_date: "1990-03-04",
      phone: "+249912345678",
      alternate_phone: null,
      email: "amna.hassan@example.org",
      address: { state: "Gezira", locality: "Wad Madani", line: null },
      emergency_contact: null,
      national_id: null,
      preferred_language: "ar",
      facility_id: FACILITY_ID,
      status: "active",
      merged_into_id: null,
      created_at: "2026-01-01T00:00:00Z",
      updated_at: "2026-01-01T00:00:00Z",
    },
    active_encounter: {
      id: "99999999-9999-4999-8999-999999999999",
      patient_id: PATIENT_ID,
      facility_id: FACILITY_ID,
      encounter_class: "inpatient",
      status: "in_progress",
      reason: null,
      bed_id: BED_ID,
      started_at: "2026-06-16T08:00:00Z",
      ended_at: null,
      created_at: "2026-06-16T08:00:00Z",
    },
    diagnoses: [],
    allergies: [
      {
        id: "a1",
        patient_id: PATIENT_ID,
        facility_id: FACILITY_ID,
        substance: "Penicillin",
        substance_code: null,
        substance_system: null,
        allergy_class: "drug",
        reaction: "Anaphylaxis",
        severity: "severe",
        criticality: "high",
        recorded_at: "2026-01-02T00:00:00Z",
      },
    ],
    last_vitals: null,
    parts: {
      patient: { status: "ok", error: null },
      encounters: { status: "ok", error: null },
      diagnoses: { status: "ok", error: null },
      allergies: { status: "ok", error: null },
      vitals: { status: "failed", error: "timed out" },
    },
    ...overrides,
  };
}

function serve(body: PatientSummary) {
  return stubApi(({ url }) => {
    if (url.pathname === `/api/v1/patient-summaries/${PATIENT_ID}`) return json(body);
    if (url.pathname === `/api/v1/beds/${BED_ID}`) {
      return json({ id: BED_ID, ward_id: WARD_ID, label: "MED-04", status: "occupied" });
    }
    if (url.pathname === `/api/v1/wards/${WARD_ID}`)
      return json({ id: WARD_ID, name: "Medical Ward" });
    if (url.pathname.endsWith("/vital-signs")) return json([]);
    return json({ title: "Not found", status: 404 }, 404);
  });
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("PatientChartPage", () => {
  it("heads the chart with both names, the allergy chips, the bed, and warns of a failed part", async () => {
    signIn("doctor");
    serve(summary());
    renderInChart(<PatientChartPage />);

    expect(await screen.findByRole("heading", { name: "Amna Hassan" })).toBeVisible();
    expect(screen.getByText("آمنة حسن")).toBeVisible();
    expect(screen.getByTestId("patient-mrn")).toHaveTextContent("F6F1C2A-000101");
    expect(screen.getByText("Gezira · Wad Madani")).toBeVisible();
    expect(screen.getByTestId("patient-email")).toHaveTextContent("amna.hassan@example.org");
    const allergies = screen.getByRole("list", { name: "Allergies" });
    expect(within(allergies).getByText("Penicillin (Severe, High risk)")).toBeVisible();
    expect(await screen.findByText("Bed MED-04 · Medical Ward")).toBeVisible();
    expect(
      screen.getByText(/Part of the chart could not be loaded: vital signs \(timed out\)/),
    ).toBeVisible();
    expect(screen.getByRole("button", { name: "Discharge" })).toBeVisible();
    expect(screen.queryByRole("button", { name: "Admit" })).toBeNull();
  });

  it("offers a nurse vital signs but neither admission nor discharge", async () => {
    signIn("nurse");
    serve(summary({ active_encounter: null }));
    renderInChart(<PatientChartPage />);

    expect(await screen.findByRole("heading", { name: "Amna Hassan" })).toBeVisible();
    expect(screen.getByTestId("active-encounter")).toHaveTextContent("No open encounter");
    expect(await screen.findByRole("button", { name: "Record vital signs" })).toBeVisible();
    expect(screen.queryByRole("button", { name: "Admit" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Discharge" })).toBeNull();
  });

  it("offers a doctor admission when the patient is not in a bed", async () => {
    signIn("doctor");
    serve(summary({ active_encounter: null }));
    renderInChart(<PatientChartPage />);
    expect(await screen.findByRole("button", { name: "Admit" })).toBeVisible();
    expect(screen.queryByRole("button", { name: "Discharge" })).toBeNull();
  });

  it("says so when there is no such patient", async () => {
    signIn("doctor");
    stubApi(() => json({ title: "Not found", status: 404, detail: "No such patient" }, 404));
    renderInChart(<PatientChartPage />);
    expect(await screen.findByRole("alert")).toHaveTextContent("No such patient");
  });

  it("refreshes the vital signs when the patient gets a new reading live", async () => {
    signIn("nurse");
    const calls = serve(summary());
    renderInChart(<PatientChartPage />);
    expect(await screen.findByRole("heading", { name: "Amna Hassan" })).toBeVisible();
    const vitalsReads = () => calls.filter((c) => c.url.pathname.endsWith("/vital-signs")).length;
    await waitFor(() => expect(vitalsReads()).toBe(1));

    const socket = await acceptLive();
    const topic = `patient:${PATIENT_ID}`;
    await waitFor(() => expect(socket.subscriptions).toContainEqual({ type: "subscribe", topic }));
    serverSends(
      socket,
      liveEvent("vitals.update", topic, {
        patient_id: PATIENT_ID,
        vital_signs_id: "v9",
        critical: false,
        flags: { heart_rate: "normal" },
        ward_id: null,
        recorded_at: "2026-06-16T09:00:00Z",
      }),
    );
    await waitFor(() => expect(vitalsReads()).toBe(2));
  });
});
