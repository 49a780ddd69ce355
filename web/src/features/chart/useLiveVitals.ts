import { useQueryClient } from "@tanstack/react-query";

import { useLiveTopic } from "../../live/LiveProvider";
import { topics } from "../../live/protocol";
import { chartKeys } from "./queries";

/** Refreshes the chart's vital signs and header when the patient gets a new reading live
 * (recorded by someone else, or by a device). */
export function useLiveVitals(patientId: string): void {
  const queryClient = useQueryClient();
  useLiveTopic(patientId ? topics.patient(patientId) : null, (event) => {
    if (event.event !== "vitals.update" && event.event !== "alert.critical") return;
    void queryClient.invalidateQueries({ queryKey: chartKeys.vitals(patientId) });
    void queryClient.invalidateQueries({ queryKey: chartKeys.summary(patientId) });
  });
}
