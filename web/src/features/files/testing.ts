/* Helpers for the file features' component tests (not shipped: imported by *.test.tsx only). */

export const REQUESTER_ID = "33333333-3333-4333-8333-333333333333";

/** A file job as the API answers it, in `status`, with the kind's own fields in `extra`. */
export function fileJob(id: string, facilityId: string, status: string, extra = {}) {
  return {
    id,
    facility_id: facilityId,
    requested_by: REQUESTER_ID,
    status,
    error: null,
    created_at: "2026-03-05T10:00:00Z",
    finished_at: null,
    expires_at: null,
    content_type: null,
    filename: null,
    size: null,
    ...extra,
  };
}
