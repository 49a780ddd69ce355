import {
  createContext,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from "react";

import { refreshSession } from "../auth/session";
import { useSession } from "../auth/store";
import { LiveConnection, type LiveStatus } from "./LiveConnection";
import type { LiveEvent } from "./protocol";

interface LiveState {
  connection: LiveConnection | null;
  status: LiveStatus;
}

const LiveContext = createContext<LiveState>({ connection: null, status: "offline" });

/** The gateway's WebSocket on the page's own origin (Vite's dev server proxies it). */
function liveUrl(): string {
  const url = new URL("/ws", window.location.origin);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  return url.href;
}

/** One live connection while a user is signed in; closed on logout. */
export function LiveProvider({ children }: { children: ReactNode }) {
  const signedIn = useSession((s) => s.accessToken !== null && s.me !== null);
  const [connection, setConnection] = useState<LiveConnection | null>(null);
  const [status, setStatus] = useState<LiveStatus>("offline");

  useEffect(() => {
    if (!signedIn) return;
    const opened = new LiveConnection({
      url: liveUrl(),
      token: () => useSession.getState().accessToken,
      refresh: refreshSession,
      onStatus: setStatus,
    });
    setConnection(opened);
    return () => {
      opened.close();
      setConnection(null);
    };
  }, [signedIn]);

  const state = useMemo(() => ({ connection, status }), [connection, status]);
  return <LiveContext.Provider value={state}>{children}</LiveContext.Provider>;
}

/** Whether live updates are arriving (false while signed out or reconnecting). */
export function useLiveStatus(): LiveStatus {
  return useContext(LiveContext).status;
}

/** Calls `onEvent` for every event of `topic` while mounted; null listens to nothing. */
export function useLiveTopic(topic: string | null, onEvent: (event: LiveEvent) => void): void {
  useLiveTopics(topic === null ? [] : [topic], onEvent);
}

/** Calls `onEvent` for every event of each of `topics` while mounted. */
export function useLiveTopics(topics: readonly string[], onEvent: (event: LiveEvent) => void) {
  const { connection } = useContext(LiveContext);
  const handler = useRef(onEvent);
  useEffect(() => {
    handler.current = onEvent;
  });
  // By value: a caller's new array of the same topics keeps its subscriptions.
  const key = topics.join("\n");
  useEffect(() => {
    if (connection === null || key === "") return;
    const stops = key
      .split("\n")
      .map((topic) => connection.subscribe(topic, (event) => handler.current(event)));
    return () => stops.forEach((stop) => stop());
  }, [connection, key]);
}
