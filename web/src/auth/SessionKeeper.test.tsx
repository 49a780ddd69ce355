import { act, fireEvent, render, screen } from "@testing-library/react";

import { Providers } from "../App";
import { json } from "../test/api";
import { IDLE_LIMIT_MS } from "./SessionKeeper";
import { useSession } from "./store";

const FIFTEEN_MINUTES = { access_token: "a", refresh_token: "r", expires_in: 900 };

describe("the session keeper", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
    useSession.getState().clear();
  });

  it("signs an idle user out after the limit, and activity postpones it", () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => json({}, 500)),
    );
    useSession.getState().setTokens({ ...FIFTEEN_MINUTES, expires_in: 86_400 });
    render(
      <Providers language="en">
        <p>signed in</p>
      </Providers>,
    );
    expect(screen.getByText("signed in")).toBeInTheDocument();
    act(() => vi.advanceTimersByTime(IDLE_LIMIT_MS - 1000));
    fireEvent.keyDown(window, { key: "a" });
    act(() => vi.advanceTimersByTime(IDLE_LIMIT_MS - 1000));
    expect(useSession.getState().accessToken).toBe("a");
    act(() => vi.advanceTimersByTime(2000));
    expect(useSession.getState().accessToken).toBeNull();
    expect(useSession.getState().reason).toBe("idleLogout");
  });

  it("refreshes the tokens a minute before the access token expires", async () => {
    const refreshed = vi.fn(async () =>
      json({ ...FIFTEEN_MINUTES, access_token: "b", refresh_token: "s" }),
    );
    vi.stubGlobal("fetch", refreshed);
    useSession.getState().setTokens(FIFTEEN_MINUTES);
    render(
      <Providers language="en">
        <p>signed in</p>
      </Providers>,
    );
    await act(async () => vi.advanceTimersByTime(13 * 60 * 1000));
    expect(refreshed).not.toHaveBeenCalled();
    await act(async () => vi.advanceTimersByTime(60 * 1000 + 1000));
    expect(refreshed).toHaveBeenCalledTimes(1);
    expect(useSession.getState().accessToken).toBe("b");
  });
});
