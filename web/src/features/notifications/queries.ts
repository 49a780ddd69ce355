import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api, call, type Schemas } from "../../api/client";
import { useSession } from "../../auth/store";
import { useLiveTopic } from "../../live/LiveProvider";
import { topics } from "../../live/protocol";

export type NotificationRead = Schemas["NotificationRead"];
export type NotificationPreferences = Schemas["Preferences"];

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
