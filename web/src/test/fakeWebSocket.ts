/* A WebSocket stand-in for the tests (installed for every test by setup.ts): records each socket
 * the app opens and the frames it sends; the test plays the server. */
import { act, waitFor } from "@testing-library/react";
import { expect } from "vitest";

import type { ClientFrame, LiveEvent, ServerFrame } from "../live/protocol";

export class FakeWebSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  /** Every socket opened since the last `reset()`, oldest first. */
  static sockets: FakeWebSocket[] = [];

  static reset(): void {
    FakeWebSocket.sockets = [];
  }

  /** The newest socket. */
  static get last(): FakeWebSocket {
    const socket = FakeWebSocket.sockets.at(-1);
    if (socket === undefined) throw new Error("no WebSocket was opened");
    return socket;
  }

  readonly url: string;
  readonly protocols: string[];
  readyState = FakeWebSocket.CONNECTING;
  protocol = "";
  readonly sent: ClientFrame[] = [];
  closeCode: number | undefined;
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;

  constructor(url: string | URL, protocols?: string | string[]) {
    this.url = String(url);
    this.protocols = protocols === undefined ? [] : [protocols].flat();
    FakeWebSocket.sockets.push(this);
  }

  send(data: string): void {
    if (this.readyState !== FakeWebSocket.OPEN) throw new Error("send on a socket not open");
    this.sent.push(JSON.parse(data) as ClientFrame);
  }

  close(code?: number): void {
    this.closeCode = code;
    this.readyState = FakeWebSocket.CLOSED;
  }

  // --- the server's side -------------------------------------------------------------------

  /** Accepts the connection (answering subprotocol `bearer`) and sends the welcome. */
  accept(heartbeatSeconds = 30): void {
    this.readyState = FakeWebSocket.OPEN;
    this.protocol = "bearer";
    this.onopen?.(new Event("open"));
    this.receive({ type: "welcome", user_id: "u", heartbeat_seconds: heartbeatSeconds });
  }

  receive(frame: ServerFrame): void {
    this.onmessage?.(new MessageEvent("message", { data: JSON.stringify(frame) }));
  }

  /** The server (or the network) ends the connection. */
  drop(code = 1006): void {
    this.readyState = FakeWebSocket.CLOSED;
    this.onclose?.(new CloseEvent("close", { code }));
  }

  /** The topics subscribed on this socket, in order. */
  get subscriptions(): Extract<ClientFrame, { type: "subscribe" }>[] {
    return this.sent.filter((frame) => frame.type === "subscribe");
  }
}

let eventCount = 0;

/** An event frame as the gateway sends it; a fresh id unless given. */
export function liveEvent<E extends LiveEvent["event"]>(
  event: E,
  topic: string,
  data: Extract<LiveEvent, { event: E }>["data"],
  id = `event-${++eventCount}`,
): LiveEvent {
  return { type: "event", event, topic, id, at: new Date().toISOString(), data } as LiveEvent;
}

/** Waits for the app to open its live connection and accepts it, as the gateway would. */
export async function acceptLive(): Promise<FakeWebSocket> {
  await waitFor(() => expect(FakeWebSocket.sockets).not.toHaveLength(0));
  const socket = FakeWebSocket.last;
  act(() => socket.accept());
  return socket;
}

/** Sends a frame on the socket inside act(), so React renders what it causes. */
export function serverSends(socket: FakeWebSocket, frame: ServerFrame): void {
  act(() => socket.receive(frame));
}
