import type { ApiProblem } from "../../api/problem";

export interface DuplicateWarning {
  candidateIds: string[];
  reasons: Record<string, string[]>;
}

/** The candidates of a 409 `possible-duplicate`, or null for any other problem. */
export function duplicateWarning(problem: ApiProblem): DuplicateWarning | null {
  if (problem.status !== 409 || problem.slug !== "possible-duplicate") return null;
  const ids = problem.body.candidate_ids;
  const candidateIds = Array.isArray(ids)
    ? ids.filter((id): id is string => typeof id === "string")
    : [];
  const raw = problem.body.reasons;
  const reasons: Record<string, string[]> = {};
  if (raw && typeof raw === "object") {
    for (const [id, list] of Object.entries(raw as Record<string, unknown>)) {
      reasons[id] = Array.isArray(list)
        ? list.filter((r): r is string => typeof r === "string")
        : [];
    }
  }
  return candidateIds.length > 0 ? { candidateIds, reasons } : null;
}
