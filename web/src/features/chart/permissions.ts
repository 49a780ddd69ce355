import { ROLES } from "../../auth/roles";
import { hasRole, useSession, type Me } from "../../auth/store";

export interface ChartPermissions {
  /** Admit to a bed and discharge. */
  admit: boolean;
  diagnose: boolean;
  recordVitals: boolean;
  addAllergy: boolean;
}

function grants(me: Me, permission: string): boolean {
  return me.permissions.includes("*") || me.permissions.includes(permission);
}

/** What the signed-in user may change on a chart: the role must allow it and the token must
 * carry the permission the API checks. */
export function chartPermissions(me: Me | null): ChartPermissions {
  const may = (roles: readonly string[], permission: string) =>
    me !== null && hasRole(me, roles) && grants(me, permission);
  return {
    admit: may(ROLES.admit, "clinical.encounter.write"),
    diagnose: may(ROLES.admit, "clinical.diagnosis.write"),
    recordVitals: may(ROLES.recordVitals, "clinical.vitals.write"),
    addAllergy: may(ROLES.recordVitals, "clinical.allergy.write"),
  };
}

export function useChartPermissions(): ChartPermissions {
  return chartPermissions(useSession((s) => s.me));
}
