/** Test helpers of the patients feature: the user, facilities and patients the tests use, the
 * pages in a router (the API stub, JSON answers and signInAs are in src/test/api). */
import { render } from "@testing-library/react";
import type { ReactElement } from "react";
import { MemoryRouter, Route, Routes, useParams } from "react-router-dom";

import { Providers } from "../../App";
import type { Me } from "../../auth/store";
import type { Patient } from "./queries";

export const FACILITY_ID = "6f1c2a4e-5b7d-4c8e-9a0f-1d2e3f405162";

/** The user the tests sign in as (`signInAs(RECEPTIONIST)`): a receptionist at FACILITY_ID. */
export const RECEPTIONIST: Partial<Me> = {
  id: "b7e5161b-b113-457c-982b-66f18c56efb6",
  email: "receptionist@demo.nilecare.sd",
  full_name: "Demo Receptionist",
  roles: ["receptionist"],
  facility_ids: [FACILITY_ID],
  permissions: ["clinical.patient.read", "clinical.patient.write"],
  session_id: "4242c43c-62bf-4478-ba4a-696375152d62",
};

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
    email: null,
    address: { state: "Khartoum", locality: "Omdurman", line: null },
    emergency_contact: null,
    preferred_language: "ar",
    created_at: "2026-01-01T00:00:00Z",
    updated_at: "2026-01-01T00:00:00Z",
    ...overrides,
  };
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
