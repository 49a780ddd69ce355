/* The app's service worker, built to /sw.js so its scope is the whole app. It shows Web Push
 * messages and opens the app when one is clicked; it has no fetch handler, so it never stands
 * between the app and the network. Type-checked with tsconfig.worker.json (WebWorker types). */
import { clickTarget, notificationFromPush } from "./notification";

declare const self: ServiceWorkerGlobalScope;

// A new release's worker takes over at once: it holds no state an open page depends on. It
// controls the app's open windows at once too, so a click can navigate them (below).
self.addEventListener("install", () => void self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("push", (event) => {
  const { title, options } = notificationFromPush(event.data?.text() ?? null);
  event.waitUntil(self.registration.showNotification(title, options));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  event.waitUntil(openApp(clickTarget(event.notification.data, self.location.origin)));
});

/** Brings the app to the notification's page: a window already showing it is focused; else an
 * open window of the app is focused and taken there (as the alert banner's link would: the
 * session lives in that tab); else a new window opens it (signing in first if need be). */
async function openApp(url: string): Promise<void> {
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  const showing = windows.find((client) => client.url === url);
  const open = showing ?? windows.find((client) => client.focused) ?? windows[0];
  if (!open) {
    await self.clients.openWindow(url);
    return;
  }
  await open.focus();
  // Only a window this worker controls can be navigated; another is left focused where it is.
  if (!showing) await open.navigate(url).catch(() => null);
}
