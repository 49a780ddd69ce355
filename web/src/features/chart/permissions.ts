import { PERMISSIONS, ROLES } from "../../auth/roles";
import { hasPermission, hasRole, useSession, type Me } from "../../auth/store";

export interface ChartPermissions {
  /** Admit to a bed and discharge. */
  admit: boolean;
  diagnose: boolean;
  recordVitals: boolean;
  addAllergy: boolean;
  /** Ask for an export of the whole record. */
  exportRecord: boolean;
}

/** What the signed-in user may change on a chart: the role must allow it and the token must
 * carry the permission the API checks. */
export function chartPermissions(me: Me | null): ChartPermissions {
  const may = (roles: readonly string[], permission: string) =>
    hasRole(me, roles) && hasPermission(me, permission);
  return {
    admit: may(ROLES.admit, PERMISSIONS.encounterWrite),
    diagnose: may(ROLES.admit, PERMISSIONS.diagnosisWrite),
    recordVitals: may(ROLES.recordVitals, PERMISSIONS.vitalsWrite),
    addAllergy: may(ROLES.recordVitals, PERMISSIONS.allergyWrite),
    exportRecord: may(ROLES.exportRecord, PERMISSIONS.exportCreate),
  };
}

export function useChartPermissions(): ChartPermissions {
  return chartPermissions(useSession((s) => s.me));
}
