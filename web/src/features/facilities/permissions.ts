import type { Me } from "../../auth/store";

/** Whether the signed-in user holds a permission (super_admin holds "*", every permission). */
export function hasPermission(me: Me | null, permission: string): boolean {
  if (me === null) return false;
  return me.permissions.includes("*") || me.permissions.includes(permission);
}

export const PERMISSIONS = {
  bedManage: "facility.bed.manage",
  patientRead: "clinical.patient.read",
  chargeRead: "business.charge.read",
} as const;
