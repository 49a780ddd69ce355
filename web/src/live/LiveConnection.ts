import { parseFrame, TOKEN_EXPIRED, type ClientFrame, type LiveEvent } from "./protocol";

export type LiveStatus = "connecting" | "open" | "offline";

export type LiveListener = (event: LiveEvent) => void;

export interface LiveOptions {
  url: string;
  /** The access token to connect with; null once signed out. */
  token: () => string | null;
  /** Swaps the refresh token for a fresh access token; false when that failed. */
  refresh: () => Promise<boolean>;
  onStatus?: (status: LiveStatus) => void;
  /** Jitter in [0, 1): spreads the reconnects of a ward's screens after a gateway restart. */
  random?: () => number;
}

const BACKOFF_FIRST_MS = 1_000;
const BACKOFF_MAX_MS = 30_000;
// Until the welcome says otherwise.
const DEFAULT_HEARTBEAT_SECONDS = 30;
// A connection silent for this many heartbeats is dead even if the browser has not noticed.
const SILENT_HEARTBEATS = 2.5;
// Error statuses after which a topic is not asked for again.
const REFUSALS = [403, 404, 422];
// Event ids remembered per connection, to drop the re-sent ones after a resubscribe.
const SEEN_LIMIT = 2_000;

/** One WebSocket to the gateway for the signed-in session: topics subscribed by listeners,
 * reconnected with backoff (with a fresh token after 4401), resubscribed with `since` so missed
 * alerts arrive, a silent connection replaced, duplicate events dropped. */
export class LiveConnection {
  private socket: WebSocket | null = null;
  private token: string | null = null;
  private welcomed = false;
  private closed = false;
  private attempt = 0;
  private heartbeatMs = DEFAULT_HEARTBEAT_SECONDS * 1000;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private watchdog: ReturnType<typeof setTimeout> | undefined;
  private readonly listeners = new Map<string, Set<LiveListener>>();
  /** Per topic, the `at` of the newest event seen: the `since` of its next subscribe. */
  private readonly lastSeen = new Map<string, string>();
  /** Topics the server refused (403, 404): not asked for again until subscribed anew. */
  private readonly refused = new Set<string>();
  private readonly seen = new Set<string>();

  constructor(private readonly options: LiveOptions) {
    this.connect();
  }

  /** Listens to a topic (subscribing it on the first listener); returns the way to stop. */
  subscribe(topic: string, listener: LiveListener): () => void {
    let listeners = this.listeners.get(topic);
    if (listeners === undefined) {
      listeners = new Set();
      this.listeners.set(topic, listeners);
      this.sendSubscribe(topic);
    }
    listeners.add(listener);
    const own = listeners;
    return () => {
      own.delete(listener);
      if (own.size > 0 || this.listeners.get(topic) !== own) return;
      this.listeners.delete(topic);
      this.lastSeen.delete(topic);
      this.refused.delete(topic);
      this.send({ type: "unsubscribe", topic });
    };
  }

  /** Ends the connection for good (logout). */
  close(): void {
    this.closed = true;
    clearTimeout(this.retryTimer);
    this.drop(1000);
    this.setStatus("offline");
  }

  private connect(): void {
    if (this.closed) return;
    const token = this.options.token();
    if (token === null) return;
    let socket: WebSocket;
    try {
      socket = new WebSocket(this.options.url, ["bearer", token]);
    } catch {
      this.retryLater();
      return;
    }
    this.socket = socket;
    this.token = token;
    this.welcomed = false;
    this.setStatus("connecting");
    socket.onopen = () => this.socket === socket && this.watch();
    socket.onmessage = (message: MessageEvent) => this.socket === socket && this.receive(message);
    socket.onclose = (event: CloseEvent) => this.socket === socket && this.lost(event.code);
  }

  private receive(message: MessageEvent): void {
    this.watch();
    const frame = parseFrame(message.data);
    if (frame === null) return;
    switch (frame.type) {
      case "welcome":
        this.welcomed = true;
        this.attempt = 0;
        this.heartbeatMs = (frame.heartbeat_seconds || DEFAULT_HEARTBEAT_SECONDS) * 1000;
        this.watch();
        this.setStatus("open");
        for (const topic of this.listeners.keys()) this.sendSubscribe(topic);
        return;
      case "event":
        this.deliver(frame);
        return;
      case "error":
        // Forbidden, unknown or malformed stays so; 429 and 503 are worth asking again.
        if (frame.topic && REFUSALS.includes(frame.status)) this.refused.add(frame.topic);
        return;
      default:
        return; // ping, pong, subscribed: proof of life, counted by watch() above
    }
  }

  private deliver(event: LiveEvent): void {
    // The same event may reach several topics (a facility's and a patient's): one per topic.
    const key = `${event.topic} ${event.id}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    if (this.seen.size > SEEN_LIMIT) this.seen.delete(this.seen.values().next().value ?? key);
    const previous = this.lastSeen.get(event.topic);
    if (previous === undefined || Date.parse(event.at) > Date.parse(previous)) {
      this.lastSeen.set(event.topic, event.at);
    }
    for (const listener of [...(this.listeners.get(event.topic) ?? [])]) listener(event);
  }

  private lost(code: number): void {
    this.drop();
    if (this.closed) return;
    this.setStatus("offline");
    if (code !== TOKEN_EXPIRED) {
      this.retryLater();
      return;
    }
    // The session may have refreshed its token meanwhile; otherwise ask for a fresh one.
    if (this.options.token() !== this.token) {
      this.connect();
      return;
    }
    void this.options.refresh().then((fresh) => (fresh ? this.connect() : this.retryLater()));
  }

  /** Forgets the current socket (closing it when still open) without reconnecting. */
  private drop(code?: number): void {
    clearTimeout(this.watchdog);
    const socket = this.socket;
    this.socket = null;
    this.welcomed = false;
    if (socket && socket.readyState < WebSocket.CLOSING) socket.close(code);
  }

  /** Re-arms the dead-connection timer: no frame within a few heartbeats replaces the socket. */
  private watch(): void {
    clearTimeout(this.watchdog);
    this.watchdog = setTimeout(() => this.lost(1006), this.heartbeatMs * SILENT_HEARTBEATS);
  }

  private retryLater(): void {
    const ceiling = Math.min(BACKOFF_FIRST_MS * 2 ** this.attempt, BACKOFF_MAX_MS);
    const jitter = 0.5 + 0.5 * (this.options.random ?? Math.random)();
    this.attempt += 1;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.connect(), ceiling * jitter);
  }

  private sendSubscribe(topic: string): void {
    if (this.refused.has(topic)) return;
    const since = this.lastSeen.get(topic);
    this.send(
      since === undefined ? { type: "subscribe", topic } : { type: "subscribe", topic, since },
    );
  }

  private send(frame: ClientFrame): void {
    if (this.socket?.readyState !== WebSocket.OPEN || !this.welcomed) return;
    this.socket.send(JSON.stringify(frame));
  }

  private setStatus(status: LiveStatus): void {
    this.options.onStatus?.(status);
  }
}
