"""Alembic migrations of the notification service."""
