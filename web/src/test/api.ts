/* Helpers shared by the component tests (not shipped: imported by *.test.ts(x) and the features'
 * testing modules only): a JSON answer, a signed-in user, a stubbed API that records requests. */
import { vi } from "vitest";

import { useSession, type Me } from "../auth/store";

/** A JSON answer; a 4xx/5xx one is problem+json, as the API sends it. */
export function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": status >= 400 ? "application/problem+json" : "application/json" },
  });
}

/** A complete `Me`: an active demo user with no role, permission or facility unless overridden. */
export function buildMe(overrides: Partial<Me> = {}): Me {
  return {
    id: "33333333-3333-4333-8333-333333333333",
    email: "user@demo.nilecare.sd",
    full_name: "Demo User",
    roles: [],
    facility_ids: [],
    all_facilities: false,
    permissions: [],
    is_active: true,
    mfa_enabled: false,
    mfa_enrollment_required: false,
    preferred_language: "ar",
    phone: null,
    created_at: "2026-01-01T00:00:00Z",
    updated_at: "2026-01-01T00:00:00Z",
    last_login_at: null,
    session_id: null,
    ...overrides,
  };
}

/** Signs in (an access token and `buildMe(overrides)` in the session store); returns the user. */
export function signInAs(overrides: Partial<Me> = {}): Me {
  const me = buildMe(overrides);
  useSession.getState().setTokens({ access_token: "token", refresh_token: null, expires_in: 900 });
  useSession.getState().setMe(me);
  return me;
}

/** One request the client sent: method, URL and parsed JSON body (undefined when empty). */
export interface Call {
  method: string;
  url: URL;
  body: unknown;
}

const NOT_FOUND = { type: "about:blank", title: "Not found", status: 404 };

/** Stubs `fetch` with `answer` (undefined answers a 404 problem); every request the client made
 * is in the returned list. */
export function stubApi(
  answer: (call: Call) => Response | undefined | Promise<Response | undefined>,
): Call[] {
  const calls: Call[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = input instanceof Request ? input : new Request(input, init);
      const text = await request.clone().text();
      const call: Call = {
        method: request.method,
        url: new URL(request.url),
        body: text ? (JSON.parse(text) as unknown) : undefined,
      };
      calls.push(call);
      return (await answer(call)) ?? json(NOT_FOUND, 404);
    }),
  );
  return calls;
}
