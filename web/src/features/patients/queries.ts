import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api, call, type Schemas } from "../../api/client";
import { useSession } from "../../auth/store";

export type Patient = Schemas["PatientRead"];
export type PatientPage = Schemas["PatientPage"];
export type PatientCreate = Schemas["PatientCreate"];
export type Facility = Schemas["FacilityRead"];

export interface PatientSearchParams {
  name?: string;
  mrn?: string;
  national_id?: string;
  phone?: string;
  birth_date?: string;
  limit: number;
  offset: number;
}

export const patientKeys = {
  all: ["patients"] as const,
  search: (params: PatientSearchParams) => ["patients", "search", params] as const,
  one: (id: string) => ["patients", "one", id] as const,
};

/** A page of patients matching the criteria; `enabled` false until something is typed. */
export function usePatientSearch(params: PatientSearchParams, enabled: boolean) {
  return useQuery({
    queryKey: patientKeys.search(params),
    queryFn: ({ signal }) =>
      call(api.GET("/api/v1/patients", { params: { query: params }, signal })),
    enabled,
    placeholderData: keepPreviousData,
  });
}

/** One patient, cached under one key wherever it is shown (the bed board, a duplicate's card)
 * so that registering a patient refreshes them all; `enabled` false asks nothing. */
export function usePatient(id: string | null, enabled = true) {
  return useQuery({
    queryKey: patientKeys.one(id ?? ""),
    queryFn: ({ signal }) =>
      call(
        api.GET("/api/v1/patients/{patient_id}", {
          params: { path: { patient_id: id ?? "" } },
          signal,
        }),
      ),
    enabled: enabled && id !== null,
  });
}

/** The facilities the signed-in user works in (every facility for cross-facility roles). */
export function useMyFacilities(enabled = true) {
  const me = useSession((s) => s.me);
  return useQuery({
    enabled,
    queryKey: ["facilities", "mine", me?.id ?? null],
    queryFn: async ({ signal }) => {
      const page = await call(
        api.GET("/api/v1/facilities", { params: { query: { limit: 200 } }, signal }),
      );
      return page.items.filter(
        (f) => f.is_active && (me?.all_facilities || (me?.facility_ids ?? []).includes(f.id)),
      );
    },
    staleTime: 5 * 60_000,
  });
}

/** Register (or, with `link_to_patient_id`, find) a patient; 409 `possible-duplicate` throws. */
export function useRegisterPatient() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: PatientCreate) => call(api.POST("/api/v1/patients", { body })),
    onSuccess: (patient) => {
      queryClient.setQueryData(patientKeys.one(patient.id), patient);
      void queryClient.invalidateQueries({ queryKey: patientKeys.all });
    },
  });
}
