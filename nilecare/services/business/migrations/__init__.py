"""Alembic history of the business service."""
