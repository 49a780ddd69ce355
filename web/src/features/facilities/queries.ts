import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api, call, type Schemas } from "../../api/client";

export type Facility = Schemas["FacilityRead"];
export type Ward = Schemas["WardRead"];
export type Bed = Schemas["BedRead"];
export type BedStatus = Schemas["BedStatus"];
export type WardOccupancy = Schemas["WardOccupancy"];

/** The bed board is live: beds and occupancy are asked for again every 30 seconds. */
export const BED_REFRESH_MS = 30_000;

export function useFacilities() {
  return useQuery({
    queryKey: ["facilities"],
    queryFn: () => call(api.GET("/api/v1/facilities", { params: { query: { limit: 200 } } })),
    staleTime: 5 * 60_000,
  });
}

export function useWards(facilityId: string | null) {
  return useQuery({
    queryKey: ["wards", facilityId],
    queryFn: () =>
      call(
        api.GET("/api/v1/wards", { params: { query: { facility_id: facilityId, limit: 200 } } }),
      ),
    enabled: facilityId !== null,
  });
}

export function useWardOccupancy(wardId: string) {
  return useQuery({
    queryKey: ["ward-occupancy", wardId],
    queryFn: () =>
      call(api.GET("/api/v1/wards/{ward_id}/occupancy", { params: { path: { ward_id: wardId } } })),
    refetchInterval: BED_REFRESH_MS,
  });
}

export function useWardBeds(wardId: string) {
  return useQuery({
    queryKey: ["beds", wardId],
    queryFn: () =>
      call(api.GET("/api/v1/beds", { params: { query: { ward_id: wardId, limit: 200 } } })),
    refetchInterval: BED_REFRESH_MS,
  });
}

export function useChangeBedStatus(bed: Bed) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (status: BedStatus) =>
      call(
        api.PUT("/api/v1/beds/{bed_id}/status", {
          params: { path: { bed_id: bed.id } },
          body: { status },
        }),
      ),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ["beds", bed.ward_id] }),
        queryClient.invalidateQueries({ queryKey: ["ward-occupancy", bed.ward_id] }),
      ]),
  });
}
