import { create } from "zustand";

import type { components } from "../api/schema";

export type Me = components["schemas"]["MeRead"];

/** Why the user is looking at the login page again (shown there). */
export type SignOutReason = "sessionExpired" | "idleLogout" | null;

const REFRESH_KEY = "nilecare.refresh";

interface Tokens {
  access_token: string;
  refresh_token: string | null;
  expires_in: number;
}

interface SessionState {
  accessToken: string | null;
  refreshToken: string | null;
  /** Epoch milliseconds when the access token stops working. */
  expiresAt: number | null;
  me: Me | null;
  reason: SignOutReason;
  setTokens: (tokens: Tokens) => void;
  setMe: (me: Me) => void;
  clear: (reason?: SignOutReason) => void;
}

// The access token lives in memory only; the refresh token survives a reload of this tab
// (sessionStorage), never other tabs or a closed browser.
export const useSession = create<SessionState>((set) => ({
  accessToken: null,
  refreshToken: sessionStorage.getItem(REFRESH_KEY),
  expiresAt: null,
  me: null,
  reason: null,
  setTokens: (tokens) => {
    if (tokens.refresh_token) sessionStorage.setItem(REFRESH_KEY, tokens.refresh_token);
    else sessionStorage.removeItem(REFRESH_KEY);
    set({
      accessToken: tokens.access_token,
      refreshToken: tokens.refresh_token,
      expiresAt: Date.now() + tokens.expires_in * 1000,
      reason: null,
    });
  },
  setMe: (me) => set({ me }),
  clear: (reason = null) => {
    sessionStorage.removeItem(REFRESH_KEY);
    set({ accessToken: null, refreshToken: null, expiresAt: null, me: null, reason });
  },
}));

export function hasRole(me: Me | null, roles: readonly string[]): boolean {
  if (me === null) return false;
  return me.roles.some((role) => role === "super_admin" || roles.includes(role));
}

/** Whether the signed-in user holds a permission (super_admin holds "*", every permission). */
export function hasPermission(me: Me | null, permission: string): boolean {
  if (me === null) return false;
  return me.permissions.includes("*") || me.permissions.includes(permission);
}
