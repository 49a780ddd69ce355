import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { FakeWebSocket } from "../test/fakeWebSocket";
import { LiveConnection, type LiveOptions } from "./LiveConnection";
import type { LiveEvent } from "./protocol";

const TOPIC = "facility:f1";

function alert(id: string, at: string, topic = TOPIC): LiveEvent {
  return {
    type: "event",
    event: "alert.critical",
    topic,
    id,
    at,
    data: {
      patient_id: "p1",
      vital_signs_id: id,
      values: { heart_rate: 170 },
      flags: { heart_rate: "critical" },
      ward_id: null,
      bed_id: null,
      recorded_at: at,
    },
  };
}

let token: string | null;
let connection: LiveConnection | null;

function open(overrides: Partial<LiveOptions> = {}): LiveConnection {
  connection = new LiveConnection({
    url: "ws://localhost/ws",
    token: () => token,
    refresh: async () => true,
    random: () => 1, // no jitter: the full backoff
    ...overrides,
  });
  return connection;
}

beforeEach(() => {
  vi.useFakeTimers();
  token = "access-1";
  connection = null;
});

afterEach(() => {
  connection?.close();
  vi.useRealTimers();
});

describe("LiveConnection", () => {
  it("connects with the access token as the bearer subprotocol", () => {
    open();
    expect(FakeWebSocket.last.url).toBe("ws://localhost/ws");
    expect(FakeWebSocket.last.protocols).toEqual(["bearer", "access-1"]);
  });

  it("subscribes a listener's topic once welcomed and delivers its events", () => {
    const live = open();
    const events: LiveEvent[] = [];
    live.subscribe(TOPIC, (event) => events.push(event));
    expect(FakeWebSocket.last.sent).toEqual([]);
    FakeWebSocket.last.accept();
    expect(FakeWebSocket.last.subscriptions).toEqual([{ type: "subscribe", topic: TOPIC }]);
    FakeWebSocket.last.receive(alert("e1", "2026-06-16T08:00:00Z"));
    FakeWebSocket.last.receive(alert("e9", "2026-06-16T08:00:00Z", "facility:other"));
    expect(events.map((event) => event.id)).toEqual(["e1"]);
  });

  it("unsubscribes a topic when its last listener stops", () => {
    const live = open();
    FakeWebSocket.last.accept();
    const stopFirst = live.subscribe(TOPIC, () => undefined);
    const stopSecond = live.subscribe(TOPIC, () => undefined);
    stopFirst();
    expect(FakeWebSocket.last.sent.filter((f) => f.type === "unsubscribe")).toEqual([]);
    stopSecond();
    expect(FakeWebSocket.last.sent.at(-1)).toEqual({ type: "unsubscribe", topic: TOPIC });
  });

  it("reconnects with a doubling backoff and resubscribes with the time of the last event", () => {
    const live = open();
    live.subscribe(TOPIC, () => undefined);
    FakeWebSocket.last.accept();
    FakeWebSocket.last.receive(alert("e2", "2026-06-16T08:05:00Z"));
    FakeWebSocket.last.receive(alert("e1", "2026-06-16T08:00:00Z"));

    FakeWebSocket.last.drop();
    vi.advanceTimersByTime(999);
    expect(FakeWebSocket.sockets).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(FakeWebSocket.sockets).toHaveLength(2);
    FakeWebSocket.last.drop(); // refused again: the next try waits twice as long
    vi.advanceTimersByTime(1_999);
    expect(FakeWebSocket.sockets).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(FakeWebSocket.sockets).toHaveLength(3);

    FakeWebSocket.last.accept();
    expect(FakeWebSocket.last.subscriptions).toEqual([
      { type: "subscribe", topic: TOPIC, since: "2026-06-16T08:05:00Z" },
    ]);
  });

  it("starts the backoff again after a welcome", () => {
    open();
    FakeWebSocket.last.drop();
    vi.advanceTimersByTime(1_000);
    FakeWebSocket.last.drop();
    vi.advanceTimersByTime(2_000);
    FakeWebSocket.last.accept();
    FakeWebSocket.last.drop();
    vi.advanceTimersByTime(1_000);
    expect(FakeWebSocket.sockets).toHaveLength(4);
  });

  it("drops an event it has already delivered on that topic", () => {
    const live = open();
    const events: string[] = [];
    live.subscribe(TOPIC, (event) => events.push(`${event.topic} ${event.id}`));
    live.subscribe("patient:p1", (event) => events.push(`${event.topic} ${event.id}`));
    FakeWebSocket.last.accept();
    FakeWebSocket.last.receive(alert("e1", "2026-06-16T08:00:00Z"));
    FakeWebSocket.last.receive(alert("e1", "2026-06-16T08:00:00Z", "patient:p1"));
    FakeWebSocket.last.drop();
    vi.advanceTimersByTime(1_000);
    FakeWebSocket.last.accept();
    // The server re-sends the active alerts on subscribe.
    FakeWebSocket.last.receive(alert("e1", "2026-06-16T08:00:00Z"));
    FakeWebSocket.last.receive(alert("e2", "2026-06-16T08:01:00Z"));
    expect(events).toEqual([`${TOPIC} e1`, "patient:p1 e1", `${TOPIC} e2`]);
  });

  it("refreshes the token after close 4401 and reconnects with the fresh one at once", async () => {
    const refresh = vi.fn(async () => {
      token = "access-2";
      return true;
    });
    open({ refresh });
    FakeWebSocket.last.accept();
    FakeWebSocket.last.drop(4401);
    await vi.waitFor(() => expect(FakeWebSocket.sockets).toHaveLength(2));
    expect(refresh).toHaveBeenCalledOnce();
    expect(FakeWebSocket.last.protocols).toEqual(["bearer", "access-2"]);
  });

  it("uses a token the session refreshed meanwhile without refreshing again", () => {
    const refresh = vi.fn(async () => true);
    open({ refresh });
    FakeWebSocket.last.accept();
    token = "access-2";
    FakeWebSocket.last.drop(4401);
    expect(refresh).not.toHaveBeenCalled();
    expect(FakeWebSocket.last.protocols).toEqual(["bearer", "access-2"]);
  });

  it("backs off when the refresh after 4401 fails", async () => {
    const refresh = vi.fn(async () => false);
    open({ refresh });
    FakeWebSocket.last.drop(4401);
    await vi.waitFor(() => expect(refresh).toHaveBeenCalledOnce());
    expect(FakeWebSocket.sockets).toHaveLength(1);
    vi.advanceTimersByTime(1_000);
    expect(FakeWebSocket.sockets).toHaveLength(2);
  });

  it("replaces a connection silent for two and a half heartbeats", () => {
    open();
    const first = FakeWebSocket.last;
    first.accept(10);
    vi.advanceTimersByTime(20_000);
    first.receive({ type: "ping", at: "2026-06-16T08:00:20Z" });
    vi.advanceTimersByTime(24_999);
    expect(first.readyState).toBe(FakeWebSocket.OPEN);
    vi.advanceTimersByTime(1);
    expect(first.readyState).toBe(FakeWebSocket.CLOSED);
    vi.advanceTimersByTime(1_000);
    expect(FakeWebSocket.sockets).toHaveLength(2);
  });

  it("stops asking for a topic the server refused", () => {
    const live = open();
    live.subscribe("facility:elsewhere", () => undefined);
    FakeWebSocket.last.accept();
    FakeWebSocket.last.receive({
      type: "error",
      topic: "facility:elsewhere",
      status: 403,
      detail: "not your facility",
    });
    FakeWebSocket.last.drop();
    vi.advanceTimersByTime(1_000);
    FakeWebSocket.last.accept();
    expect(FakeWebSocket.last.subscriptions).toEqual([]);
  });

  it("asks again after a passing error such as 503", () => {
    const live = open();
    live.subscribe(TOPIC, () => undefined);
    FakeWebSocket.last.accept();
    FakeWebSocket.last.receive({
      type: "error",
      topic: TOPIC,
      status: 503,
      detail: "Missed alerts cannot be loaded right now",
    });
    FakeWebSocket.last.drop();
    vi.advanceTimersByTime(1_000);
    FakeWebSocket.last.accept();
    expect(FakeWebSocket.last.subscriptions).toEqual([{ type: "subscribe", topic: TOPIC }]);
  });

  it("closes for good and reports offline", () => {
    const statuses: string[] = [];
    const live = open({ onStatus: (status) => statuses.push(status) });
    FakeWebSocket.last.accept();
    live.close();
    expect(FakeWebSocket.last.closeCode).toBe(1000);
    vi.advanceTimersByTime(60_000);
    expect(FakeWebSocket.sockets).toHaveLength(1);
    expect(statuses).toEqual(["connecting", "open", "offline"]);
  });
});
