import { useSession } from "../../auth/store";
import type { Facility } from "./queries";

/** The facility to show first: the user's own (the first assigned that is visible), else the
 * first visible one. */
export function defaultFacilityId(
  facilities: readonly Facility[] | undefined,
  facilityIds: readonly string[],
): string | null {
  if (!facilities || facilities.length === 0) return null;
  const own = facilities.find((facility) => facilityIds.includes(facility.id));
  return (own ?? facilities[0])?.id ?? null;
}

export function useOwnFacilityIds(): readonly string[] {
  return useSession((s) => s.me?.facility_ids) ?? [];
}
