import { act, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";

import { useSession } from "../auth/store";
import { signInAs, stubApi } from "../test/api";
import { acceptLive, FakeWebSocket } from "../test/fakeWebSocket";
import { renderInApp } from "../test/render";
import { LiveOfflineIndicator } from "./LiveOfflineIndicator";

afterEach(() => vi.unstubAllGlobals());

describe("LiveProvider", () => {
  it("opens one connection for the signed-in user and closes it on logout", async () => {
    signInAs();
    stubApi(() => undefined);
    renderInApp(<LiveOfflineIndicator />);
    expect(screen.getByTestId("live-offline")).toBeInTheDocument();

    const socket = await acceptLive();
    expect(socket.url).toBe("ws://localhost:3000/ws");
    expect(socket.protocols).toEqual(["bearer", "token"]);
    expect(screen.queryByTestId("live-offline")).toBeNull();

    act(() => useSession.getState().clear());
    expect(socket.closeCode).toBe(1000);
    expect(FakeWebSocket.sockets).toHaveLength(1);
  });

  it("opens nothing while nobody is signed in", () => {
    stubApi(() => undefined);
    renderInApp(<LiveOfflineIndicator />);
    expect(FakeWebSocket.sockets).toHaveLength(0);
  });
});
