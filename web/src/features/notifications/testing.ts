/* Notifications the tests serve (not shipped: imported by *.test.tsx only). */
import type { NotificationRead } from "./queries";

export const NURSE = {
  email: "nurse@demo.nilecare.sd",
  full_name: "Demo Nurse",
  roles: ["nurse"],
  facility_ids: ["22222222-2222-4222-8222-222222222222"],
};

export function notification(
  id: string,
  createdAt: string,
  overrides: Partial<NotificationRead> = {},
): NotificationRead {
  return {
    id,
    kind: "vitals.critical",
    severity: "critical",
    title: `Notification ${id}`,
    body: "Heart rate 170 /min",
    patient_id: null,
    facility_id: null,
    created_at: createdAt,
    read_at: null,
    ...overrides,
  };
}
