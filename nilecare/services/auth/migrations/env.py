"""Alembic environment of the auth service."""

from nilecare.kernel.db.migrations import run_migrations
from nilecare.services.auth.models import metadata

run_migrations(metadata)
