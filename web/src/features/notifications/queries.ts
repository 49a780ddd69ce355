import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api, call, type Schemas } from "../../api/client";
import { isProblem } from "../../api/problem";
import { useSession } from "../../auth/store";
import { useLiveTopic } from "../../live/LiveProvider";
import { topics } from "../../live/protocol";
import { currentSubscription, pushSupported, subscribe } from "./pushDevice";

export type NotificationRead = Schemas["NotificationRead"];
export type NotificationPreferences = Schemas["Preferences"];
type PushSubscriptionCreate = Schemas["PushSubscriptionCreate"];

export interface NotificationQuery {
  unread?: boolean;
  limit: number;
  offset: number;
}

export const notificationKeys = {
  all: ["notifications"] as const,
  unreadCount: ["notifications", "unread-count"] as const,
  list: (query: NotificationQuery) => ["notifications", "list", query] as const,
  preferences: ["notification-preferences"] as const,
  vapidKey: ["push", "vapid-public-key"] as const,
  device: ["push", "device"] as const,
};

export function useUnreadCount() {
  const signedIn = useSession((s) => s.me !== null);
  return useQuery({
    queryKey: notificationKeys.unreadCount,
    queryFn: () => call(api.GET("/api/v1/notifications/unread-count")),
    select: (answer) => answer.unread,
    enabled: signedIn,
  });
}

/** A page of the user's notifications, newest first; `unread` keeps only the unread ones. */
export function useNotifications({ unread, limit, offset }: NotificationQuery, enabled = true) {
  return useQuery({
    queryKey: notificationKeys.list({ unread, limit, offset }),
    queryFn: async ({ signal }) => {
      const page = await call(
        api.GET("/api/v1/notifications", {
          params: { query: { unread: unread || undefined, limit, offset } },
          signal,
        }),
      );
      return {
        ...page,
        items: [...page.items].sort((a, b) => b.created_at.localeCompare(a.created_at)),
      };
    },
    placeholderData: keepPreviousData,
    enabled,
  });
}

/** Keeps every notification list and the count current: a new one arrives live. */
export function useNotificationFeed(): void {
  const queryClient = useQueryClient();
  useLiveTopic(topics.notifications, (event) => {
    if (event.event === "notification.new") {
      void queryClient.invalidateQueries({ queryKey: notificationKeys.all });
    }
  });
}

export function useMarkRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (notificationId: string) =>
      call(
        api.POST("/api/v1/notifications/{notification_id}/read", {
          params: { path: { notification_id: notificationId } },
        }),
      ),
    onSettled: () => queryClient.invalidateQueries({ queryKey: notificationKeys.all }),
  });
}

export function useMarkAllRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => call(api.POST("/api/v1/notifications/read-all")),
    onSettled: () => queryClient.invalidateQueries({ queryKey: notificationKeys.all }),
  });
}

export function usePreferences() {
  return useQuery({
    queryKey: notificationKeys.preferences,
    queryFn: () => call(api.GET("/api/v1/notifications/preferences")),
  });
}

export function useSavePreferences() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: NotificationPreferences) =>
      call(api.PUT("/api/v1/notifications/preferences", { body })),
    onSuccess: (saved) => queryClient.setQueryData(notificationKeys.preferences, saved),
  });
}

/** The application server key browsers subscribe with; a 404 `push-not-configured` problem
 * when the server has no Web Push. */
export function useVapidKey(enabled: boolean) {
  return useQuery({
    queryKey: notificationKeys.vapidKey,
    queryFn: () => call(api.GET("/api/v1/notifications/push/vapid-public-key")),
    select: (answer) => answer.public_key,
    staleTime: Infinity,
    enabled,
  });
}

/** This browser's push subscription and, when the server has it for this user, its id there.
 * Push is on for this device when both exist. */
export interface PushDevice {
  subscription: PushSubscription | null;
  subscriptionId: string | null;
}

export function usePushDevice(enabled: boolean) {
  return useQuery({ queryKey: notificationKeys.device, queryFn: findPushDevice, enabled });
}

async function findPushDevice(): Promise<PushDevice> {
  const [subscription, registered] = await Promise.all([
    currentSubscription(),
    call(api.GET("/api/v1/notifications/push-subscriptions")),
  ]);
  const endpoint = subscription && new URL(subscription.endpoint).href;
  const mine = registered.find((row) => new URL(row.endpoint).href === endpoint);
  return { subscription, subscriptionId: mine?.id ?? null };
}

/** The browser said no to notifications (now, or earlier and remembered). */
export class PermissionRefused extends Error {
  constructor() {
    super("notification permission refused");
    this.name = "PermissionRefused";
  }
}

/** Asks for permission, subscribes this browser with the server's key and registers the
 * subscription with the API. */
export function useEnablePush() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (applicationServerKey: string) => {
      if ((await Notification.requestPermission()) !== "granted") throw new PermissionRefused();
      const subscription = await subscribe(applicationServerKey);
      const body = subscriptionBody(subscription);
      await call(api.POST("/api/v1/notifications/push-subscriptions", { body }));
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: notificationKeys.device }),
  });
}

/** Stops push to this browser: the server forgets the subscription, then the browser drops it. */
export function useDisablePush() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: stopPush,
    onSettled: () => queryClient.invalidateQueries({ queryKey: notificationKeys.device }),
  });
}

/** Before logging out (while the token still works): push to this browser stops with the
 * session, so on a shared ward computer the next user never gets the last one's alerts. */
export async function stopPushOnThisDevice(): Promise<void> {
  if (!pushSupported() || !(await currentSubscription())) return;
  await stopPush(await findPushDevice());
}

async function stopPush({ subscription, subscriptionId }: PushDevice): Promise<void> {
  if (subscriptionId) {
    const removed = call(
      api.DELETE("/api/v1/notifications/push-subscriptions/{subscription_id}", {
        params: { path: { subscription_id: subscriptionId } },
      }),
    );
    // Already gone (the push service had dropped it): nothing left to remove there.
    await removed.catch((error: unknown) => {
      if (!(isProblem(error) && error.status === 404)) throw error;
    });
  }
  await subscription?.unsubscribe();
}

function subscriptionBody(subscription: PushSubscription): PushSubscriptionCreate {
  const { endpoint, expirationTime, keys } = subscription.toJSON();
  if (!endpoint || !keys?.p256dh || !keys.auth) throw new Error("the subscription has no keys");
  return { endpoint, expirationTime, keys: { p256dh: keys.p256dh, auth: keys.auth } };
}
