"""Alembic environment of the facility service."""

from nilecare.kernel.db.migrations import run_migrations
from nilecare.services.facility.models import metadata

run_migrations(metadata)
