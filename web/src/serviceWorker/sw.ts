/* The app's service worker, built to /sw.js so its scope is the whole app. It shows Web Push
 * messages and opens the app when one is clicked; it has no fetch handler, so it never stands
 * between the app and the network. Type-checked with tsconfig.worker.json (WebWorker types). */
import { clickTarget, notificationFromPush } from "./notification";

declare const self: ServiceWorkerGlobalScope;

// A new release's worker takes over at once: it holds no state an open page depends on.
self.addEventListener("install", () => void self.skipWaiting());

self.addEventListener("push", (event) => {
  const { title, options } = notificationFromPush(event.data?.text() ?? null);
  event.waitUntil(self.registration.showNotification(title, options));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  event.waitUntil(openApp(clickTarget(event.notification.data, self.location.origin)));
});

/** Focuses a window of the app that is already open (the bell there shows the notification;
 * navigating it could lose a form being filled in), else opens the notification's page. */
async function openApp(url: string): Promise<void> {
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  const open = windows.find((client) => client.url === url) ?? windows[0];
  if (open) {
    await open.focus();
  } else {
    await self.clients.openWindow(url);
  }
}
