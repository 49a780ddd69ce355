/* Helpers for the chart's component tests (not shipped: imported by *.test.tsx only). */
import { render } from "@testing-library/react";
import type { ReactElement } from "react";
import { MemoryRouter, Route, Routes } from "react-router-dom";
import { vi } from "vitest";

import { Providers } from "../../App";
import { useSession, type Me } from "../../auth/store";
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
  medical_director: ["clinical.patient.read", "clinical.encounter.read", "clinical.vitals.read"],
};

export function signIn(role: "doctor" | "nurse" | "medical_director"): void {
  const me: Me = {
    id: "33333333-3333-4333-8333-333333333333",
    email: `${role}@demo.nilecare.sd`,
    full_name: `Demo ${role}`,
    roles: [role],
    facility_ids: [FACILITY_ID],
    all_facilities: false,
    permissions: PERMISSIONS[role] ?? [],
    is_active: true,
    mfa_enabled: false,
    mfa_enrollment_required: false,
    created_at: "2026-01-01T00:00:00Z",
    updated_at: "2026-01-01T00:00:00Z",
    last_login_at: null,
    session_id: null,
  };
  useSession.getState().setTokens({ access_token: "token", refresh_token: null, expires_in: 900 });
  useSession.getState().setMe(me);
}

export function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": status >= 400 ? "application/problem+json" : "application/json" },
  });
}

export interface Call {
  method: string;
  url: URL;
  body: unknown;
}

/** Stubs `fetch` with `answer`; every request the client made is in the returned list. */
export function stubApi(answer: (call: Call) => Response | Promise<Response>): Call[] {
  const calls: Call[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: Request) => {
      const text = await input.clone().text();
      const call: Call = {
        method: input.method,
        url: new URL(input.url),
        body: text ? (JSON.parse(text) as unknown) : undefined,
      };
      calls.push(call);
      return answer(call);
    }),
  );
  return calls;
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
