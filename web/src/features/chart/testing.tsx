/* Helpers for the chart's component tests (not shipped: imported by *.test.tsx only); the
 * API stub and JSON answers are in src/test/api. */
import { render } from "@testing-library/react";
import type { ReactElement } from "react";
import { MemoryRouter, Route, Routes } from "react-router-dom";

import { Providers } from "../../App";
import { signInAs } from "../../test/api";
import type { VitalSigns } from "./vitals";

export const PATIENT_ID = "11111111-1111-4111-8111-111111111111";
export const FACILITY_ID = "22222222-2222-4222-8222-222222222222";

const PERMISSIONS: Record<string, string[]> = {
  doctor: [
    "clinical.patient.read",
    "clinical.encounter.read",
    "clinical.vitals.read",
    "clinical.encounter.write",
    "clinical.vitals.write",
    "clinical.diagnosis.write",
    "clinical.allergy.write",
    "clinical.export.create",
    "facility.bed.read",
  ],
  nurse: [
    "clinical.patient.read",
    "clinical.encounter.read",
    "clinical.vitals.read",
    "clinical.vitals.write",
    "clinical.allergy.write",
    "facility.bed.read",
  ],
  medical_director: [
    "clinical.patient.read",
    "clinical.encounter.read",
    "clinical.vitals.read",
    "clinical.export.create",
  ],
};

/** Signs in a demo user of `role` at FACILITY_ID with that role's permissions. */
export function signIn(role: "doctor" | "nurse" | "medical_director"): void {
  signInAs({
    email: `${role}@demo.nilecare.sd`,
    full_name: `Demo ${role}`,
    roles: [role],
    facility_ids: [FACILITY_ID],
    permissions: PERMISSIONS[role] ?? [],
  });
}

export function renderInChart(ui: ReactElement, path = `/patients/${PATIENT_ID}`) {
  return render(
    <Providers language="en">
      <MemoryRouter initialEntries={[path]}>
        <Routes>
          <Route path="/patients/:patientId" element={ui} />
        </Routes>
      </MemoryRouter>
    </Providers>,
  );
}

export function reading(
  id: string,
  recordedAt: string,
  values: Partial<Record<string, number>>,
  flags: Partial<Record<string, "normal" | "abnormal" | "critical">> = {},
): VitalSigns {
  const full = Object.fromEntries(
    Object.entries(values).filter(([, v]) => v !== undefined),
  ) as Record<string, number>;
  const allFlags = Object.fromEntries(
    Object.keys(full).map((name) => [name, flags[name] ?? "normal"]),
  ) as VitalSigns["flags"];
  return {
    id,
    patient_id: PATIENT_ID,
    encounter_id: null,
    facility_id: FACILITY_ID,
    recorded_at: recordedAt,
    values: full,
    units: {},
    flags: allFlags,
    critical: Object.values(allFlags).includes("critical"),
  };
}
