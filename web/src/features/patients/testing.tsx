/** Test helpers of the patients feature: a signed-in user, a fake API, the pages in a router. */
import { render } from "@testing-library/react";
import type { ReactElement } from "react";
import { MemoryRouter, Route, Routes, useParams } from "react-router-dom";
import { vi } from "vitest";

import { Providers } from "../../App";
import { useSession, type Me } from "../../auth/store";
import type { Patient } from "./queries";

export const FACILITY_ID = "6f1c2a4e-5b7d-4c8e-9a0f-1d2e3f405162";

export function signIn(roles: string[] = ["receptionist"]): void {
  useSession.getState().setTokens({ access_token: "token", refresh_token: null, expires_in: 900 });
  const me: Me = {
    id: "b7e5161b-b113-457c-982b-66f18c56efb6",
    email: "receptionist@demo.nilecare.sd",
    full_name: "Demo Receptionist",
    roles,
    facility_ids: [FACILITY_ID],
    is_active: true,
    mfa_enabled: false,
    created_at: "2026-01-01T00:00:00Z",
    updated_at: "2026-01-01T00:00:00Z",
    permissions: ["clinical.patient.read", "clinical.patient.write"],
    all_facilities: false,
    session_id: "4242c43c-62bf-4478-ba4a-696375152d62",
    mfa_enrollment_required: false,
  };
  useSession.getState().setMe(me);
}

export const FACILITIES = {
  items: [
    {
      id: FACILITY_ID,
      name: "Khartoum Teaching Hospital",
      code: "KTH",
      kind: "hospital",
      state: "Khartoum",
      locality: "Khartoum",
      phone: "+249183777000",
      is_active: true,
      created_at: "2026-01-01T00:00:00Z",
      updated_at: "2026-01-01T00:00:00Z",
    },
  ],
  total: 1,
  limit: 200,
  offset: 0,
};

export function patient(overrides: Partial<Patient> = {}): Patient {
  return {
    id: "14c3c7ee-61e0-46f2-8778-7609695ffdf2",
    mrn: "KTH-000070",
    facility_id: FACILITY_ID,
    status: "active",
    merged_into_id: null,
    given_name_en: "Fatima",
    family_name_en: "Abdelrahman",
    given_name_ar: "فاطمة",
    family_name_ar: "عبد الرحمن",
    sex: "female",
    birth_date: "1990-09-17",
    national_id: "20001092822",
    phone: "+249912345678",
    alternate_phone: null,
    address: { state: "Khartoum", locality: "Omdurman", line: null },
    emergency_contact: null,
    preferred_language: "ar",
    created_at: "2026-01-01T00:00:00Z",
    updated_at: "2026-01-01T00:00:00Z",
    ...overrides,
  };
}

export interface Sent {
  method: string;
  url: URL;
  body: unknown;
}

type Answer = { status: number; body: unknown } | undefined;

/** Stub `fetch`: `answer` gets every request (method, URL, parsed JSON body) and returns the
 * status and body, or undefined for a 404. Returns the list of requests sent. */
export function fakeApi(answer: (request: Sent) => Answer): Sent[] {
  const sent: Sent[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: RequestInfo | URL) => {
      const request = input instanceof Request ? input : new Request(input);
      const text = await request.text();
      const entry = {
        method: request.method,
        url: new URL(request.url),
        body: text ? JSON.parse(text) : null,
      };
      sent.push(entry);
      const reply = answer(entry) ?? {
        status: 404,
        body: { type: "about:blank", title: "Not found", status: 404 },
      };
      const type = reply.status >= 400 ? "application/problem+json" : "application/json";
      return new Response(JSON.stringify(reply.body), {
        status: reply.status,
        headers: { "Content-Type": type },
      });
    }),
  );
  return sent;
}

function ChartStub() {
  const { patientId } = useParams();
  return <h1>{`Chart of ${patientId ?? ""}`}</h1>;
}

/** The page at `path` (in English), with a stand-in chart page at /patients/:patientId. */
export function renderPage(page: ReactElement, path: string) {
  return render(
    <Providers language="en">
      <MemoryRouter initialEntries={[path]}>
        <Routes>
          <Route path="/patients" element={page} />
          <Route path="/patients/new" element={page} />
          <Route path="/patients/:patientId" element={<ChartStub />} />
        </Routes>
      </MemoryRouter>
    </Providers>,
  );
}
