"""Revisions of the notification service."""
