"""The notification service: templates, notifications, channels, delivery tracking, preferences."""
