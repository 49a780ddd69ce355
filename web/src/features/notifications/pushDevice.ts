/* This browser's side of Web Push: whether it can, the permission, the service worker and its
 * push subscription. The server's side (the VAPID key, the subscriptions it sends to) is in
 * queries.ts. */

/** Built from src/serviceWorker/sw.ts; at the root, so its scope is the whole app. */
export const SERVICE_WORKER_URL = "/sw.js";
const SCOPE = "/";

/** Service workers and push exist only in secure contexts: https, or http on localhost. */
export function pushSupported(): boolean {
  return (
    window.isSecureContext === true &&
    "serviceWorker" in navigator &&
    "PushManager" in window &&
    "Notification" in window
  );
}

/** This browser's push subscription, if it has one (without registering anything). */
export async function currentSubscription(): Promise<PushSubscription | null> {
  const registration = await navigator.serviceWorker.getRegistration(SCOPE);
  return (await registration?.pushManager.getSubscription()) ?? null;
}

/** Registers the worker and subscribes with the server's key. A subscription made with another
 * key (the server's key was changed) cannot be used: it is replaced. Throws the browser's
 * DOMException when subscribing fails (AbortError: no push service, e.g. headless browsers). */
export async function subscribe(applicationServerKey: string): Promise<PushSubscription> {
  await navigator.serviceWorker.register(SERVICE_WORKER_URL, { scope: SCOPE });
  const registration = await navigator.serviceWorker.ready;
  const key = base64UrlToBytes(applicationServerKey);
  const existing = await registration.pushManager.getSubscription();
  if (existing && sameBytes(existing.options.applicationServerKey, key)) return existing;
  await existing?.unsubscribe();
  return registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
}

/** URL-safe base64 without padding (how the API gives the key) to the bytes the browser takes. */
export function base64UrlToBytes(text: string): Uint8Array<ArrayBuffer> {
  const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

function sameBytes(buffer: ArrayBuffer | null, bytes: Uint8Array): boolean {
  if (buffer === null || buffer.byteLength !== bytes.length) return false;
  const other = new Uint8Array(buffer);
  return bytes.every((byte, i) => other[i] === byte);
}
