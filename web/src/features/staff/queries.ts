import { keepPreviousData, useQuery } from "@tanstack/react-query";

import { api, call, type Schemas } from "../../api/client";

export type Staff = Schemas["StaffRead"];
export type StaffKind = Schemas["StaffKind"];
export type ChargeItem = Schemas["ChargeItemRead"];
export type ChargeCategory = Schemas["ChargeCategory"];

export const STAFF_KINDS: readonly StaffKind[] = [
  "doctor",
  "nurse",
  "midwife",
  "lab_technician",
  "radiographer",
  "pharmacist",
  "receptionist",
  "billing_clerk",
  "administrator",
];

export const CHARGE_CATEGORIES: readonly ChargeCategory[] = [
  "consultation",
  "admission",
  "laboratory",
  "radiology",
  "procedure",
  "pharmacy",
  "nursing",
  "other",
];

export interface StaffFilter {
  q: string;
  kind: StaffKind | null;
  facilityId: string | null;
  departmentId: string | null;
  page: number;
  pageSize: number;
}

export function useStaff(filter: StaffFilter) {
  return useQuery({
    queryKey: ["staff", filter],
    queryFn: () =>
      call(
        api.GET("/api/v1/staff", {
          params: {
            query: {
              q: filter.q.trim() || null,
              kind: filter.kind,
              facility_id: filter.facilityId,
              department_id: filter.departmentId,
              limit: filter.pageSize,
              offset: filter.page * filter.pageSize,
            },
          },
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

export function useWorkingHours(staffId: string | null) {
  return useQuery({
    queryKey: ["working-hours", staffId],
    queryFn: () =>
      call(
        api.GET("/api/v1/staff/{staff_id}/working-hours", {
          params: { path: { staff_id: staffId ?? "" } },
        }),
      ),
    enabled: staffId !== null,
  });
}

export function useDepartments(facilityId: string | null) {
  return useQuery({
    queryKey: ["departments", facilityId],
    queryFn: () =>
      call(
        api.GET("/api/v1/departments", {
          params: { query: { facility_id: facilityId, limit: 200 } },
        }),
      ),
    staleTime: 5 * 60_000,
  });
}

export interface ChargeFilter {
  q: string;
  category: ChargeCategory | null;
  facilityId: string | null;
  page: number;
  pageSize: number;
}

export function useChargeItems(filter: ChargeFilter) {
  return useQuery({
    queryKey: ["charge-items", filter],
    queryFn: () =>
      call(
        api.GET("/api/v1/charge-items", {
          params: {
            query: {
              q: filter.q.trim() || null,
              category: filter.category,
              facility_id: filter.facilityId,
              active: true,
              limit: filter.pageSize,
              offset: filter.page * filter.pageSize,
            },
          },
        }),
      ),
    placeholderData: keepPreviousData,
  });
}
