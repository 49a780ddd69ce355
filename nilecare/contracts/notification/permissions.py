"""Permissions of the notification service (granted to roles by the auth service)."""

from __future__ import annotations

# One's own notification centre: list, read, mark read, see one's own deliveries.
NOTIFICATION_INBOX_READ = "notification.inbox.read"
# One's own preferences and Web Push subscriptions.
NOTIFICATION_PREFERENCE_MANAGE = "notification.preference.manage"
# Delivery tracking of anyone's notifications in the caller's facilities (administrators).
NOTIFICATION_DELIVERY_READ = "notification.delivery.read"
# Ask for a message to be sent (services only: the auth service's password-reset mail).
NOTIFICATION_SEND = "notification.send"

ALL_PERMISSIONS = (
    NOTIFICATION_INBOX_READ,
    NOTIFICATION_PREFERENCE_MANAGE,
    NOTIFICATION_DELIVERY_READ,
    NOTIFICATION_SEND,
)
