import { useCallback, useState } from "react";

import { ROLES } from "../../auth/roles";
import { hasRole, useSession } from "../../auth/store";
import { useLiveTopics } from "../../live/LiveProvider";
import { topics, type CriticalAlertData } from "../../live/protocol";
import { useMyFacilities } from "../patients/queries";
import { loadDismissed, saveDismissed } from "./dismissals";

// A shift's worth and more; the oldest beyond are dropped (the chart keeps every reading).
const KEEP = 200;

/** The critical-vitals alerts of the user's facilities that arrived live during this session
 * and were not dismissed, newest first. Clinical roles (and super_admin) only. */
export function useCriticalAlerts() {
  const me = useSession((s) => s.me);
  const watching = hasRole(me, ROLES.criticalAlerts);
  const [alerts, setAlerts] = useState<CriticalAlertData[]>([]);
  // Dismissed readings stay dismissed when a reconnect or a reload brings them again.
  const userId = me?.id ?? "";
  const [dismissed, setDismissed] = useState(() => loadDismissed(userId));

  // A cross-facility user's token lists no facilities: follow every active one.
  const everyFacility = useMyFacilities(watching && Boolean(me?.all_facilities));
  const facilityIds = me?.all_facilities
    ? (everyFacility.data ?? []).map((facility) => facility.id)
    : (me?.facility_ids ?? []);

  useLiveTopics(watching ? facilityIds.map(topics.facility) : [], (event) => {
    if (event.event !== "alert.critical") return;
    const alert = event.data;
    setAlerts((old) =>
      old.some((a) => a.vital_signs_id === alert.vital_signs_id)
        ? old
        : [alert, ...old].slice(0, KEEP),
    );
  });

  const dismiss = useCallback(
    (vitalSignsId: string) => setDismissed((old) => saveDismissed(userId, old, vitalSignsId)),
    [userId],
  );

  return {
    alerts: alerts.filter((alert) => !dismissed.has(alert.vital_signs_id)),
    dismiss,
  };
}
