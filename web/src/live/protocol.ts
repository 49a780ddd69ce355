/** The gateway's WebSocket protocol (`/ws`): what the server sends and what the client may. */

export type Severity = "info" | "warning" | "critical";

/** `alert.critical`: a reading beyond a critical limit, per vital sign its value and flag. */
export interface CriticalAlertData {
  patient_id: string;
  vital_signs_id: string;
  values: Record<string, number>;
  flags: Record<string, string>;
  ward_id: string | null;
  bed_id: string | null;
  recorded_at: string;
}

/** `notification.new`: what the notification centre lists (never a clinical message's body). */
export interface NotificationNewData {
  notification_id: string;
  kind: string;
  severity: Severity;
  title: string;
  created_at: string;
  patient_id: string | null;
  facility_id: string | null;
}

/** `vitals.update`: a patient has a new set of vital signs. */
export interface VitalsUpdateData {
  patient_id: string;
  vital_signs_id: string;
  critical: boolean;
  flags: Record<string, string>;
  ward_id: string | null;
  recorded_at: string;
}

interface EventFrame<E extends string, D> {
  type: "event";
  event: E;
  topic: string;
  id: string;
  /** When the server published it (ISO 8601); the `since` of a later subscribe. */
  at: string;
  data: D;
}

export type LiveEvent =
  | EventFrame<"alert.critical", CriticalAlertData>
  | EventFrame<"notification.new", NotificationNewData>
  | EventFrame<"vitals.update", VitalsUpdateData>
  | EventFrame<"appointment.updated", Record<string, unknown>>;

export type ServerFrame =
  | { type: "welcome"; user_id: string; heartbeat_seconds: number }
  | LiveEvent
  | { type: "ping"; at: string }
  | { type: "pong" }
  | { type: "subscribed"; topic: string }
  | { type: "error"; topic?: string; status: number; detail: string };

export type ClientFrame =
  | { type: "subscribe"; topic: string; since?: string }
  | { type: "unsubscribe"; topic: string }
  | { type: "ping" };

/** The subscribable topics. */
export const topics = {
  notifications: "notifications",
  patient: (patientId: string) => `patient:${patientId}`,
  ward: (wardId: string) => `ward:${wardId}`,
  facility: (facilityId: string) => `facility:${facilityId}`,
};

/** The server closes with this code when the access token has expired. */
export const TOKEN_EXPIRED = 4401;

/** A frame as the server sent it, or null for anything that is not one (never throws). */
export function parseFrame(text: unknown): ServerFrame | null {
  if (typeof text !== "string") return null;
  try {
    const frame: unknown = JSON.parse(text);
    return frame && typeof frame === "object" && "type" in frame ? (frame as ServerFrame) : null;
  } catch {
    return null;
  }
}
