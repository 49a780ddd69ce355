/* A browser's push machinery for the tests (jsdom has none): the notification permission, a
 * service worker container and a push manager whose subscriptions the test inspects. Install
 * with `installFakePush()` and remove with `removeFakePush()` after each test. */
import { vi } from "vitest";

export class FakeSubscription {
  unsubscribed = false;

  constructor(
    readonly endpoint: string,
    readonly options: { applicationServerKey: ArrayBuffer | null; userVisibleOnly: boolean },
    private readonly browser: FakePushBrowser,
  ) {}

  toJSON() {
    return {
      endpoint: this.endpoint,
      expirationTime: null,
      keys: { p256dh: "BPublicKeyOfTheBrowser", auth: "authSecret" },
    };
  }

  async unsubscribe(): Promise<boolean> {
    this.unsubscribed = true;
    if (this.browser.subscription === this) this.browser.subscription = null;
    return true;
  }
}

export interface FakePushBrowser {
  /** `Notification.permission`. */
  permission: NotificationPermission;
  /** What the user answers when `Notification.requestPermission()` asks. */
  answer: NotificationPermission;
  /** Thrown by `pushManager.subscribe` (e.g. a DOMException AbortError without a push service). */
  subscribeError: Error | null;
  subscription: FakeSubscription | null;
  /** Each `serviceWorker.register(url, options)` call. */
  registered: { url: string; scope: string | undefined }[];
  /** Each `pushManager.subscribe(options)` call. */
  subscribed: PushSubscriptionOptionsInit[];
  /** A subscription this browser already has (with that application server key). */
  subscribedBefore(endpoint: string, applicationServerKey: Uint8Array): FakeSubscription;
}

const ENDPOINT = "https://push.example.org/send/fake-device";

export function installFakePush(overrides: Partial<FakePushBrowser> = {}): FakePushBrowser {
  let registered = false;
  const browser: FakePushBrowser = {
    permission: "default",
    answer: "granted",
    subscribeError: null,
    subscription: null,
    registered: [],
    subscribed: [],
    subscribedBefore(endpoint, key) {
      registered = true;
      const buffer = key.slice().buffer;
      browser.subscription = new FakeSubscription(
        endpoint,
        { applicationServerKey: buffer, userVisibleOnly: true },
        browser,
      );
      return browser.subscription;
    },
    ...overrides,
  };
  const pushManager = {
    getSubscription: async () => browser.subscription,
    subscribe: async (options: PushSubscriptionOptionsInit) => {
      browser.subscribed.push(options);
      if (browser.subscribeError) throw browser.subscribeError;
      const key = options.applicationServerKey as Uint8Array;
      browser.subscription = new FakeSubscription(
        ENDPOINT,
        { applicationServerKey: key.slice().buffer, userVisibleOnly: !!options.userVisibleOnly },
        browser,
      );
      return browser.subscription;
    },
  };
  const registration = { pushManager };
  const container = {
    register: async (url: string, options?: RegistrationOptions) => {
      browser.registered.push({ url, scope: options?.scope });
      registered = true;
      return registration;
    },
    get ready() {
      return Promise.resolve(registration);
    },
    getRegistration: async () => (registered ? registration : undefined),
  };
  Object.defineProperty(navigator, "serviceWorker", { configurable: true, value: container });
  Object.defineProperty(window, "isSecureContext", { configurable: true, value: true });
  vi.stubGlobal("PushManager", class {});
  vi.stubGlobal("Notification", {
    get permission() {
      return browser.permission;
    },
    requestPermission: async () => {
      if (browser.permission === "default") browser.permission = browser.answer;
      return browser.permission;
    },
  });
  return browser;
}

/** Back to jsdom's browser without push (PushManager and Notification go with unstubAllGlobals). */
export function removeFakePush(): void {
  Reflect.deleteProperty(navigator, "serviceWorker");
  Reflect.deleteProperty(window, "isSecureContext");
  vi.unstubAllGlobals();
}
