import { json } from "../test/api";
import { sessionFetch } from "./session";
import { useSession } from "./store";

const tokens = (access: string, refresh: string) => ({
  access_token: access,
  refresh_token: refresh,
  expires_in: 900,
});

describe("the session's fetch", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    useSession.getState().clear();
  });

  it("sends the access token and, on a 401, refreshes once and retries", async () => {
    useSession.getState().setTokens(tokens("old-access", "refresh-1"));
    const seen: string[] = [];
    vi.stubGlobal(
      "fetch",
      vi.fn(async (input: Request | URL, init?: RequestInit) => {
        const request = input instanceof Request ? input : new Request(input, init);
        const path = new URL(request.url).pathname;
        seen.push(`${path} ${request.headers.get("Authorization") ?? ""}`);
        if (path === "/api/v1/auth/refresh") return json(tokens("new-access", "refresh-2"));
        return request.headers.get("Authorization") === "Bearer new-access"
          ? json({ ok: true })
          : json({ status: 401 }, 401);
      }),
    );
    const answer = await sessionFetch(new Request("http://localhost/api/v1/patients"));
    expect(answer.status).toBe(200);
    expect(seen).toEqual([
      "/api/v1/patients Bearer old-access",
      "/api/v1/auth/refresh ",
      "/api/v1/patients Bearer new-access",
    ]);
    expect(useSession.getState().refreshToken).toBe("refresh-2");
    expect(sessionStorage.getItem("nilecare.refresh")).toBe("refresh-2");
  });

  it("ends the session with a reason when the refresh token is refused", async () => {
    useSession.getState().setTokens(tokens("old-access", "stolen-or-expired"));
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => json({ status: 401 }, 401)),
    );
    const answer = await sessionFetch(new Request("http://localhost/api/v1/patients"));
    expect(answer.status).toBe(401);
    expect(useSession.getState().accessToken).toBeNull();
    expect(useSession.getState().reason).toBe("sessionExpired");
    expect(sessionStorage.getItem("nilecare.refresh")).toBeNull();
  });

  it("does not try to refresh when the login itself is refused", async () => {
    useSession.getState().setTokens(tokens("a", "r"));
    const fetchMock = vi.fn(async () => json({ status: 401 }, 401));
    vi.stubGlobal("fetch", fetchMock);
    await sessionFetch(new Request("http://localhost/api/v1/auth/login", { method: "POST" }));
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });
});
