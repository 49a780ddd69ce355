import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api, call, type Schemas } from "../../api/client";

export type PatientSummary = Schemas["PatientSummary"];
export type Encounter = Schemas["EncounterRead"];
export type Diagnosis = Schemas["DiagnosisRead"];
export type Allergy = Schemas["AllergyRead"];
export type Immunization = Schemas["ImmunizationRead"];

/** How many sets of vital signs the chart loads (newest first). */
export const VITALS_LIMIT = 200;

export const chartKeys = {
  patient: (patientId: string) => ["chart", patientId] as const,
  summary: (patientId: string) => ["chart", patientId, "summary"] as const,
  encounters: (patientId: string) => ["chart", patientId, "encounters"] as const,
  diagnoses: (patientId: string) => ["chart", patientId, "diagnoses"] as const,
  allergies: (patientId: string) => ["chart", patientId, "allergies"] as const,
  immunizations: (patientId: string) => ["chart", patientId, "immunizations"] as const,
  vitals: (patientId: string) => ["chart", patientId, "vitals"] as const,
};

export const bedKeys = {
  all: ["beds"] as const,
  bed: (bedId: string) => ["beds", "bed", bedId] as const,
  available: (facilityId: string, wardId: string) =>
    ["beds", "available", facilityId, wardId] as const,
  ward: (wardId: string) => ["wards", "ward", wardId] as const,
};

// --- reads -------------------------------------------------------------------------------------

export function usePatientSummary(patientId: string) {
  return useQuery({
    queryKey: chartKeys.summary(patientId),
    queryFn: () =>
      call(
        api.GET("/api/v1/patient-summaries/{patient_id}", {
          params: { path: { patient_id: patientId } },
        }),
      ),
  });
}

function startOf(encounter: Encounter): string {
  return encounter.started_at ?? encounter.created_at;
}

export function useEncounters(patientId: string) {
  return useQuery({
    queryKey: chartKeys.encounters(patientId),
    queryFn: async () => {
      const page = await call(
        api.GET("/api/v1/patients/{patient_id}/encounters", {
          params: { path: { patient_id: patientId }, query: { limit: 200 } },
        }),
      );
      return [...page.items].sort((a, b) => startOf(b).localeCompare(startOf(a)));
    },
  });
}

export function useDiagnoses(patientId: string) {
  return useQuery({
    queryKey: chartKeys.diagnoses(patientId),
    queryFn: () =>
      call(
        api.GET("/api/v1/patients/{patient_id}/diagnoses", {
          params: { path: { patient_id: patientId } },
        }),
      ),
  });
}

export function useAllergies(patientId: string) {
  return useQuery({
    queryKey: chartKeys.allergies(patientId),
    queryFn: () =>
      call(
        api.GET("/api/v1/patients/{patient_id}/allergies", {
          params: { path: { patient_id: patientId } },
        }),
      ),
  });
}

export function useImmunizations(patientId: string) {
  return useQuery({
    queryKey: chartKeys.immunizations(patientId),
    queryFn: () =>
      call(
        api.GET("/api/v1/patients/{patient_id}/immunizations", {
          params: { path: { patient_id: patientId } },
        }),
      ),
  });
}

/** The latest sets of vital signs, newest first. */
export function useVitalSigns(patientId: string) {
  return useQuery({
    queryKey: chartKeys.vitals(patientId),
    queryFn: () =>
      call(
        api.GET("/api/v1/patients/{patient_id}/vital-signs", {
          params: {
            path: { patient_id: patientId },
            query: { newest_first: true, limit: VITALS_LIMIT },
          },
        }),
      ),
  });
}

export function useBed(bedId: string | null | undefined) {
  return useQuery({
    queryKey: bedKeys.bed(bedId ?? ""),
    queryFn: () =>
      call(api.GET("/api/v1/beds/{bed_id}", { params: { path: { bed_id: bedId ?? "" } } })),
    enabled: Boolean(bedId),
  });
}

export function useWard(wardId: string | null | undefined) {
  return useQuery({
    queryKey: bedKeys.ward(wardId ?? ""),
    queryFn: () =>
      call(api.GET("/api/v1/wards/{ward_id}", { params: { path: { ward_id: wardId ?? "" } } })),
    enabled: Boolean(wardId),
    staleTime: 5 * 60_000,
  });
}

/** The available beds of a facility, of one ward when `wardId` is given. */
export function useAvailableBeds(facilityId: string, wardId: string, enabled = true) {
  return useQuery({
    queryKey: bedKeys.available(facilityId, wardId),
    queryFn: async () =>
      (
        await call(
          api.GET("/api/v1/beds", {
            params: {
              query: {
                facility_id: facilityId,
                ward_id: wardId || undefined,
                status: "available",
                limit: 200,
              },
            },
          }),
        )
      ).items.filter((bed) => bed.status === "available"),
    enabled,
    staleTime: 0,
  });
}

// --- writes ------------------------------------------------------------------------------------

export function useRecordVitals(patientId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas["VitalSignsCreate"]) =>
      call(api.POST("/api/v1/vital-signs", { body })),
    onSuccess: (reading) => {
      // The new reading shows at once; the refetch then brings the server's order.
      queryClient.setQueryData<Schemas["VitalSignsRead"][]>(chartKeys.vitals(patientId), (old) =>
        old ? [reading, ...old.filter((r) => r.id !== reading.id)] : [reading],
      );
      void queryClient.invalidateQueries({ queryKey: chartKeys.vitals(patientId) });
      void queryClient.invalidateQueries({ queryKey: chartKeys.summary(patientId) });
    },
  });
}

export function useAddDiagnosis(patientId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas["DiagnosisCreate"]) => call(api.POST("/api/v1/diagnoses", { body })),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: chartKeys.diagnoses(patientId) });
      void queryClient.invalidateQueries({ queryKey: chartKeys.summary(patientId) });
    },
  });
}

export function useAddAllergy(patientId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas["AllergyCreate"]) => call(api.POST("/api/v1/allergies", { body })),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: chartKeys.allergies(patientId) });
      void queryClient.invalidateQueries({ queryKey: chartKeys.summary(patientId) });
    },
  });
}

function useAfterBedChange(patientId: string) {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: chartKeys.patient(patientId) });
    void queryClient.invalidateQueries({ queryKey: bedKeys.all });
  };
}

/** Admit as an inpatient to a bed: a new encounter in progress holding the bed. */
export function useAdmit(patientId: string) {
  const refresh = useAfterBedChange(patientId);
  return useMutation({
    mutationFn: ({ bedId, reason }: { bedId: string; reason: string | null }) =>
      call(
        api.POST("/api/v1/encounters", {
          body: {
            patient_id: patientId,
            encounter_class: "inpatient",
            status: "in_progress",
            bed_id: bedId,
            reason,
          },
        }),
      ),
    onSuccess: refresh,
  });
}

/** Finish the encounter; the clinical service gives its bed back. */
export function useDischarge(patientId: string) {
  const refresh = useAfterBedChange(patientId);
  return useMutation({
    mutationFn: (encounterId: string) =>
      call(
        api.POST("/api/v1/encounters/{encounter_id}/status", {
          params: { path: { encounter_id: encounterId } },
          body: { status: "finished" },
        }),
      ),
    onSuccess: refresh,
  });
}
