"""Alembic migrations of the facility service."""
