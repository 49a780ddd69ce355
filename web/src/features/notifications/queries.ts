import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { useSession } from "../../auth/store";
import { useLiveTopic } from "../../live/LiveProvider";
import { topics } from "../../live/protocol";
import {
  getPreferences,
  getUnreadCount,
  listNotifications,
  markAllRead,
  markRead,
  savePreferences,
  type NotificationPreferences,
  type NotificationQuery,
} from "./notificationApi";

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
    queryFn: getUnreadCount,
    select: (answer) => answer.unread,
    enabled: signedIn,
  });
}

export function useNotifications(query: NotificationQuery, enabled = true) {
  return useQuery({
    queryKey: notificationKeys.list(query),
    queryFn: async () => {
      const page = await listNotifications(query);
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
    mutationFn: markRead,
    onSettled: () => queryClient.invalidateQueries({ queryKey: notificationKeys.all }),
  });
}

export function useMarkAllRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: markAllRead,
    onSettled: () => queryClient.invalidateQueries({ queryKey: notificationKeys.all }),
  });
}

export function usePreferences() {
  return useQuery({ queryKey: notificationKeys.preferences, queryFn: getPreferences });
}

export function useSavePreferences() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (preferences: NotificationPreferences) => savePreferences(preferences),
    onSuccess: (_, sent) => {
      queryClient.setQueryData(notificationKeys.preferences, sent);
      void queryClient.invalidateQueries({ queryKey: notificationKeys.preferences });
    },
  });
}
