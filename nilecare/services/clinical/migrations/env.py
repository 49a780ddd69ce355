"""Alembic environment of the clinical service."""

from nilecare.kernel.db.migrations import run_migrations
from nilecare.services.clinical.models import metadata

run_migrations(metadata)
