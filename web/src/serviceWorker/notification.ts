/* What a push message becomes on screen. Pure, so the worker's mapping is unit-tested; the
 * worker (sw.ts) only wires it to the push and notificationclick events. */

/** The page a notification opens when its message names none: the notification centre. */
export const NOTIFICATION_CENTRE = "/notifications";

// Shown if a message arrives without a title (a browser must show something for every push).
const APP_NAME = "NileCare";

/** The JSON the notification service's push channel sends
 * (nilecare/services/notification/channels/webpush.py): keep the two in sync. `reference` is
 * the delivery's id; `url` the app's page the message is about (a patient's chart). */
export interface PushPayload {
  title?: string;
  body?: string;
  reference?: string;
  url?: string;
}

export interface ShownNotification {
  title: string;
  options: NotificationOptions;
}

/** The notification for a push message's text (null when the message carried no data). */
export function notificationFromPush(text: string | null): ShownNotification {
  const payload = parsePayload(text);
  return {
    title: payload.title || APP_NAME,
    options: {
      body: payload.body ?? "",
      // Arabic or English, whichever the user's messages are in: the system lays it out.
      dir: "auto",
      // A delivery retried after a lost acknowledgement replaces its first copy.
      tag: payload.reference,
      data: { url: payload.url || NOTIFICATION_CENTRE },
    },
  };
}

/** The absolute URL a click opens: the notification's own page on this origin, never another. */
export function clickTarget(data: unknown, origin: string): string {
  const path =
    data && typeof data === "object" && typeof (data as { url?: unknown }).url === "string"
      ? (data as { url: string }).url
      : NOTIFICATION_CENTRE;
  const url = new URL(path, origin);
  return url.origin === origin ? url.href : new URL(NOTIFICATION_CENTRE, origin).href;
}

function parsePayload(text: string | null): PushPayload {
  if (!text) return {};
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === "object") {
      const fields = value as Record<string, unknown>;
      const text = (name: keyof PushPayload) =>
        typeof fields[name] === "string" ? fields[name] : undefined;
      return {
        title: text("title"),
        body: text("body"),
        reference: text("reference"),
        url: text("url"),
      };
    }
  } catch {
    // Not JSON: shown as the body below.
  }
  return { body: text };
}
