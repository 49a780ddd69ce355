"""Alembic environment of the notification service."""

from nilecare.kernel.db.migrations import run_migrations
from nilecare.services.notification.models import metadata

run_migrations(metadata)
