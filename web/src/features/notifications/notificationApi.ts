/* The notification service's calls, typed here until its paths are in web/openapi.json (then
 * these become `api.GET("/api/v1/notifications", …)` calls on the generated client). */
import { problemFrom } from "../../api/problem";
import { sessionFetch } from "../../auth/session";
import type { Language } from "../../i18n/languages";
import type { Severity } from "../../live/protocol";

export interface NotificationRead {
  id: string;
  kind: string;
  severity: Severity;
  title: string;
  body: string;
  patient_id: string | null;
  facility_id: string | null;
  created_at: string;
  read_at: string | null;
}

export interface NotificationPage {
  items: NotificationRead[];
  total: number;
  unread: number;
}

export interface NotificationPreferences {
  language: Language;
  channels: { email: boolean; sms: boolean; push: boolean };
  /** Local times ("22:00"; may cross midnight) when only critical alerts are sent; null: none. */
  quiet_hours: { start: string; end: string } | null;
  /** The zone of the quiet hours (Africa/Khartoum unless changed elsewhere). */
  timezone: string;
}

export interface NotificationQuery {
  unread?: boolean;
  limit: number;
  offset: number;
}

const BASE = "/api/v1/notifications";

async function send<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await sessionFetch(
    new Request(new URL(`${BASE}${path}`, window.location.origin), {
      method,
      headers: body === undefined ? undefined : { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
  );
  if (!response.ok) throw await problemFrom(response);
  return (response.status === 204 ? undefined : await response.json()) as T;
}

export function listNotifications({ unread, limit, offset }: NotificationQuery) {
  const query = new URLSearchParams({ limit: String(limit), offset: String(offset) });
  if (unread) query.set("unread", "true");
  return send<NotificationPage>("GET", `?${query}`);
}

export function getUnreadCount() {
  return send<{ unread: number }>("GET", "/unread-count");
}

export function markRead(notificationId: string) {
  return send<void>("POST", `/${encodeURIComponent(notificationId)}/read`);
}

export function markAllRead() {
  return send<void>("POST", "/read-all");
}

export function getPreferences() {
  return send<NotificationPreferences>("GET", "/preferences");
}

export function savePreferences(preferences: NotificationPreferences) {
  return send<unknown>("PUT", "/preferences", preferences);
}
