/* The alerts a user dismissed, kept for this tab (sessionStorage, per user) so that a reload,
 * which has the gateway send the active alerts again, does not bring them back. */

const KEEP = 500;

function keyOf(userId: string): string {
  return `nilecare.dismissedAlerts.${userId}`;
}

export function loadDismissed(userId: string): ReadonlySet<string> {
  try {
    const saved: unknown = JSON.parse(sessionStorage.getItem(keyOf(userId)) ?? "[]");
    return new Set(Array.isArray(saved) ? saved.filter((id) => typeof id === "string") : []);
  } catch {
    return new Set();
  }
}

/** Adds one (by vital signs id) and returns them all, the oldest forgotten beyond KEEP. */
export function saveDismissed(
  userId: string,
  dismissed: ReadonlySet<string>,
  vitalSignsId: string,
): ReadonlySet<string> {
  const next = [...dismissed, vitalSignsId].slice(-KEEP);
  sessionStorage.setItem(keyOf(userId), JSON.stringify(next));
  return new Set(next);
}
