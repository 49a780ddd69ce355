import { useEffect, useState, type ReactNode } from "react";

import { Splash } from "../layout/Splash";
import { endSession, refreshSession } from "./session";
import { useSession } from "./store";
import { loadMe } from "./useSignIn";

// HIPAA automatic logoff: no keyboard, pointer or touch input for this long ends the session.
export const IDLE_LIMIT_MS = 15 * 60 * 1000;
// Refresh this long before the access token expires, so no request meets an expired one.
const REFRESH_AHEAD_MS = 60 * 1000;
const ACTIVITY_EVENTS = ["keydown", "pointerdown", "wheel", "touchstart"] as const;

/** Restores a session after a reload, refreshes tokens ahead of expiry, logs out when idle. */
export function SessionKeeper({ children }: { children: ReactNode }) {
  const accessToken = useSession((s) => s.accessToken);
  const expiresAt = useSession((s) => s.expiresAt);
  const signedIn = accessToken !== null;
  const [restoring, setRestoring] = useState(
    () => useSession.getState().refreshToken !== null && !signedIn,
  );

  useEffect(() => {
    if (!restoring) return;
    void (async () => {
      try {
        if (await refreshSession()) await loadMe();
      } catch {
        endSession("sessionExpired");
      } finally {
        setRestoring(false);
      }
    })();
  }, [restoring]);

  useEffect(() => {
    if (expiresAt === null || !useSession.getState().refreshToken) return;
    const timer = window.setTimeout(
      () => void refreshSession(),
      Math.max(expiresAt - Date.now() - REFRESH_AHEAD_MS, 1000),
    );
    return () => window.clearTimeout(timer);
  }, [expiresAt]);

  useEffect(() => {
    if (!signedIn) return;
    let timer = window.setTimeout(() => endSession("idleLogout"), IDLE_LIMIT_MS);
    const active = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(() => endSession("idleLogout"), IDLE_LIMIT_MS);
    };
    for (const name of ACTIVITY_EVENTS) window.addEventListener(name, active, { passive: true });
    return () => {
      window.clearTimeout(timer);
      for (const name of ACTIVITY_EVENTS) window.removeEventListener(name, active);
    };
  }, [signedIn]);

  return restoring ? <Splash /> : <>{children}</>;
}
