"""Alembic environment of the business service."""

from nilecare.kernel.db.migrations import run_migrations
from nilecare.services.business.models import metadata

run_migrations(metadata)
