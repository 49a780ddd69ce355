import { useSession, type SignOutReason } from "./store";

const REFRESH_PATH = "/api/v1/auth/refresh";
// Paths whose 401 means "wrong credentials", not "token expired".
const NO_RETRY = ["/api/v1/auth/login", REFRESH_PATH, "/api/v1/auth/logout"];

let refreshing: Promise<boolean> | null = null;

/** Swap the refresh token for a new pair; one request at a time however many callers wait. */
export function refreshSession(): Promise<boolean> {
  refreshing ??= (async () => {
    const refreshToken = useSession.getState().refreshToken;
    if (!refreshToken) return false;
    try {
      const response = await fetch(new URL(REFRESH_PATH, window.location.origin), {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ refresh_token: refreshToken }),
      });
      if (!response.ok) {
        endSession("sessionExpired");
        return false;
      }
      useSession.getState().setTokens(await response.json());
      return true;
    } catch {
      return false; // offline: keep the session, the next call tries again
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

export function endSession(reason: SignOutReason = null): void {
  useSession.getState().clear(reason);
}

/** `fetch` for the API client: adds the access token and, once, refreshes it on a 401. */
export async function sessionFetch(request: Request): Promise<Response> {
  const retry = request.clone();
  const response = await fetch(withToken(request));
  const path = new URL(request.url).pathname;
  if (response.status !== 401 || NO_RETRY.includes(path) || !useSession.getState().refreshToken) {
    return response;
  }
  return (await refreshSession()) ? fetch(withToken(retry)) : response;
}

function withToken(request: Request): Request {
  const token = useSession.getState().accessToken;
  if (token) request.headers.set("Authorization", `Bearer ${token}`);
  return request;
}
